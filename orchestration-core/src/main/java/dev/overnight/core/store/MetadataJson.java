package dev.overnight.core.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A task's metadata as the JSON object of strings a store's {@code metadata} column holds.
 * Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class MetadataJson {
  private static final JsonFactory JSON = new JsonFactory();
  private static final String EMPTY = "{}";

  private MetadataJson() {}

  /** The JSON text of {@code metadata}, keys sorted so equal maps store equal text. */
  public static String write(Map<String, String> metadata) {
    if (metadata.isEmpty()) {
      return EMPTY;
    }
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The map a JSON object of strings holds. */
  public static Map<String, String> read(String json) {
    if (json == null || json.equals(EMPTY)) {
      return Map.of();
    }
    Map<String, String> values = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalStateException("task metadata is not a JSON object: " + json);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        p.nextToken();
        values.put(key, p.getValueAsString());
      }
    } catch (IOException e) {
      throw new IllegalStateException("task metadata is not valid JSON: " + json, e);
    }
    return values;
  }
}
