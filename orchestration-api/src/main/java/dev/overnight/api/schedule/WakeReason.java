package dev.overnight.api.schedule;

import java.util.Locale;

/**
 * Why a due wake did not fire, or fired and started nothing: the reason on a {@link WakeReceipt}.
 * The first six are the scheduler's {@link SkipReason}s; the next three are what a cycle that ran
 * found; then the deferrals of a due wake that sleep would cut, and the system wakes that failed.
 *
 * @since 0.1.0
 */
public enum WakeReason {
  /** Its start fell outside the schedule's window (jitter pushed it past the window's end). */
  OUTSIDE_WINDOW,
  /** A constraint did not pass; the receipt's detail names it and its reading. */
  CONSTRAINT_UNSATISFIED,
  /** The machine was asleep: the wake was found late, after the wall clock had passed it. */
  MACHINE_ASLEEP,
  /** Overnight was not running when it came due. */
  PROCESS_DOWN,
  /** The previous cycle was still running. */
  CYCLE_STILL_RUNNING,
  /** A user paused the schedule. */
  PAUSED_BY_USER,
  /** The cycle ran, but the night's spending limit (tokens, cost, agent time) was reached. */
  NIGHT_LIMIT_REACHED,
  /** The cycle ran, but no allowed agent could take work: each parked, unavailable or spent. */
  AGENT_PARKED,
  /** The cycle ran, but the queue was empty and the decision engine found nothing to do. */
  NO_WORK,
  /** Deferred: the machine was in a dark wake (no display), and would soon sleep again. */
  DARK_WAKE,
  /** Deferred: the lid was closed on battery, so the machine would soon sleep again. */
  LID_CLOSED_ON_BATTERY,
  /**
   * Deferred: the machine ran on battery while the {@code plugged_in} constraint requires mains.
   */
  ON_BATTERY,
  /**
   * The machine slept through it, and the system wake meant to wake it could not be scheduled; the
   * receipt's detail says why.
   */
  WAKE_NOT_SCHEDULED,
  /** The machine slept through it although a system wake had been scheduled for it. */
  WAKE_MISSED;

  /** The reason as a snake_case key, for JSON. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The reason in words, for reports: {@code "night limit reached"}. */
  public String words() {
    return key().replace('_', ' ');
  }

  /** The receipt's reason for a cycle the scheduler skipped. */
  public static WakeReason of(SkipReason reason) {
    return switch (reason) {
      case JITTER_PAST_WINDOW_END -> OUTSIDE_WINDOW;
      case CONSTRAINTS_UNSATISFIED -> CONSTRAINT_UNSATISFIED;
      case CYCLE_STILL_RUNNING -> CYCLE_STILL_RUNNING;
      case PROCESS_DOWN -> PROCESS_DOWN;
      case MACHINE_ASLEEP -> MACHINE_ASLEEP;
      case PAUSED_BY_USER -> PAUSED_BY_USER;
    };
  }
}
