package dev.overnight.api.schedule;

import dev.overnight.api.Subscription;
import java.time.Instant;
import java.util.Optional;

/**
 * Runs cycles on a cron schedule inside a time window, with jitter, a missed-run policy, a
 * constraint gate and keep-awake: the heart of "runs while you sleep".
 *
 * <p><b>Threading.</b> Thread-safe. {@link #start()} and {@link #stop()} return promptly; cycles
 * run on the scheduler's own thread, one at a time (two cycles never overlap). While idle the
 * scheduler consumes no CPU: it waits on its time source until the next wake.
 *
 * <p><b>Life.</b> {@code Idle → Running(nextWake) ⇄ Paused(reason, retryAt) → Stopped}. {@code
 * start()} is idempotent; {@code stop()} works from any state, cancels a running cycle's wait and
 * releases keep-awake; a stopped scheduler does not start again.
 *
 * @since 0.1.0
 */
public interface Scheduler extends AutoCloseable {

  /** Starts waking on schedule. Idempotent; does nothing once stopped. */
  void start();

  /**
   * Stops for good: no further cycles, a running cycle is cancelled (see {@link
   * CycleContext#isCancelled()}), keep-awake is released. Idempotent.
   */
  void stop();

  /** The current state. */
  SchedulerState state();

  /** A snapshot of the counters. */
  SchedulerMetrics metrics();

  /** The next planned wake, when running. */
  Optional<Instant> nextWake();

  /**
   * Runs a cycle now, outside the schedule, if none is running and constraints allow.
   *
   * @return whether a cycle was started
   */
  boolean runNow();

  /** Holds cycles back until {@link #resume()}; planned cycles are skipped as paused by user. */
  void pause(String reason);

  /** Lifts a user pause. */
  void resume();

  /**
   * Subscribes to events from now on; closing the subscription stops them. The listener runs on the
   * scheduler's thread and must not block; an exception from it is logged and ignored.
   */
  Subscription subscribe(SchedulerListener listener);

  /** Same as {@link #stop()}. */
  @Override
  void close();
}
