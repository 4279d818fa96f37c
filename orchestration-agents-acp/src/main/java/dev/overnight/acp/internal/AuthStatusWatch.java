package dev.overnight.acp.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What an agent last said about its login, for agents whose profile reads such a notification
 * ({@link AgentExtensions.AuthStatus}): the connection reports each one, the start-up waits for the
 * first. Thread-safe; only {@link #awaitFirst} blocks.
 */
final class AuthStatusWatch {
  private final CountDownLatch first = new CountDownLatch(1);
  private volatile boolean notLoggedIn;

  /** The agent said whether it is logged in; the latest report wins. */
  void report(boolean saysNotLoggedIn) {
    notLoggedIn = saysNotLoggedIn;
    first.countDown();
  }

  /** Whether the latest report said the agent is not logged in (false before any report). */
  boolean saysNotLoggedIn() {
    return notLoggedIn;
  }

  /**
   * Waits for the first report, at most {@code max} and never past {@code deadlineNanos} (a {@link
   * System#nanoTime()} value). An interrupt ends the wait with the thread's flag set again.
   */
  void awaitFirst(Duration max, long deadlineNanos) {
    long wait = Math.min(max.toNanos(), deadlineNanos - System.nanoTime());
    if (wait <= 0) {
      return;
    }
    try {
      first.await(wait, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
