package dev.overnight.api.decision;

import java.util.Objects;

/**
 * How often a file was touched over the lookback, by commits and by agent sessions.
 *
 * @param path path relative to the workspace root, with {@code /} separators
 * @param touches how many times it was touched
 * @since 0.1.0
 */
public record FileActivity(String path, int touches) {
  /** Validates the components. */
  public FileActivity {
    Objects.requireNonNull(path, "path");
    if (touches < 0) {
      throw new IllegalArgumentException("touches < 0");
    }
  }
}
