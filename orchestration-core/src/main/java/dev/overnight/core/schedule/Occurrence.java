package dev.overnight.core.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One time a schedule fires: the local wall time its cron expression names, and the instant it
 * fires at after the daylight-saving rule.
 *
 * <p>The two usually agree. They differ for a fixed-time occurrence inside a spring-forward gap
 * ({@code 02:30} on a night whose clocks jump from {@code 02:00} to {@code 03:00} fires at the
 * jump), and in a fall-back repeat, where one local time names two instants.
 *
 * @param cronTime the local time the expression names; the window is judged on it
 * @param at when it fires (before jitter)
 * @since 0.1.0
 */
public record Occurrence(LocalDateTime cronTime, Instant at) implements Comparable<Occurrence> {

  /** Validates the components. */
  public Occurrence {
    Objects.requireNonNull(cronTime, "cronTime");
    Objects.requireNonNull(at, "at");
  }

  @Override
  public int compareTo(Occurrence other) {
    return at.compareTo(other.at);
  }
}
