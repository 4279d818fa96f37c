package dev.overnight.api.constraint;

import java.util.Objects;

/**
 * What a checker found, and why: {@code on battery (58%)}, {@code primary interface en0 is Wi-Fi},
 * {@code CPU 91% > 80%}, {@code idle 3 min < 15 min}.
 *
 * @param status the answer
 * @param reason a short, specific explanation a user can act on, for every status
 * @since 0.1.0
 */
public record ConstraintResult(ConstraintStatus status, String reason) {

  /** Validates the components. */
  public ConstraintResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }

  /** The condition holds, because {@code reason}. */
  public static ConstraintResult satisfied(String reason) {
    return new ConstraintResult(ConstraintStatus.SATISFIED, reason);
  }

  /** The condition does not hold, because {@code reason}. */
  public static ConstraintResult unsatisfied(String reason) {
    return new ConstraintResult(ConstraintStatus.UNSATISFIED, reason);
  }

  /** The platform cannot tell, because {@code reason}. */
  public static ConstraintResult unknown(String reason) {
    return new ConstraintResult(ConstraintStatus.UNKNOWN, reason);
  }

  /** Whether the status is {@link ConstraintStatus#SATISFIED}. */
  public boolean isSatisfied() {
    return status == ConstraintStatus.SATISFIED;
  }

  @Override
  public String toString() {
    return status + " (" + reason + ")";
  }
}
