package dev.overnight.nostr.internal;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Bech32 (BIP-173, not Bech32m) as NIP-19 uses it: a human-readable part, the data regrouped from
 * 8-bit bytes into 5-bit groups, and a six-character checksum. NIP-19's TLV addresses are longer
 * than BIP-173's 90 characters, so no length limit applies beyond {@link #MAX_LENGTH}.
 *
 * <p>Stateless and thread-safe. An encoding, not cryptography: the checksum only catches typing
 * mistakes.
 *
 * @since 0.1.0
 */
public final class Bech32 {
  /** The longest text decoded: far beyond any address, short of anything abusive. */
  public static final int MAX_LENGTH = 5000;

  private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final int[] GENERATOR = {
    0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3
  };

  private Bech32() {}

  /**
   * A decoded text.
   *
   * @param hrp its human-readable part, lower case
   * @param data its data, in bytes
   */
  public record Decoded(String hrp, byte[] data) {}

  /** Encodes {@code data} under the human-readable part {@code hrp} (lower case). */
  public static String encode(String hrp, byte[] data) {
    byte[] groups = regroup(data, 8, 5, true);
    byte[] checksum = checksum(hrp, groups);
    StringBuilder out = new StringBuilder(hrp.length() + 1 + groups.length + 6);
    out.append(hrp).append('1');
    for (byte b : groups) {
      out.append(CHARSET.charAt(b));
    }
    for (byte b : checksum) {
      out.append(CHARSET.charAt(b));
    }
    return out.toString();
  }

  /**
   * Decodes a Bech32 text.
   *
   * @throws IllegalArgumentException if it is not Bech32 or its checksum is wrong
   */
  public static Decoded decode(String text) {
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("longer than " + MAX_LENGTH + " characters");
    }
    if (!text.equals(text.toLowerCase(Locale.ROOT))
        && !text.equals(text.toUpperCase(Locale.ROOT))) {
      throw new IllegalArgumentException("mixes upper and lower case");
    }
    String lower = text.toLowerCase(Locale.ROOT);
    int separator = lower.lastIndexOf('1');
    if (separator < 1 || separator + 7 > lower.length()) {
      throw new IllegalArgumentException("has no human-readable part, separator and checksum");
    }
    String hrp = lower.substring(0, separator);
    for (char c : hrp.toCharArray()) {
      if (c < 33 || c > 126) {
        throw new IllegalArgumentException("has a character outside US-ASCII in its prefix");
      }
    }
    byte[] values = new byte[lower.length() - separator - 1];
    for (int i = 0; i < values.length; i++) {
      int v = CHARSET.indexOf(lower.charAt(separator + 1 + i));
      if (v < 0) {
        throw new IllegalArgumentException(
            "has '" + lower.charAt(separator + 1 + i) + "', not a Bech32 character");
      }
      values[i] = (byte) v;
    }
    if (polymod(expand(hrp), values) != 1) {
      throw new IllegalArgumentException("has a wrong checksum (a typing mistake?)");
    }
    byte[] groups = java.util.Arrays.copyOf(values, values.length - 6);
    return new Decoded(hrp, regroup(groups, 5, 8, false));
  }

  private static byte[] checksum(String hrp, byte[] groups) {
    byte[] padded = java.util.Arrays.copyOf(groups, groups.length + 6);
    int mod = polymod(expand(hrp), padded) ^ 1;
    byte[] out = new byte[6];
    for (int i = 0; i < 6; i++) {
      out[i] = (byte) ((mod >>> (5 * (5 - i))) & 31);
    }
    return out;
  }

  private static byte[] expand(String hrp) {
    byte[] out = new byte[hrp.length() * 2 + 1];
    for (int i = 0; i < hrp.length(); i++) {
      out[i] = (byte) (hrp.charAt(i) >> 5);
      out[i + hrp.length() + 1] = (byte) (hrp.charAt(i) & 31);
    }
    return out;
  }

  private static int polymod(byte[] prefix, byte[] values) {
    int chk = 1;
    for (byte[] part : new byte[][] {prefix, values}) {
      for (byte v : part) {
        int top = chk >>> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ (v & 0xff);
        for (int i = 0; i < 5; i++) {
          if (((top >>> i) & 1) != 0) {
            chk ^= GENERATOR[i];
          }
        }
      }
    }
    return chk;
  }

  /** Regroups bits from {@code from}-bit to {@code to}-bit groups (BIP-173's convertbits). */
  private static byte[] regroup(byte[] data, int from, int to, boolean pad) {
    int acc = 0;
    int bits = 0;
    int max = (1 << to) - 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : data) {
      int value = b & 0xff;
      if ((value >>> from) != 0) {
        throw new IllegalArgumentException("has a value out of range");
      }
      acc = (acc << from) | value;
      bits += from;
      while (bits >= to) {
        bits -= to;
        out.write((acc >>> bits) & max);
      }
    }
    if (pad) {
      if (bits > 0) {
        out.write((acc << (to - bits)) & max);
      }
    } else if (bits >= from || ((acc << (to - bits)) & max) != 0) {
      throw new IllegalArgumentException("has padding that is not zero");
    }
    return out.toByteArray();
  }
}
