package dev.overnight.api.schedule;

/** How a planned cycle ended, as recorded in the cycle history. */
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
