package dev.overnight.core.platform;

import java.math.BigDecimal;

/** Formatting of numbers in reasons: no trailing zeros, no exponent. */
final class Numbers {
  private Numbers() {}

  /** {@code 80.0} → {@code 80}, {@code 72.5} → {@code 72.5}. */
  static String plain(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return String.valueOf(value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /**
   * A measured percentage next to a limit: whole numbers, unless rounding would make the two look
   * equal while they are not (then one decimal).
   */
  static String percent(double measured, double limit) {
    long rounded = Math.round(measured);
    if (rounded == Math.round(limit) && measured != limit) {
      return String.format(java.util.Locale.ROOT, "%.1f", measured);
    }
    return Long.toString(rounded);
  }
}
