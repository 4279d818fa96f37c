package dev.overnight.api.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A configuration string that may hold variables ({@code $HOME}, {@code ${NAME}}, a leading {@code
 * ~}): the text as the user wrote it, and its expanded value.
 *
 * <p>Saving a configuration writes {@link #raw()}, so the user's variables survive a round trip;
 * everything at run time reads {@link #value()}.
 *
 * @param raw the text as written in the file
 * @param value the text with variables expanded and, for paths, made absolute
 * @since 0.1.0
 */
public record ConfigValue(String raw, String value) {

  /** Validates the components. */
  public ConfigValue {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(value, "value");
  }

  /** A value with no variables in it. */
  public static ConfigValue of(String literal) {
    return new ConfigValue(literal, literal);
  }

  /** The expanded value as a path. */
  public Path path() {
    return Path.of(value);
  }

  @Override
  public String toString() {
    return raw.equals(value) ? raw : raw + " (" + value + ")";
  }
}
