package dev.overnight.core.schedule;

import dev.overnight.api.constraint.ConstraintResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the constraint gate found: every checker's answer and whether a cycle may run.
 *
 * @param results each checker's result by name, in the config's order
 * @param satisfied whether a cycle may run (every result satisfied, or unknown under {@code
 *     on_unknown: pass})
 * @param reason why not, e.g. {@code "plugged_in: on battery (58%)"}; a short summary when it may
 * @since 0.1.0
 */
public record ConstraintGateResult(
    Map<String, ConstraintResult> results, boolean satisfied, String reason) {

  /** Validates and copies the components, keeping the order of the results. */
  public ConstraintGateResult {
    results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
    Objects.requireNonNull(reason, "reason");
  }

  /** The result of a gate with no checkers. */
  public static ConstraintGateResult open() {
    return new ConstraintGateResult(Map.of(), true, "no constraints");
  }
}
