package dev.overnight.api.decision;

import java.util.Locale;

/**
 * Which heuristic produced a decision.
 *
 * @since 0.1.0
 */
public enum DecisionPath {
  /** A heavily touched file and a refactoring intent: refactor it. */
  REFACTOR,
  /** A heavily touched file lacking tests: write them. */
  TESTS,
  /** Nothing usable: explore the codebase and report. */
  EXPLORATION;

  /** The path as a snake_case key. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
