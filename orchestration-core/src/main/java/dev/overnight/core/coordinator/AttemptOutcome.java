package dev.overnight.core.coordinator;

import java.util.Locale;

/**
 * How one attempt at a task ended, as the coordinator reports it in {@link CoordinatorEvent}.
 *
 * @since 0.1.0
 */
public enum AttemptOutcome {
  /** The agent finished and the task is completed. */
  COMPLETED,
  /**
   * The agent finished and the task is completed, but the evidence says it changed nothing: an
   * empty diff (or, when git cannot tell, not one edit). The task's {@code no_change} fact says
   * what the judgement rests on.
   */
  COMPLETED_NO_CHANGE,
  /** The attempt failed and the task went back to pending for another. */
  RETRY,
  /** The attempt failed and the task failed for good (attempts spent, or not worth retrying). */
  FAILED,
  /**
   * The task was given back without counting the attempt (no agent available, no disk for a
   * worktree, a usage limit, Overnight stopping).
   */
  RELEASED,
  /** The task was cancelled in the queue while it ran. */
  CANCELLED,
  /** The task's lease ran out and another worker took it over; it counts there. */
  LOST;

  /** Whether the task is completed, with a change or without. */
  public boolean completed() {
    return this == COMPLETED || this == COMPLETED_NO_CHANGE;
  }

  /** The outcome as JSON and logs write it: lower case, e.g. {@code completed}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return key();
  }
}
