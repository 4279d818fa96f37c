package dev.overnight.api.agent;

import java.time.Instant;
import java.util.Objects;

/**
 * What an agent said of its provider's usage window while the window still had room: when it resets
 * and how much of it is used. Claude Code's adapter reports one with each rate-limit status that is
 * not a rejection. Overnight learns a window's reset from it before the window is spent, and the
 * window's size from the share used (tokens used divided by the utilization).
 *
 * @param resetsAt when the window resets
 * @param utilization the share of the window used, from 0 (nothing) to 1 (all of it); 0 when the
 *     agent did not say
 * @since 0.1.0
 */
public record QuotaReading(Instant resetsAt, double utilization) {

  /** Validates the components. */
  public QuotaReading {
    Objects.requireNonNull(resetsAt, "resetsAt");
    if (!(utilization >= 0 && utilization <= 1)) {
      throw new IllegalArgumentException("utilization must be in [0, 1]: " + utilization);
    }
  }
}
