package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.core.json.OvernightJson;
import java.util.Optional;

/**
 * The JSON-RPC wire's mapper — Overnight's one mapper, which the tree model needs nothing more from
 * — and small tree helpers.
 */
final class Json {
  static final ObjectMapper MAPPER = OvernightJson.mapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  static ObjectNode object() {
    return NODES.objectNode();
  }

  /** A text field, or empty when absent, null or not text. */
  static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
  }

  /** A text field, or {@code fallback}. */
  static String text(JsonNode node, String field, String fallback) {
    return text(node, field).orElse(fallback);
  }

  /** A field rendered as JSON text, or empty when absent or null. */
  static Optional<String> raw(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() || v.isMissingNode()
        ? Optional.empty()
        : Optional.of(v.toString());
  }

  /** At most {@code max} characters of {@code s}, with an ellipsis when cut. */
  static String preview(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
