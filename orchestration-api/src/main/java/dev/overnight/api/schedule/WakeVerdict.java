package dev.overnight.api.schedule;

import java.util.Locale;

/**
 * What became of a due wake, as its {@link WakeReceipt} says.
 *
 * @since 0.1.0
 */
public enum WakeVerdict {
  /** The cycle ran and started work (or ended trying). */
  FIRED,
  /**
   * No work came of it and none is owed for it: not run at all, or run but starting nothing (no
   * work, the night's limit reached, every agent parked).
   */
  SKIPPED,
  /**
   * It did not run when due, but is owed: a catch-up cycle makes up for it later ({@code
   * run_once_at_next_opportunity}), or the night waits for a better moment.
   */
  DEFERRED;

  /** The verdict as a snake_case key, for JSON. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
