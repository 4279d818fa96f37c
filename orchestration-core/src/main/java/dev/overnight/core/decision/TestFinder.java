package dev.overnight.core.decision;

import dev.overnight.core.decision.internal.SourceFiles;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides which source files of a workspace already have tests, by the common conventions of their
 * language, looking only for the test files those conventions name:
 *
 * <ul>
 *   <li>Java, Kotlin, Scala, Groovy: {@code …/src/main/<lang>/p/X.java} is tested by {@code
 *       …/src/test/<lang>/p/XTest.java}, {@code XTests.java} or {@code XIT.java} (outside {@code
 *       src/main}, by those names beside it);
 *   <li>JavaScript and TypeScript: {@code x.test.ts} or {@code x.spec.ts} beside {@code x.ts}, or
 *       {@code __tests__/x.ts} (also {@code .test}/{@code .spec}) below its folder; sources under
 *       {@code src/} also by {@code test/}, {@code tests/} or {@code __tests__/} mirrors at the
 *       top;
 *   <li>Python: {@code test_x.py} or {@code x_test.py} beside {@code x.py}, in a {@code tests/} or
 *       {@code test/} folder beside it or beside its folder, or in the workspace's {@code tests/}
 *       or {@code test/} (flat or mirroring the package path, {@code src/} dropped);
 *   <li>Go: {@code x_test.go} beside {@code x.go}.
 * </ul>
 *
 * <p>Other languages (Rust keeps unit tests inside the file; C has no convention) are skipped:
 * their files are never reported as having tests, and the decision engine does not ask for tests
 * for them. Reads only file existence; thread-safe.
 *
 * @since 0.1.0
 */
public final class TestFinder {
  private static final List<String> JVM_SUFFIXES = List.of("Test", "Tests", "IT");

  private final Path workspace;

  /** A finder for the files of {@code workspace}. */
  public TestFinder(Path workspace) {
    this.workspace = Objects.requireNonNull(workspace, "workspace").toAbsolutePath().normalize();
  }

  /** The files among {@code files} (workspace-relative, {@code /} separators) that have tests. */
  public Set<String> filesWithTests(Collection<String> files) {
    Set<String> found = new LinkedHashSet<>();
    for (String f : files) {
      if (hasTests(f)) {
        found.add(f);
      }
    }
    return found;
  }

  /** Whether a workspace-relative source file has a test file where its convention says. */
  public boolean hasTests(String file) {
    for (String candidate : candidates(file)) {
      try {
        Path p = workspace.resolve(candidate).normalize();
        if (p.startsWith(workspace) && Files.isRegularFile(p)) {
          return true;
        }
      } catch (InvalidPathException e) {
        // Not a path on this platform: no test there.
      }
    }
    return false;
  }

  /**
   * Where tests for {@code file} would be, by its language's conventions; empty for languages
   * without one and for files that are tests themselves.
   */
  public static List<String> candidates(String file) {
    if (!SourceFiles.isTestable(file)) {
      return List.of();
    }
    String dir = file.contains("/") ? file.substring(0, file.lastIndexOf('/') + 1) : "";
    String name = SourceFiles.fileName(file);
    String ext = SourceFiles.extension(file);
    String base = name.substring(0, name.length() - ext.length() - 1);
    List<String> c = new ArrayList<>();
    switch (SourceFiles.convention(file).orElseThrow()) {
      case JVM -> {
        int main = ("/" + dir).indexOf("/src/main/");
        String testDir =
            main < 0
                ? dir
                : dir.substring(0, main) + "src/test/" + dir.substring(main + "src/main/".length());
        for (String suffix : JVM_SUFFIXES) {
          c.add(testDir + base + suffix + "." + ext);
        }
      }
      case JS -> {
        for (String kind : List.of(".test", ".spec")) {
          c.add(dir + base + kind + "." + ext);
          c.add(dir + "__tests__/" + base + kind + "." + ext);
        }
        c.add(dir + "__tests__/" + base + "." + ext);
        if (dir.startsWith("src/")) {
          String rest = dir.substring("src/".length());
          for (String top : List.of("test/", "tests/", "__tests__/")) {
            for (String kind : List.of(".test", ".spec", "")) {
              c.add(top + rest + base + kind + "." + ext);
            }
          }
        }
      }
      case PYTHON -> {
        List<String> names = List.of("test_" + base + ".py", base + "_test.py");
        String parent = parentOf(dir);
        String mirror = dir.startsWith("src/") ? dir.substring("src/".length()) : dir;
        for (String n : names) {
          c.add(dir + n);
          c.add(dir + "tests/" + n);
          c.add(dir + "test/" + n);
          c.add(parent + "tests/" + n);
          c.add(parent + "test/" + n);
          c.add("tests/" + n);
          c.add("test/" + n);
          c.add("tests/" + mirror + n);
          c.add("test/" + mirror + n);
        }
      }
      case GO -> c.add(dir + base + "_test.go");
      case NONE -> {}
    }
    return List.copyOf(new LinkedHashSet<>(c));
  }

  private static String parentOf(String dir) {
    if (dir.isEmpty()) {
      return "";
    }
    String trimmed = dir.substring(0, dir.length() - 1);
    int slash = trimmed.lastIndexOf('/');
    return slash < 0 ? "" : trimmed.substring(0, slash + 1);
  }
}
