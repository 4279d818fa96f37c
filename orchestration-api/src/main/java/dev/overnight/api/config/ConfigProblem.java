package dev.overnight.api.config;

import java.util.Objects;

/**
 * One problem found in a configuration: where (a JSON Pointer) and what is wrong in plain words.
 *
 * <p>Renders as {@code /schedule/window_start: "25:00" is not a time of day (HH:mm)}.
 *
 * @param path JSON Pointer to the offending value ({@code ""} for the document itself)
 * @param message what is wrong and, where possible, what would be right
 * @since 0.1.0
 */
public record ConfigProblem(String path, String message) implements Comparable<ConfigProblem> {

  /** Validates the components. */
  public ConfigProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public int compareTo(ConfigProblem other) {
    int byPath = path.compareTo(other.path);
    return byPath != 0 ? byPath : message.compareTo(other.message);
  }

  @Override
  public String toString() {
    return (path.isEmpty() ? "/" : path) + ": " + message;
  }
}
