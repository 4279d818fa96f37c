package dev.overnight.core.coordinator;

import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.core.decision.internal.SourceFiles;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.worktree.Worktree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a task's branch changed against its base: files, lines added and removed, and the paths —
 * the facts the morning report shows for each task — and whether that looks like what the task's
 * kind asks (a tests task that touched no test file, no change at all).
 *
 * @param files how many files changed
 * @param insertions lines added (binary files count none)
 * @param deletions lines removed
 * @param paths the changed files, workspace-relative, in git's order
 */
record WorkSummary(long files, long insertions, long deletions, List<String> paths) {
  /** How many paths the facts keep: a report lists files, not a whole tree. */
  static final int MAX_PATHS = 50;

  /** Copies the paths. */
  WorkSummary {
    paths = List.copyOf(paths);
  }

  /**
   * The changes committed on the worktree's branch since its base ({@code git diff --numstat}), or
   * empty when git cannot tell.
   */
  static Optional<WorkSummary> of(Worktree worktree) {
    return of(worktree, "HEAD");
  }

  /**
   * What changed in {@code worktree} from its base to {@code head}: the task's own work when the
   * base was taken in after it.
   */
  static Optional<WorkSummary> of(Worktree worktree, String head) {
    CommandResult r =
        worktree.git().run("diff", "--numstat", "--no-renames", worktree.base(), head, "--");
    if (!r.succeeded()) {
      return Optional.empty();
    }
    long insertions = 0;
    long deletions = 0;
    List<String> paths = new ArrayList<>();
    for (String line : r.stdout().split("\n")) {
      String[] cols = line.split("\t", 3);
      if (cols.length < 3) {
        continue;
      }
      insertions += count(cols[0]);
      deletions += count(cols[1]);
      paths.add(cols[2]);
    }
    return Optional.of(new WorkSummary(paths.size(), insertions, deletions, paths));
  }

  private static long count(String column) {
    try {
      return Long.parseLong(column.strip());
    } catch (NumberFormatException e) {
      return 0; // "-" for a binary file
    }
  }

  /**
   * Why the change does not do what a task of {@code decisionPath} (a {@link DecisionPath} key)
   * asks, if it does not: nothing changed, or a tests task changed no test file.
   */
  Optional<String> mismatch(Optional<String> decisionPath) {
    if (files == 0) {
      return Optional.of("the branch changes nothing");
    }
    boolean testsTask =
        decisionPath
            .map(p -> p.toLowerCase(Locale.ROOT))
            .filter(p -> p.equals(DecisionPath.TESTS.key()))
            .isPresent();
    if (testsTask && paths.stream().noneMatch(SourceFiles::isTest)) {
      return Optional.of("a tests task that changed no test file");
    }
    return Optional.empty();
  }

  /** The summary as task facts. */
  Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    TaskFacts.FILES_CHANGED.put(facts, files);
    TaskFacts.INSERTIONS.put(facts, insertions);
    TaskFacts.DELETIONS.put(facts, deletions);
    if (!paths.isEmpty()) {
      List<String> kept = paths.size() > MAX_PATHS ? paths.subList(0, MAX_PATHS) : paths;
      String list = String.join("\n", kept);
      TaskFacts.CHANGED_FILES.put(
          facts,
          paths.size() > MAX_PATHS ? list + "\n… " + (paths.size() - MAX_PATHS) + " more" : list);
    }
    return facts;
  }
}
