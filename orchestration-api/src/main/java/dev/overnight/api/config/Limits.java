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
 * @since 0.1.0
 */
public record Limits(
    SpendingLimit perNight, SpendingLimit perTask, int stuckAfterSec, int cancelGraceSec) {

  /** Default for {@link #stuckAfterSec()}: ten minutes. */
  public static final int DEFAULT_STUCK_AFTER_SEC = 600;

  /** Default for {@link #cancelGraceSec()}. */
  public static final int DEFAULT_CANCEL_GRACE_SEC = 30;

  /** Validates the components. */
  public Limits {
    Objects.requireNonNull(perNight, "perNight");
    Objects.requireNonNull(perTask, "perTask");
  }

  /** No caps, default timeouts. */
  public static Limits defaults() {
    return new Limits(
        SpendingLimit.unbounded(),
        SpendingLimit.unbounded(),
        DEFAULT_STUCK_AFTER_SEC,
        DEFAULT_CANCEL_GRACE_SEC);
  }
}
