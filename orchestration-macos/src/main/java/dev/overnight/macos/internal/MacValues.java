package dev.overnight.macos.internal;

import java.util.OptionalLong;

/** Conversions of raw native values, kept apart so they are tested on any system. */
final class MacValues {
  private MacValues() {}

  /** Up to 8 little-endian bytes as an unsigned number; empty for none or more than 8. */
  static OptionalLong littleEndianUnsigned(byte[] bytes) {
    if (bytes.length == 0 || bytes.length > 8) {
      return OptionalLong.empty();
    }
    long value = 0;
    for (int i = bytes.length - 1; i >= 0; i--) {
      value = (value << 8) | (bytes[i] & 0xFF);
    }
    return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
  }
}
