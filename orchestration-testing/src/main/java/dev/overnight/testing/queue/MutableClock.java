package dev.overnight.testing.queue;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link InstantSource} that stands still until a test moves it: what the queue and state-store
 * compatibility kits hand to the store under test, so that leases run out on command instead of
 * after a wait.
 *
 * <p>Thread-safe; reads and moves are atomic.
 */
public final class MutableClock implements InstantSource {
  private final AtomicReference<Instant> now;

  /** A clock standing at {@code start}. */
  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  /** A clock standing at an ISO-8601 instant such as {@code 2026-11-25T22:00:00Z}. */
  public static MutableClock at(String isoInstant) {
    return new MutableClock(Instant.parse(isoInstant));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  /** Moves the clock to {@code instant}, backwards too (a wall clock may jump). */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /** Moves the clock forward by {@code amount} and returns the new instant. */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    return now.updateAndGet(t -> t.plus(amount));
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "]";
  }
}
