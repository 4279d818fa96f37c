package dev.overnight.acp.internal;

import dev.overnight.api.Cancellable;
import dev.overnight.api.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A session's own {@link TimeSource} on the system clock: one timer thread, ended when the session
 * closes. Used unless the provider was given a time source.
 */
final class SystemTimers implements TimeSource, AutoCloseable {
  private final InstantSource clock = InstantSource.system();
  private final ScheduledThreadPoolExecutor executor;

  SystemTimers(ThreadFactory threads) {
    executor = new ScheduledThreadPoolExecutor(1, threads);
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Instant instant() {
    return clock.instant();
  }

  @Override
  public Cancellable schedule(Instant at, Runnable action) {
    long delay = Math.max(0, Duration.between(clock.instant(), at).toNanos());
    ScheduledFuture<?> f;
    try {
      f = executor.schedule(action, delay, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return () -> false;
    }
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
