package dev.overnight.api.constraint;

/**
 * The three answers a {@link ConstraintChecker} can give.
 *
 * @since 0.1.0
 */
public enum ConstraintStatus {
  /** The condition holds. */
  SATISFIED,
  /** The condition does not hold; the cycle waits. */
  UNSATISFIED,
  /**
   * The platform cannot tell (no API, no permission, a timeout). Counts as unsatisfied unless the
   * config's {@code on_unknown} says {@code pass}.
   */
  UNKNOWN
}
