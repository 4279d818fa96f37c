package dev.overnight.api.constraint;

import dev.overnight.api.config.Constraints;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ConstraintCheckerProvider} is given to create its checker: its own settings value
 * from the config and the whole {@code constraints} section (for settings shared between checkers,
 * such as {@code idle_minutes}).
 *
 * <p>For a built-in checker the value is the config's value for that key ({@code true}, or the
 * number of {@code cpu_max_percentage}); for a third-party checker it is whatever JSON the user
 * wrote under {@code constraints.checkers.<name>}, as {@code Boolean}, {@code Number}, {@code
 * String}, {@code List} or {@code Map}.
 *
 * @param name the checker's name
 * @param value the checker's own settings
 * @param constraints the whole constraints section
 * @since 0.1.0
 */
public record ConstraintSettings(String name, Object value, Constraints constraints) {

  /** Validates the components. */
  public ConstraintSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(constraints, "constraints");
  }

  /** The value of {@code key} when the settings are a JSON object. */
  public Optional<Object> get(String key) {
    return value instanceof Map<?, ?> map ? Optional.ofNullable(map.get(key)) : Optional.empty();
  }

  /** A string setting, when the settings are an object holding a string under {@code key}. */
  public Optional<String> string(String key) {
    return get(key).filter(String.class::isInstance).map(String.class::cast);
  }

  /** A numeric setting, when the settings are an object holding a number under {@code key}. */
  public Optional<Double> number(String key) {
    return get(key).filter(Number.class::isInstance).map(n -> ((Number) n).doubleValue());
  }

  /** A boolean setting, or {@code fallback} when absent. */
  public boolean flag(String key, boolean fallback) {
    return get(key).filter(Boolean.class::isInstance).map(Boolean.class::cast).orElse(fallback);
  }
}
