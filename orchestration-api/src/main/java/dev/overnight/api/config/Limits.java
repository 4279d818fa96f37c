package dev.overnight.api.config;

import java.util.Objects;

/**
 * Spending caps and the timeouts that keep a night from hanging.
 *
 * @param perNight caps over the whole night; when reached, a warning, then no new task starts
 * @param perTask caps per task; when reached the task's session is cancelled
 * @param stuckAfterSec a session with no update for this long is treated as stuck
 * @param cancelGraceSec after {@code session/cancel}, how long an agent gets before its process
 *     tree is killed
 * @param startFailuresBeforePark how many times in a row an agent may fail to start (exit at start,
 *     refuse {@code session/new}, fail to authenticate) before it is parked for the rest of the
 *     night; such failures are the agent's, so they never count against the task
 * @since 0.1.0
 */
public record Limits(
    SpendingLimit perNight,
    SpendingLimit perTask,
    int stuckAfterSec,
    int cancelGraceSec,
    int startFailuresBeforePark) {

  /** Default for {@link #stuckAfterSec()}: ten minutes. */
  public static final int DEFAULT_STUCK_AFTER_SEC = 600;

  /** Default for {@link #cancelGraceSec()}. */
  public static final int DEFAULT_CANCEL_GRACE_SEC = 30;

  /**
   * Default for {@link #startFailuresBeforePark()}: three, so a passing hiccup is tried again but a
   * wrong key does not start the agent all night.
   */
  public static final int DEFAULT_START_FAILURES_BEFORE_PARK = 3;

  /** Validates the components. */
  public Limits {
    Objects.requireNonNull(perNight, "perNight");
    Objects.requireNonNull(perTask, "perTask");
    if (startFailuresBeforePark < 1) {
      throw new IllegalArgumentException(
          "startFailuresBeforePark must be at least 1: " + startFailuresBeforePark);
    }
  }

  /** Limits with the default {@link #startFailuresBeforePark()}. */
  public Limits(
      SpendingLimit perNight, SpendingLimit perTask, int stuckAfterSec, int cancelGraceSec) {
    this(perNight, perTask, stuckAfterSec, cancelGraceSec, DEFAULT_START_FAILURES_BEFORE_PARK);
  }

  /** No caps, default timeouts. */
  public static Limits defaults() {
    return new Limits(
        SpendingLimit.unbounded(),
        SpendingLimit.unbounded(),
        DEFAULT_STUCK_AFTER_SEC,
        DEFAULT_CANCEL_GRACE_SEC,
        DEFAULT_START_FAILURES_BEFORE_PARK);
  }
}
