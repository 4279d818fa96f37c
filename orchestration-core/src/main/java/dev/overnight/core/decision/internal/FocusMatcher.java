package dev.overnight.core.decision.internal;

import dev.overnight.api.config.Focus;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a config's {@code focus} globs to workspace-relative paths ({@code /} separators).
 *
 * <p>Globs are the JDK's ({@link java.nio.file.FileSystem#getPathMatcher} with {@code glob:}):
 * {@code *} stays inside one folder, {@code **} crosses folders, {@code ?} is one character, {@code
 * {a,b}} is either. Two conveniences users expect from {@code .gitignore}-style globs are added: a
 * leading {@code **}{@code /} also matches at the top level ({@code **}{@code /*.java} matches
 * {@code Main.java}), and a trailing {@code /} means everything below ({@code docs/} is {@code
 * docs/**}). A glob the JDK rejects is reported in {@link #problems()} and matches nothing.
 *
 * <p>Immutable and thread-safe; no I/O.
 */
public final class FocusMatcher {
  private final boolean everything;
  private final List<PathMatcher> include;
  private final List<PathMatcher> exclude;
  private final List<String> problems;

  private FocusMatcher(Focus focus) {
    List<String> found = new ArrayList<>();
    this.everything = focus.include().isEmpty();
    this.include = compile(focus.include(), "include", found);
    this.exclude = compile(focus.exclude(), "exclude", found);
    this.problems = List.copyOf(found);
  }

  /** A matcher for the focus section of a config. */
  public static FocusMatcher of(Focus focus) {
    return new FocusMatcher(focus);
  }

  /** Whether a workspace-relative path is in focus: included (or no include) and not excluded. */
  public boolean inFocus(String relativePath) {
    Path p;
    try {
      p = Path.of(relativePath);
    } catch (InvalidPathException e) {
      return false;
    }
    boolean included = everything || include.stream().anyMatch(m -> m.matches(p));
    return included && exclude.stream().noneMatch(m -> m.matches(p));
  }

  /** Globs that could not be compiled, as {@code "focus.include: <glob>: <why>"}. */
  public List<String> problems() {
    return problems;
  }

  private static List<PathMatcher> compile(
      List<String> globs, String section, List<String> problems) {
    List<PathMatcher> matchers = new ArrayList<>();
    for (String glob : globs) {
      String g = glob.endsWith("/") ? glob + "**" : glob;
      try {
        matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
        if (g.startsWith("**/") && g.length() > 3) {
          matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + g.substring(3)));
        }
      } catch (IllegalArgumentException e) {
        problems.add(
            "focus."
                + section
                + ": "
                + glob
                + ": "
                + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    return List.copyOf(matchers);
  }
}
