package dev.overnight.core.coordinator;

import dev.overnight.api.decision.Decision;
import dev.overnight.api.queue.Task;
import java.time.Instant;
import java.util.Optional;

/**
 * Something the coordinator did, for the timeline of logs, the demo and the dashboard.
 *
 * @since 0.1.0
 */
public sealed interface CoordinatorEvent {

  /** When it happened. */
  Instant at();

  /** A cycle began its work. */
  record CycleBegan(Instant at, String cycleId, Instant deadline) implements CoordinatorEvent {}

  /** The decision engine chose a task. */
  record Decided(Instant at, Decision decision, boolean enqueued) implements CoordinatorEvent {}

  /** The decision engine found nothing to do. */
  record NothingToDo(Instant at, String reason) implements CoordinatorEvent {}

  /** A task started with an agent in its worktree. */
  record TaskStarted(Instant at, Task task, String agentId, String branch, String sessionId)
      implements CoordinatorEvent {}

  /**
   * A task's attempt ended.
   *
   * @param outcome how the attempt ended
   * @param reason why, in words
   * @param prUrl the pull request opened, if any
   */
  record TaskEnded(
      Instant at, Task task, AttemptOutcome outcome, String reason, Optional<String> prUrl)
      implements CoordinatorEvent {}

  /** An agent hit a usage limit and will not be used until {@code until}. */
  record AgentParked(Instant at, String agentId, Instant until, String reason)
      implements CoordinatorEvent {}

  /** A spending limit was reached or neared. */
  record LimitWarning(Instant at, String message) implements CoordinatorEvent {}

  /** The cycle finished its work; the report was written to {@code report}. */
  record CycleEnded(Instant at, String cycleId, int tasksRun, Optional<String> report)
      implements CoordinatorEvent {}

  /**
   * Where the pull request of a finished task stands changed, as the follow-ups read it.
   *
   * @param task the task whose pull request it is, with its new state noted
   * @param state {@code open}, {@code checks_failing}, {@code changes_requested}, {@code merged} or
   *     {@code closed}
   * @param prUrl the pull request
   */
  record PullRequestChanged(Instant at, Task task, String state, String prUrl)
      implements CoordinatorEvent {}
}
