package dev.overnight.nostr;

import dev.overnight.nostr.internal.Bech32;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A NIP-19 {@code naddr}: the address of a parameterized-replaceable event — its kind, its author's
 * public key and its {@code d} identifier — with relays where it may be found. The newest event
 * with those three is the manifest the address names; only its author can replace it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param identifier the event's {@code d} tag
 * @param author the author's x-only public key, 64 hex digits
 * @param kind the event's kind
 * @param relays relays that hold it, as hints
 * @since 0.1.0
 */
public record Naddr(String identifier, String author, int kind, List<URI> relays) {
  private static final String HRP = "naddr";
  private static final int SPECIAL = 0;
  private static final int RELAY = 1;
  private static final int AUTHOR = 2;
  private static final int KIND = 3;

  /** Validates and copies. */
  public Naddr {
    Objects.requireNonNull(identifier, "identifier");
    if (!Objects.requireNonNull(author, "author").matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("an author is 64 lower-case hex digits, not " + author);
    }
    relays = List.copyOf(relays);
  }

  /** The {@code naddr1…} text. */
  public String encode() {
    // NIP-19 leaves the order of entries open; this is nostr-tools' (the most common client's), so
    // the same address reads the same everywhere.
    ByteArrayOutputStream tlv = new ByteArrayOutputStream();
    put(tlv, KIND, ByteBuffer.allocate(4).putInt(kind).array());
    put(tlv, AUTHOR, HexFormat.of().parseHex(author));
    for (URI relay : relays) {
      put(tlv, RELAY, relay.toString().getBytes(StandardCharsets.UTF_8));
    }
    put(tlv, SPECIAL, identifier.getBytes(StandardCharsets.UTF_8));
    return Bech32.encode(HRP, tlv.toByteArray());
  }

  /**
   * Reads an {@code naddr1…} text, with or without NIP-21's {@code nostr:} prefix.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static Naddr decode(String text) {
    String bare = text.strip();
    if (bare.startsWith("nostr:")) {
      bare = bare.substring("nostr:".length());
    }
    Bech32.Decoded decoded;
    try {
      decoded = Bech32.decode(bare);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an naddr: " + e.getMessage(), e);
    }
    if (!decoded.hrp().equals(HRP)) {
      throw new IllegalArgumentException(
          "not an naddr but an " + decoded.hrp() + ": give the naddr1… of a manifest");
    }
    byte[] data = decoded.data();
    String identifier = null;
    String author = null;
    Integer kind = null;
    List<URI> relays = new ArrayList<>();
    int i = 0;
    while (i < data.length) {
      if (i + 2 > data.length) {
        throw new IllegalArgumentException("not an naddr: a TLV entry is cut short");
      }
      int type = data[i] & 0xff;
      int length = data[i + 1] & 0xff;
      if (i + 2 + length > data.length) {
        throw new IllegalArgumentException("not an naddr: a TLV entry is cut short");
      }
      byte[] value = java.util.Arrays.copyOfRange(data, i + 2, i + 2 + length);
      switch (type) {
        case SPECIAL -> identifier = new String(value, StandardCharsets.UTF_8);
        case RELAY -> {
          try {
            relays.add(URI.create(new String(value, StandardCharsets.UTF_8)));
          } catch (IllegalArgumentException e) {
            // A relay hint that is not a URI is only a hint: the configured relays remain.
          }
        }
        case AUTHOR -> {
          if (length != 32) {
            throw new IllegalArgumentException("not an naddr: its author is not 32 bytes");
          }
          author = HexFormat.of().formatHex(value);
        }
        case KIND -> {
          if (length != 4) {
            throw new IllegalArgumentException("not an naddr: its kind is not 4 bytes");
          }
          kind = ByteBuffer.wrap(value).getInt();
        }
        default -> {
          // NIP-19: unknown TLV types are ignored.
        }
      }
      i += 2 + length;
    }
    if (identifier == null || author == null || kind == null) {
      throw new IllegalArgumentException(
          "not an naddr: it lacks its "
              + (identifier == null ? "identifier" : author == null ? "author" : "kind"));
    }
    return new Naddr(identifier, author, kind, relays);
  }

  private static void put(ByteArrayOutputStream out, int type, byte[] value) {
    if (value.length > 255) {
      throw new IllegalArgumentException("an naddr entry holds at most 255 bytes");
    }
    out.write(type);
    out.write(value.length);
    out.writeBytes(value);
  }

  @Override
  public String toString() {
    return encode();
  }
}
