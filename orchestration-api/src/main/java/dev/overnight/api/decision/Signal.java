package dev.overnight.api.decision;

import java.util.Objects;

/**
 * One input that weighed on a decision, for {@code overnight plan --explain}.
 *
 * @param name what was measured, e.g. {@code file_touches} or {@code goal_refactor}
 * @param value what was found, e.g. {@code "src/Parser.java: 27"}
 * @param weight how much it counted, 0–1
 * @since 0.1.0
 */
public record Signal(String name, String value, double weight) {
  /** Validates the components. */
  public Signal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
