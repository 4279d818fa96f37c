package dev.overnight.core.store;

import java.util.List;

/**
 * A list of strings as the JSON array a store's column holds (a worker's labels, a task's required
 * labels), written the same by every store. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class StringsJson {
  private StringsJson() {}

  /** The JSON text of {@code values}, in their order. */
  public static String write(List<String> values) {
    return NotesJson.write(values);
  }

  /**
   * The strings a JSON array holds.
   *
   * @throws IllegalStateException if {@code json} is not a JSON array of strings
   */
  public static List<String> read(String json) {
    return List.copyOf(NotesJson.read(json));
  }
}
