package dev.overnight.api.schedule;

/**
 * How a planned cycle ended, as recorded in the cycle history.
 *
 * @since 0.1.0
 */
public enum CycleOutcome {
  /** It ran and ended normally. */
  COMPLETED,
  /** It ran and ended with an error. */
  FAILED,
  /** It was cancelled by {@code stop()}. */
  CANCELLED,
  /** It did not run; see {@link CycleRecord#skipReason()}. */
  SKIPPED
}
