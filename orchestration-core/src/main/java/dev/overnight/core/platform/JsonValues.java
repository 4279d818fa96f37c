package dev.overnight.core.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.core.json.OvernightJson;
import java.io.IOException;

/**
 * Parses JSON into plain Java values ({@code Map}, {@code List}, {@code String}, {@code Number},
 * {@code Boolean}, {@code null}), for platform modules that read a system's JSON files (macOS's
 * Focus database) without a JSON library of their own.
 *
 * @since 0.1.0
 */
public final class JsonValues {
  private static final ObjectMapper MAPPER = OvernightJson.mapper();

  private JsonValues() {}

  /**
   * Parses one JSON document.
   *
   * @throws IllegalArgumentException when the text is not JSON, with the parser's reason
   */
  public static Object parse(String json) {
    try {
      return MAPPER.readValue(json, Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }
}
