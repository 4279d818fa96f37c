package dev.overnight.api.queue;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a task is in its life, and which moves are legal.
 *
 * <pre>
 * PENDING ──claim──▶ IN_PROGRESS ──complete──▶ COMPLETED
 *    │  ▲                 │ ├──fail (no attempts left)──▶ FAILED ──retry──▶ PENDING
 *    │  └──retry / lease expired / released──┘ └──cancel──▶ CANCELLED ──retry──▶ PENDING
 *    └──cancel──▶ CANCELLED
 * </pre>
 *
 * @since 0.1.0
 */
public enum TaskStatus {
  /** Waiting to be claimed. */
  PENDING,
  /** Claimed by a worker holding a lease. */
  IN_PROGRESS,
  /** Finished successfully. Terminal. */
  COMPLETED,
  /** Finished unsuccessfully, attempts spent or not retryable. Terminal until retried by hand. */
  FAILED,
  /** Called off. Terminal until retried by hand. */
  CANCELLED;

  /** Whether a task in this status will not run again by itself. */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  /** Whether a task in this status counts for deduplication (only live tasks do). */
  public boolean isLive() {
    return this == PENDING || this == IN_PROGRESS;
  }

  /** The statuses a task may move to from this one. */
  public Set<TaskStatus> next() {
    return switch (this) {
      case PENDING -> EnumSet.of(IN_PROGRESS, CANCELLED);
      case IN_PROGRESS -> EnumSet.of(COMPLETED, FAILED, CANCELLED, PENDING);
      case COMPLETED -> EnumSet.noneOf(TaskStatus.class);
      case FAILED, CANCELLED -> EnumSet.of(PENDING);
    };
  }

  /** Whether moving from this status to {@code target} is legal. */
  public boolean canMoveTo(TaskStatus target) {
    return next().contains(target);
  }
}
