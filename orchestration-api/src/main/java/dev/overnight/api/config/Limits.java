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
 * @param leaveForMorning the share of each agent's known usage window to leave unused when it
 *     closes ({@code limits.leave_for_morning}, e.g. {@code "20%"} is 0.2): once the rest is used,
 *     the agent takes no more work until the window resets; 0, the default, paces nothing
 * @since 0.1.0
 */
public record Limits(
    SpendingLimit perNight,
    SpendingLimit perTask,
    int stuckAfterSec,
    int cancelGraceSec,
    int startFailuresBeforePark,
    double leaveForMorning) {

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
    if (!(leaveForMorning >= 0 && leaveForMorning < 1)) {
      throw new IllegalArgumentException("leaveForMorning must be in [0, 1): " + leaveForMorning);
    }
  }

  /** Limits that leave nothing of the agents' usage windows for the morning. */
  public Limits(
      SpendingLimit perNight,
      SpendingLimit perTask,
      int stuckAfterSec,
      int cancelGraceSec,
      int startFailuresBeforePark) {
    this(perNight, perTask, stuckAfterSec, cancelGraceSec, startFailuresBeforePark, 0);
  }

  /** These limits, leaving {@code share} of each known usage window for the morning. */
  public Limits withLeaveForMorning(double share) {
    return new Limits(
        perNight, perTask, stuckAfterSec, cancelGraceSec, startFailuresBeforePark, share);
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
