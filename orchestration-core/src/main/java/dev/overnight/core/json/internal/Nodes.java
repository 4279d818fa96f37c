package dev.overnight.core.json.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The few rules every shape follows, in one place: an absent optional value is left out (never
 * {@code null}), instants are ISO-8601 text, enum constants are lower-case keys, and string maps
 * come out sorted so that the output does not depend on a map's iteration order.
 */
public final class Nodes {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Nodes() {}

  /** A new empty object. */
  public static ObjectNode object() {
    return NODES.objectNode();
  }

  /** A new empty array. */
  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** An enum constant as a key: {@code IN_PROGRESS} becomes {@code in_progress}. */
  public static String key(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** Puts an instant as ISO-8601 text. */
  public static void instant(ObjectNode node, String field, Instant value) {
    node.put(field, value.toString());
  }

  /** Puts an instant when present; leaves the field out otherwise. */
  public static void instant(ObjectNode node, String field, Optional<Instant> value) {
    value.ifPresent(v -> instant(node, field, v));
  }

  /** Puts a text when present; leaves the field out otherwise. */
  public static void text(ObjectNode node, String field, Optional<String> value) {
    value.ifPresent(v -> node.put(field, v));
  }

  /** Puts a number when present; leaves the field out otherwise. */
  public static void number(ObjectNode node, String field, Optional<Double> value) {
    value.ifPresent(v -> node.put(field, v));
  }

  /** An array of texts, in their order. */
  public static ArrayNode texts(Collection<String> values) {
    ArrayNode array = array();
    values.forEach(array::add);
    return array;
  }

  /** An object of texts, sorted by key. */
  public static ObjectNode texts(Map<String, String> values) {
    ObjectNode node = object();
    new TreeMap<>(values).forEach(node::put);
    return node;
  }
}
