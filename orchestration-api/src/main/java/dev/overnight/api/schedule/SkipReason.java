package dev.overnight.api.schedule;

import java.util.Locale;

/**
 * Why a planned cycle did not run. Counted in {@link SchedulerMetrics#skippedByReason()}.
 *
 * @since 0.1.0
 */
public enum SkipReason {
  /** The jittered start landed at or after the window end. */
  JITTER_PAST_WINDOW_END,
  /** Constraints stayed unsatisfied until the window closed (or the next occurrence came). */
  CONSTRAINTS_UNSATISFIED,
  /** The previous cycle was still running when this one was due. */
  CYCLE_STILL_RUNNING,
  /** The process was not running when this one was due. */
  PROCESS_DOWN,
  /** The machine was asleep when this one was due (the wall clock jumped past it). */
  MACHINE_ASLEEP,
  /** The scheduler was paused by a user. */
  PAUSED_BY_USER;

  /** The reason as a snake_case key, for JSON. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
