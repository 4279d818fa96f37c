package dev.overnight.core.coordinator;

import dev.overnight.api.config.ConflictSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.core.conflict.OverlapPredictor;
import dev.overnight.core.worktree.Git;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps tasks predicted to touch the same files from running at the same time: a claimed task
 * overlapping a running one is given back (its attempt not counted) with the running task and the
 * shared files recorded on it, and with {@code conflicts.overlap: stack} the branch it will start
 * from. A prediction that fails (git cannot read the history) lets the task run: keeping tasks
 * apart is an optimisation, never a reason to stop a night. Thread-safe.
 */
final class OverlapGuard {
  private static final Logger LOG = LoggerFactory.getLogger(OverlapGuard.class);

  private final ConflictSettings settings;
  private final OverlapPredictor predictor;

  OverlapGuard(OrchestrationConfig config) {
    this.settings = config.conflicts();
    this.predictor =
        OverlapPredictor.of(new Git(config.workspaceRoot().path()), settings.historyCommits());
  }

  /** The running task {@code claimed} overlaps, if any. */
  Optional<OverlapPredictor.Overlap> check(Task claimed, Collection<Task> running) {
    if (running.isEmpty()) {
      return Optional.empty();
    }
    try {
      return predictor.firstOverlap(claimed, running);
    } catch (RuntimeException e) {
      LOG.warn("Could not predict the files of task {}: {}", claimed.id().shortId(), e.toString());
      return Optional.empty();
    }
  }

  /**
   * What to record on the task held back: who it waits for, the shared files, what it stacks on.
   */
  Map<String, String> facts(OverlapPredictor.Overlap overlap, Function<Task, String> branchOf) {
    Map<String, String> facts = new LinkedHashMap<>();
    TaskFacts.OVERLAPS_TASK.put(facts, overlap.with().id().value());
    TaskFacts.PREDICTED_FILES.put(facts, String.join("\n", overlap.files()));
    if (settings.overlap() == ConflictSettings.Overlap.STACK) {
      TaskFacts.STACKED_ON.put(facts, branchOf.apply(overlap.with()));
    }
    return facts;
  }

  /** Why the task was given back, for its events and the report. */
  String reason(OverlapPredictor.Overlap overlap) {
    return (settings.overlap() == ConflictSettings.Overlap.STACK ? "stacks on " : "waits for ")
        + overlap.describe();
  }
}
