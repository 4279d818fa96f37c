package dev.overnight.api;

import java.time.Instant;
import java.time.InstantSource;

/**
 * Wall-clock time plus the means to act at a future instant: the one dependency through which
 * Overnight reads and waits on time.
 *
 * <p>Nothing in Overnight's core reads the system clock or sleeps directly; everything goes through
 * a {@code TimeSource}. The system implementation lives in {@code orchestration-core}; the testing
 * module ships a manual one whose clock only moves when a test advances it, so a whole night runs
 * in milliseconds.
 *
 * <p>Implementations are thread-safe. {@link #schedule} never blocks; actions run on a thread owned
 * by the time source (the system one) or on the thread that advances time (the manual one), so they
 * must not block for long. An action that throws is logged and does not affect other actions.
 *
 * @since 0.1.0
 */
public interface TimeSource extends InstantSource {

  /**
   * Runs {@code action} once, as soon as the wall clock reaches {@code at}.
   *
   * <p>Due times are wall-clock instants, not delays: if the machine sleeps past {@code at}, the
   * action runs promptly after it wakes. An instant in the past runs the action as soon as
   * possible.
   *
   * @return a handle that calls the action off if it has not started
   */
  Cancellable schedule(Instant at, Runnable action);
}
