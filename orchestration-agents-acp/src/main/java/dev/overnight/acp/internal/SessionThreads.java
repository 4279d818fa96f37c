package dev.overnight.acp.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every thread one session starts, named {@code overnight-acp-<agent>-<n>-<role>-<k>} and kept in a
 * list, so that closing the session can wait for all of them and a test can prove none is left.
 */
final class SessionThreads {
  private static final AtomicInteger SESSIONS = new AtomicInteger();

  private final String prefix;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();

  SessionThreads(String agentId) {
    this.prefix = "overnight-acp-" + agentId + "-" + SESSIONS.incrementAndGet() + "-";
  }

  /** The common start of this session's thread names. */
  String prefix() {
    return prefix;
  }

  ThreadFactory factory(String role) {
    return r -> {
      Thread t = new Thread(r, prefix + role + "-" + count.incrementAndGet());
      t.setDaemon(true);
      threads.add(t);
      return t;
    };
  }

  /** A pool that grows as needed, so a blocked task (a terminal wait) never holds up another. */
  ThreadPoolExecutor workers() {
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), factory("worker"));
  }

  boolean isOwn(Thread t) {
    return t.getName().startsWith(prefix);
  }

  /** Waits until every thread of the session has ended, up to {@code millis} in all. */
  void join(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (Thread t : threads) {
      if (t == Thread.currentThread()) {
        continue;
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return;
      }
      try {
        t.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
