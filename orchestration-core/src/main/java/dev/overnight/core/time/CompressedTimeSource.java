package dev.overnight.core.time;

import dev.overnight.api.Cancellable;
import dev.overnight.api.TimeSource;
import java.time.Duration;
import java.time.Instant;

/**
 * Real time, sped up: a virtual clock that runs {@code factor} times faster than the wrapped real
 * time source, whose timers are the real source's timers at the mapped real instants. The
 * scheduler's whole wake path (timer thread, hand-off, cycle thread) runs for real; only the
 * calendar is compressed, so a per-minute cron wakes every few milliseconds.
 *
 * <p>For demonstrations ({@code overnight demo} runs a night in a minute) and measurements; agents
 * and other real processes keep running in real time. Thread-safe.
 *
 * @since 0.1.0
 */
public final class CompressedTimeSource implements TimeSource {
  private final TimeSource real;
  private final long factor;
  private final Instant realOrigin;
  private final Instant virtualOrigin;
  private volatile Instant lastFired = Instant.EPOCH;

  /**
   * Creates the time source.
   *
   * @param real the time source whose clock and timers run in real time
   * @param factor how many times faster the virtual clock runs (at least 1)
   * @param virtualOrigin the virtual instant that corresponds to now
   */
  public CompressedTimeSource(TimeSource real, long factor, Instant virtualOrigin) {
    if (factor < 1) {
      throw new IllegalArgumentException("factor must be at least 1, was " + factor);
    }
    this.real = real;
    this.factor = factor;
    this.realOrigin = real.instant();
    this.virtualOrigin = virtualOrigin;
  }

  @Override
  public Instant instant() {
    return toVirtual(real.instant());
  }

  @Override
  public Cancellable schedule(Instant at, Runnable action) {
    return real.schedule(
        toReal(at),
        () -> {
          lastFired = real.instant();
          action.run();
        });
  }

  /** The real instant the virtual origin maps to. */
  public Instant realOrigin() {
    return realOrigin;
  }

  /** When (real time) the most recent timer action started. */
  public Instant lastFired() {
    return lastFired;
  }

  /** The virtual instant a real one maps to. */
  public Instant toVirtual(Instant realInstant) {
    long nanos = Duration.between(realOrigin, realInstant).toNanos();
    return virtualOrigin.plusNanos(nanos * factor);
  }

  /** The real instant a virtual one maps to. */
  public Instant toReal(Instant virtualInstant) {
    long nanos = Duration.between(virtualOrigin, virtualInstant).toNanos();
    return realOrigin.plusNanos(nanos / factor);
  }
}
