package dev.overnight.api.queue;

import java.util.Objects;
import java.util.UUID;

/**
 * The identity of a task: an opaque string, a random UUID for tasks Overnight creates.
 *
 * @param value the id text
 * @since 0.1.0
 */
public record TaskId(String value) {

  /** Validates the id. */
  public TaskId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("a task id must not be blank");
    }
  }

  /** A fresh random id. */
  public static TaskId random() {
    return new TaskId(UUID.randomUUID().toString());
  }

  /** Wraps an existing id. */
  public static TaskId of(String value) {
    return new TaskId(value);
  }

  /** The first eight characters, for branch names and logs. */
  public String shortId() {
    String compact = value.replace("-", "");
    return compact.length() <= 8 ? compact : compact.substring(0, 8);
  }

  @Override
  public String toString() {
    return value;
  }
}
