package dev.overnight.core.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads one JSON object of a config document by key, recording a problem (with its JSON Pointer)
 * for every wrong type, and, on {@link #finish()}, for every key nobody asked for.
 *
 * <p>Written by hand rather than with Jackson data binding because binding stops at the first error
 * and cannot say "did you mean"; users fix a config in one pass only if every problem is listed.
 */
public final class JsonObject {
  private final JsonNode node;
  private final String path;
  private final Problems problems;
  private final Set<String> known = new LinkedHashSet<>();

  /** Reads {@code node} found at {@code path}. */
  public JsonObject(JsonNode node, String path, Problems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /** The JSON Pointer of a key of this object. */
  public String pathOf(String key) {
    return path + "/" + key.replace("~", "~0").replace("/", "~1");
  }

  /** The problems collector. */
  public Problems problems() {
    return problems;
  }

  /** Whether the key is present (and not null). */
  public boolean has(String key) {
    known.add(key);
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  /** The raw value of a key, if present and not null. */
  public Optional<JsonNode> raw(String key) {
    known.add(key);
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  /** Records that a required key is missing. */
  public void missing(String key) {
    problems.add(pathOf(key), "is required");
  }

  /** A string value; a wrong type is recorded. */
  public Optional<String> string(String key) {
    return raw(key)
        .flatMap(v -> expect(key, v, JsonNodeType.STRING, "a string"))
        .map(JsonNode::asText);
  }

  /** A required string value. */
  public Optional<String> requiredString(String key) {
    if (!has(key)) {
      missing(key);
      return Optional.empty();
    }
    return string(key);
  }

  /** A boolean, or {@code fallback} when absent; a wrong type is recorded. */
  public boolean bool(String key, boolean fallback) {
    return raw(key)
        .flatMap(v -> expect(key, v, JsonNodeType.BOOLEAN, "true or false"))
        .map(JsonNode::booleanValue)
        .orElse(fallback);
  }

  /** An integer within {@code [min, max]}; a wrong type or range is recorded. */
  public Optional<Long> integer(String key, long min, long max, String rangeText) {
    Optional<JsonNode> v = raw(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    JsonNode n = v.get();
    if (!n.isIntegralNumber() && !(n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))) {
      problems.add(pathOf(key), "expected an integer but found " + describe(n));
      return Optional.empty();
    }
    if (!n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
      problems.add(pathOf(key), n.asText() + " is out of range: must be " + rangeText);
      return Optional.empty();
    }
    return Optional.of(n.asLong());
  }

  /** A number within {@code [min, max]}; a wrong type or range is recorded. */
  public Optional<Double> number(String key, double min, double max, String rangeText) {
    Optional<JsonNode> v = raw(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    JsonNode n = v.get();
    if (!n.isNumber()) {
      problems.add(pathOf(key), "expected a number but found " + describe(n));
      return Optional.empty();
    }
    if (n.asDouble() < min || n.asDouble() > max) {
      problems.add(pathOf(key), n.asText() + " is out of range: must be " + rangeText);
      return Optional.empty();
    }
    return Optional.of(n.asDouble());
  }

  /** A nested object; a wrong type is recorded. */
  public Optional<JsonObject> object(String key) {
    return raw(key)
        .flatMap(v -> expect(key, v, JsonNodeType.OBJECT, "an object"))
        .map(v -> new JsonObject(v, pathOf(key), problems));
  }

  /** A list of strings; wrong types (of the list or of items) are recorded. */
  public List<String> strings(String key) {
    return list(
        key,
        (item, itemPath) -> {
          if (!item.isTextual()) {
            problems.add(itemPath, "expected a string but found " + describe(item));
            return null;
          }
          return item.asText();
        });
  }

  /**
   * A list whose items are converted by {@code item} (given the item and its path; returning null
   * drops the item, which must then have been recorded as a problem).
   */
  public <T> List<T> list(String key, BiFunction<JsonNode, String, T> item) {
    Optional<JsonNode> v = raw(key).flatMap(n -> expect(key, n, JsonNodeType.ARRAY, "a list"));
    List<T> out = new ArrayList<>();
    if (v.isEmpty()) {
      return out;
    }
    for (int i = 0; i < v.get().size(); i++) {
      T t = item.apply(v.get().get(i), pathOf(key) + "/" + i);
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  /** The keys of this object in document order. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /** Records every key that no accessor asked for, with a suggestion where one is close. */
  public void finish() {
    node.fieldNames()
        .forEachRemaining(
            key -> {
              if (!known.contains(key)) {
                // The key itself is only in the path; the message is ours, so it is kept whole.
                problems.addWhole(
                    pathOf(key),
                    Suggestions.closest(key, known)
                        .map(s -> "unknown key; did you mean \"" + s + "\"?")
                        .orElse("unknown key; expected one of: " + String.join(", ", known)));
              }
            });
  }

  private Optional<JsonNode> expect(String key, JsonNode v, JsonNodeType type, String what) {
    if (v.getNodeType() != type) {
      problems.add(pathOf(key), "expected " + what + " but found " + describe(v));
      return Optional.empty();
    }
    return Optional.of(v);
  }

  /** Describes a value for a type error: {@code a string ("two")}, {@code a number (3)}. */
  public static String describe(JsonNode v) {
    return switch (v.getNodeType()) {
      case STRING -> "a string (\"" + abbreviate(v.asText()) + "\")";
      case NUMBER -> "a number (" + v.asText() + ")";
      case BOOLEAN -> v.asText();
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case NULL -> "null";
      default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
