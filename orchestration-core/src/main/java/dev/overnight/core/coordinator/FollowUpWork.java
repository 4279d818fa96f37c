package dev.overnight.core.coordinator;

import dev.overnight.api.TimeSource;
import dev.overnight.api.queue.ClaimFilter;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.core.conflict.SyncResult;
import dev.overnight.core.pr.PullRequestState;
import dev.overnight.core.worktree.Worktree;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a coordinator does for the pull requests Overnight opened: watching them at the start of a
 * cycle, day cycles' claim of follow-up tasks only ({@code pr_automation.follow_ups.in_day}), a
 * follow-up's branch and publisher, and a task's branch brought up to date with its base before its
 * pull request opens. Each part is there only when configured; without it, each does nothing.
 *
 * <p>Thread-safe as its {@link PullRequestFollowUps} and {@link SyncBeforeOpening}.
 */
final class FollowUpWork {
  private static final Logger LOG = LoggerFactory.getLogger(FollowUpWork.class);

  private final Optional<PullRequestFollowUps> followUps;
  private final Optional<SyncBeforeOpening> syncBeforeOpening;
  private final TaskQueue queue;
  private final TimeSource time;

  /** The work for {@code followUps} and {@code syncBeforeOpening} on the tasks of {@code queue}. */
  FollowUpWork(
      Optional<PullRequestFollowUps> followUps,
      Optional<SyncBeforeOpening> syncBeforeOpening,
      TaskQueue queue,
      TimeSource time) {
    this.followUps = followUps;
    this.syncBeforeOpening = syncBeforeOpening;
    this.queue = queue;
    this.time = time;
  }

  /**
   * Queues follow-ups for what the checks and reviewers of Overnight's open pull requests ask,
   * telling {@code changed} of each pull request whose state changed; a forge that cannot be asked
   * never stops the cycle.
   */
  void watch(BiConsumer<Task, PullRequestState> changed, PullRequestFollowUps.Spending spending) {
    followUps.ifPresent(
        f -> {
          try {
            f.watch(queue, time.instant(), changed, spending);
          } catch (RuntimeException e) {
            LOG.warn("Could not look for follow-ups on pull requests: {}", e.toString());
          }
        });
  }

  /** A day cycle's claim: follow-ups only, among the tasks this worker's labels can run. */
  static ClaimFilter followUpsOnly(Optional<Supplier<Set<String>>> workerLabels) {
    ClaimFilter followUps = ClaimFilter.any().carrying(TaskFacts.FOLLOW_UP_OF);
    return workerLabels.map(l -> followUps.withLabels(l.get())).orElse(followUps);
  }

  /** Who publishes a follow-up's work: its pull request's follow-ups; empty for other tasks. */
  Optional<PullRequestPublisher> publisherFor(Task task) {
    return followUps
        .filter(f -> PullRequestFollowUps.isFollowUp(task))
        .<PullRequestPublisher>map(f -> f);
  }

  /**
   * Brings a finished task's branch up to date with its base before its pull request is opened,
   * when a base sync is set and the task is no follow-up (whose branch is its pull request's).
   */
  Optional<SyncBeforeOpening.Synced> syncBeforeOpening(Worktree worktree, Task task) {
    if (PullRequestFollowUps.isFollowUp(task)) {
      return Optional.empty();
    }
    return syncBeforeOpening.flatMap(
        s -> s.sync(worktree, queue.get(task.id()).orElse(task), time.instant()));
  }

  /** Tells of a sync done before {@code task}'s pull request opened, with the task as completed. */
  void toldOfSync(Task task, SyncResult result) {
    syncBeforeOpening.ifPresent(s -> s.tell(task, result));
  }

  /** Brings a follow-up's branch to its pull request's head, before its worktree is made. */
  void prepareBranch(Task task) {
    if (PullRequestFollowUps.isFollowUp(task)) {
      followUps.ifPresent(f -> f.prepareBranch(task));
    }
  }
}
