package dev.overnight.core.pr;

import dev.overnight.api.Cancellable;
import dev.overnight.api.OrchestrationException;
import dev.overnight.api.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits for a pull request's checks to settle: asks every {@code interval} on a {@link TimeSource}
 * (virtual time in tests) until they passed, one failed, or the time allowed is spent.
 *
 * <p>Blocks the calling thread until then, or until {@code cancelled} says so (looked at between
 * asks, at least once a second); an interrupt ends the wait as cancelled, the flag kept. A forge
 * that cannot be asked ends it with that error. Thread-safe: each call waits on its own.
 *
 * @since 0.1.0
 */
public final class ChecksWait {
  /** How often GitHub is asked by default: often enough, far inside its rate limit. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  private final ChecksLookup checks;
  private final TimeSource time;
  private final Duration interval;

  private ChecksWait(ChecksLookup checks, TimeSource time, Duration interval) {
    this.checks = Objects.requireNonNull(checks, "checks");
    this.time = Objects.requireNonNull(time, "time");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    this.interval = interval;
  }

  /** Waits through {@code checks} on {@code time}, asking every {@code interval}. */
  public static ChecksWait of(ChecksLookup checks, TimeSource time, Duration interval) {
    return new ChecksWait(checks, time, interval);
  }

  /**
   * How a wait ended.
   *
   * @param outcome the checks as last read; {@link ChecksOutcome.State#PENDING} when the time ran
   *     out or the wait was cancelled
   * @param timedOut whether the time allowed was spent with checks still pending
   * @param asked how many times the forge was asked
   * @since 0.1.0
   */
  public record Result(ChecksOutcome outcome, boolean timedOut, int asked) {}

  /**
   * Waits up to {@code timeout} for the checks of {@code branch}'s pull request.
   *
   * @throws OrchestrationException when the branch has no pull request, or the forge cannot be
   *     asked
   */
  public Result await(String branch, Duration timeout, BooleanSupplier cancelled) {
    Instant deadline = time.instant().plus(timeout);
    int asked = 0;
    while (true) {
      asked++;
      Optional<ChecksOutcome> read = checks.checksOf(branch);
      if (read.isEmpty()) {
        throw new OrchestrationException("the branch " + branch + " has no pull request");
      }
      ChecksOutcome now = read.get();
      if (now.state() != ChecksOutcome.State.PENDING || cancelled.getAsBoolean()) {
        return new Result(now, false, asked);
      }
      if (!time.instant().isBefore(deadline)) {
        return new Result(now, true, asked);
      }
      Instant next = time.instant().plus(interval);
      // The last ask falls on the deadline itself, so a check that settles just then counts.
      if (!sleepUntil(next.isAfter(deadline) ? deadline : next, cancelled)) {
        return new Result(now, false, asked);
      }
    }
  }

  /** False when cancelled or interrupted before {@code at}. */
  private boolean sleepUntil(Instant at, BooleanSupplier cancelled) {
    CountDownLatch due = new CountDownLatch(1);
    Cancellable timer = time.schedule(at, due::countDown);
    try {
      while (!due.await(1, TimeUnit.SECONDS)) {
        if (cancelled.getAsBoolean()) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      timer.cancel();
    }
  }
}
