package dev.overnight.nostr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.nostr.internal.Schnorr;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed Nostr event (NIP-01): its id is the SHA-256 of its canonical serialization, its
 * signature a BIP-340 Schnorr signature of that id by its author's key.
 *
 * <p>Immutable and thread-safe. An event read from a relay is untrusted until {@link #problem()}
 * says it is empty.
 *
 * @param id the event id, 64 hex digits
 * @param pubkey the author's x-only public key, 64 hex digits
 * @param createdAt seconds since the epoch
 * @param kind the event kind
 * @param tags the tags, each a list of strings
 * @param content the content
 * @param sig the signature, 128 hex digits
 * @since 0.1.0
 */
public record NostrEvent(
    String id,
    String pubkey,
    long createdAt,
    int kind,
    List<List<String>> tags,
    String content,
    String sig) {

  /** Checks presence and copies the tags. */
  public NostrEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pubkey, "pubkey");
    tags = tags.stream().map(List::copyOf).toList();
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(sig, "sig");
  }

  /** The first value of the first tag named {@code name}, e.g. the {@code d} identifier. */
  public Optional<String> tag(String name) {
    return tags.stream()
        .filter(t -> t.size() > 1 && t.get(0).equals(name))
        .map(t -> t.get(1))
        .findFirst();
  }

  /** The values of every tag named {@code name}, e.g. the {@code t} topics. */
  public List<String> tagValues(String name) {
    return tags.stream()
        .filter(t -> t.size() > 1 && t.get(0).equals(name))
        .map(t -> t.get(1))
        .toList();
  }

  /**
   * Why this event cannot be trusted: an id that is not the hash of its content, or a signature
   * that is not its author's; empty when it is sound.
   */
  public Optional<String> problem() {
    if (!pubkey.matches("[0-9a-f]{64}")
        || !id.matches("[0-9a-f]{64}")
        || !sig.matches("[0-9a-f]{128}")) {
      return Optional.of("its id, author or signature is not hex of the right length");
    }
    if (!id.equals(idOf(pubkey, createdAt, kind, tags, content))) {
      return Optional.of("its id is not the hash of its content (changed on the way?)");
    }
    HexFormat hex = HexFormat.of();
    if (!Schnorr.verify(hex.parseHex(sig), hex.parseHex(id), hex.parseHex(pubkey))) {
      return Optional.of("its signature is not its author's (forged?)");
    }
    return Optional.empty();
  }

  /** The event as JSON, as relays take it. */
  public ObjectNode toJson() {
    ObjectNode o = OvernightJson.object();
    o.put("id", id);
    o.put("pubkey", pubkey);
    o.put("created_at", createdAt);
    o.put("kind", kind);
    ArrayNode t = o.putArray("tags");
    tags.forEach(tag -> tag.forEach(t.addArray()::add));
    o.put("content", content);
    o.put("sig", sig);
    return o;
  }

  /**
   * Reads an event a relay sent.
   *
   * @throws IllegalArgumentException if it does not have an event's shape
   */
  public static NostrEvent fromJson(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("an event is a JSON object");
    }
    for (String field : List.of("id", "pubkey", "content", "sig")) {
      if (!o.path(field).isTextual()) {
        throw new IllegalArgumentException("an event's " + field + " is a string");
      }
    }
    if (!o.path("created_at").canConvertToLong() || !o.path("kind").canConvertToInt()) {
      throw new IllegalArgumentException("an event's created_at and kind are integers");
    }
    if (!o.path("tags").isArray()) {
      throw new IllegalArgumentException("an event's tags are a list");
    }
    List<List<String>> tags = new ArrayList<>();
    for (JsonNode tag : o.path("tags")) {
      if (!tag.isArray()) {
        throw new IllegalArgumentException("an event's tag is a list of strings");
      }
      List<String> values = new ArrayList<>();
      tag.forEach(v -> values.add(v.asText()));
      tags.add(values);
    }
    return new NostrEvent(
        o.path("id").asText(),
        o.path("pubkey").asText(),
        o.path("created_at").asLong(),
        o.path("kind").asInt(),
        tags,
        o.path("content").asText(),
        o.path("sig").asText());
  }

  /** The NIP-01 id: SHA-256 of {@code [0,pubkey,created_at,kind,tags,content]}, in hex. */
  public static String idOf(
      String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
    StringBuilder s = new StringBuilder("[0,");
    string(s, pubkey);
    s.append(',').append(createdAt).append(',').append(kind).append(",[");
    for (int i = 0; i < tags.size(); i++) {
      s.append(i == 0 ? "[" : ",[");
      List<String> tag = tags.get(i);
      for (int j = 0; j < tag.size(); j++) {
        if (j > 0) {
          s.append(',');
        }
        string(s, tag.get(j));
      }
      s.append(']');
    }
    s.append("],");
    string(s, content);
    s.append(']');
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(s.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * A JSON string as NIP-01's serialization writes it: quote, backslash and the five named control
   * characters escaped, others as {@code \}{@code u00xx} (as JavaScript's {@code JSON.stringify}
   * writes them, which is what other clients compute), everything else verbatim.
   */
  private static void string(StringBuilder s, String value) {
    s.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\r' -> s.append("\\r");
        case '\t' -> s.append("\\t");
        case '\b' -> s.append("\\b");
        case '\f' -> s.append("\\f");
        default -> {
          if (c < 0x20) {
            s.append(String.format("\\u%04x", (int) c));
          } else {
            s.append(c);
          }
        }
      }
    }
    s.append('"');
  }
}
