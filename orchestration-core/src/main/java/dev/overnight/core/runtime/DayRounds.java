package dev.overnight.core.runtime;

import dev.overnight.api.Cancellable;
import dev.overnight.api.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rounds of follow-ups in the day ({@code pr_automation.follow_ups.in_day}): every {@code
 * day_interval_sec} on the runtime's clock, a round is handed to the executor, which decides
 * whether it runs (outside the window, constraints met, no cycle running). One timer, nothing
 * polls; the timer's action only hands the round on, so a long round never delays it, and a round
 * still running when the next comes due is the runtime's to skip.
 *
 * <p>Thread-safe. {@link #close()} cancels the timer; a round already handed on still runs.
 */
final class DayRounds implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DayRounds.class);

  private final TimeSource time;
  private final Duration interval;
  private final Executor executor;
  private final Runnable round;
  private Cancellable timer; // guarded by this
  private boolean closed; // guarded by this

  DayRounds(TimeSource time, Duration interval, Executor executor, Runnable round) {
    this.time = Objects.requireNonNull(time, "time");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.round = Objects.requireNonNull(round, "round");
  }

  /** Plans the first round one interval from now. */
  synchronized void start() {
    if (!closed && timer == null) {
      plan();
    }
  }

  private void plan() {
    timer = time.schedule(time.instant().plus(interval), this::due);
  }

  private void due() {
    synchronized (this) {
      if (closed) {
        return;
      }
      plan();
    }
    try {
      executor.execute(round);
    } catch (RejectedExecutionException e) {
      LOG.debug("A round of follow-ups in the day was not run: {}", e.toString());
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
