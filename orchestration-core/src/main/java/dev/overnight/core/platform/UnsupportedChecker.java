package dev.overnight.core.platform;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintResult;
import java.util.Objects;

/**
 * The checker a platform provider creates on a system it does not support: it always answers {@code
 * UNKNOWN} with the reason, rather than a wrong answer read from files that mean something else
 * there.
 *
 * @param name the checker's config name
 * @param reason why it cannot tell, e.g. {@code the macOS checker does not run on Linux 6.1}
 * @since 0.1.0
 */
public record UnsupportedChecker(String name, String reason) implements ConstraintChecker {

  /** Validates the components. */
  public UnsupportedChecker {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public ConstraintResult check() {
    return ConstraintResult.unknown(reason);
  }
}
