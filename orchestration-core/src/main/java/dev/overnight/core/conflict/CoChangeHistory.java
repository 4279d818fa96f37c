package dev.overnight.core.conflict;

import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.worktree.Git;
import dev.overnight.core.worktree.GitException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How often files changed together over a bounded stretch of history: per file, the commits that
 * changed it, and per pair of files, the commits that changed both. Read from one {@code git log
 * --name-only} pass.
 *
 * <p>A commit that changed more than {@link #MAX_FILES_PER_COMMIT} files (a mass rename, a
 * reformat, a dependency bump) is counted for its files but pairs none of them: it says nothing
 * about which files belong together. Merge commits are skipped.
 *
 * <p>Immutable and thread-safe once built.
 *
 * @since 0.1.0
 */
public final class CoChangeHistory {
  /** Commits changing more files than this pair none of them. */
  public static final int MAX_FILES_PER_COMMIT = 30;

  private static final char RECORD = '\u001e';

  /** The whole log is the answer, not its tail: up to 128 MiB of it. */
  private static final CommandRunner FULL_OUTPUT = CommandRunner.system(128 * 1024 * 1024);

  private final int commits;
  private final Map<String, Integer> changes = new HashMap<>();
  private final Map<String, Map<String, Integer>> together = new HashMap<>();

  private CoChangeHistory(Collection<? extends Collection<String>> commitFiles) {
    int n = 0;
    for (Collection<String> files : commitFiles) {
      Set<String> distinct = new LinkedHashSet<>(files);
      if (distinct.isEmpty()) {
        continue;
      }
      n++;
      distinct.forEach(f -> changes.merge(f, 1, Integer::sum));
      if (distinct.size() > MAX_FILES_PER_COMMIT) {
        continue;
      }
      for (String a : distinct) {
        Map<String, Integer> partners = together.computeIfAbsent(a, k -> new HashMap<>());
        for (String b : distinct) {
          if (!a.equals(b)) {
            partners.merge(b, 1, Integer::sum);
          }
        }
      }
    }
    this.commits = n;
  }

  /** The history of the given commits, each the files it changed. */
  public static CoChangeHistory of(Collection<? extends Collection<String>> commitFiles) {
    return new CoChangeHistory(commitFiles);
  }

  /**
   * The last {@code limit} non-merge commits reachable from {@code revision}.
   *
   * @throws GitException if git cannot read them (an unknown revision; an empty repository reads as
   *     no history)
   */
  public static CoChangeHistory read(Git git, String revision, int limit) {
    return of(commitFiles(git, revision, limit));
  }

  /**
   * The files each of the last {@code limit} non-merge commits reachable from {@code revision}
   * changed, newest first: what {@link #read} counts, for a replay of history.
   *
   * @throws GitException if git cannot read them (an empty repository reads as no commits)
   */
  public static List<List<String>> commitFiles(Git git, String revision, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    CommandResult r =
        FULL_OUTPUT.run(
            List.of(
                "git",
                "-c",
                "core.quotepath=off",
                "log",
                "--no-merges",
                "--no-color",
                "--no-renames",
                "--name-only",
                "-z",
                "--format=%x1e%H",
                "-n" + limit,
                revision,
                "--"),
            git.dir(),
            Map.of("GIT_TERMINAL_PROMPT", "0", "LC_ALL", "C"),
            Duration.ofMinutes(2));
    if (!r.succeeded()) {
      if (git.run("rev-parse", "--verify", "-q", "HEAD").succeeded()) {
        throw new GitException("git log failed: " + r.describe() + "\n" + r.tail(5));
      }
      return List.of();
    }
    return parse(r.stdout());
  }

  /** Parses {@code git log --name-only -z --format=%x1e%H}: the files of each commit. */
  static List<List<String>> parse(String output) {
    List<List<String>> out = new ArrayList<>();
    for (String record : output.split(String.valueOf(RECORD))) {
      if (record.isBlank()) {
        continue;
      }
      // The hash, a newline, then NUL-separated paths (the first after a blank line).
      int newline = record.indexOf('\n');
      String files = newline < 0 ? "" : record.substring(newline + 1);
      List<String> paths = new ArrayList<>();
      for (String p : files.split("\u0000")) {
        String path = p.strip();
        if (!path.isEmpty()) {
          paths.add(path);
        }
      }
      out.add(paths);
    }
    return out;
  }

  /** The commits read (those that changed at least one file). */
  public int commits() {
    return commits;
  }

  /** The commits that changed {@code file}. */
  public int changes(String file) {
    return changes.getOrDefault(file, 0);
  }

  /** The commits that changed both files. */
  public int together(String a, String b) {
    return together.getOrDefault(a, Map.of()).getOrDefault(b, 0);
  }

  /**
   * The files that change with {@code file}: changed together at least {@code minTogether} times,
   * in at least {@code minShare} of the commits that changed {@code file}; most often first, at
   * most {@code max}.
   */
  public List<String> partners(String file, int minTogether, double minShare, int max) {
    int own = changes(file);
    if (own == 0) {
      return List.of();
    }
    return together.getOrDefault(file, Map.of()).entrySet().stream()
        .filter(e -> e.getValue() >= minTogether && e.getValue() >= minShare * own)
        .sorted(
            Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                .reversed()
                .thenComparing(Map.Entry::getKey))
        .limit(max)
        .map(Map.Entry::getKey)
        .toList();
  }
}
