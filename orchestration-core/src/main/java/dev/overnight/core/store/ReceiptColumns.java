package dev.overnight.core.store;

import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import dev.overnight.api.schedule.WakeVerdict;
import java.util.Optional;

/**
 * A cycle's wake receipt as a store's three {@code receipt_*} columns hold it: the verdict's and
 * the reason's enum names, and the detail. A row written before the columns existed (all three
 * NULL) reads as the receipt its outcome and skip reason imply. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class ReceiptColumns {
  private ReceiptColumns() {}

  /** The {@code receipt_verdict} column's value. */
  public static String verdict(WakeReceipt receipt) {
    return receipt.verdict().name();
  }

  /** The {@code receipt_reason} column's value: NULL for a wake that fired without one. */
  public static String reason(WakeReceipt receipt) {
    return receipt.reason().map(Enum::name).orElse(null);
  }

  /** The {@code receipt_detail} column's value. */
  public static String detail(WakeReceipt receipt) {
    return receipt.detail();
  }

  /**
   * {@code read} with the receipt the columns hold, or unchanged when they hold none (a row from
   * before schema 7, whose receipt {@code read} already derived).
   *
   * @throws IllegalArgumentException if the columns hold names this code does not know
   */
  public static CycleRecord withColumns(
      CycleRecord read, String verdict, String reason, String detail) {
    if (verdict == null) {
      return read;
    }
    return read.withReceipt(
        new WakeReceipt(
            WakeVerdict.valueOf(verdict),
            Optional.ofNullable(reason).map(WakeReason::valueOf),
            detail == null ? "" : detail));
  }
}
