package dev.overnight.core.coordinator;

import dev.overnight.api.queue.TaskQueue;
import java.time.Duration;

/**
 * An idle cycle's wait for work ({@link TaskQueue#awaitWork}), which the cycle's cancellation ends
 * at once. The cancel interrupts the waiting thread only while it waits, never after.
 *
 * <p>Thread-safe: one thread waits, any may cancel.
 */
final class WorkWait {
  private Thread waiter; // guarded by this
  private boolean cancelled; // guarded by this

  /** Whether work may be ready; false when the time is up, the queue cannot tell, or cancelled. */
  boolean awaitWork(TaskQueue queue, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      return false;
    }
    synchronized (this) {
      if (cancelled) {
        return false;
      }
      waiter = Thread.currentThread();
    }
    try {
      return queue.awaitWork(timeout);
    } catch (InterruptedException e) {
      synchronized (this) {
        if (!cancelled) {
          // Not ours: whoever interrupted the cycle's thread must still see it.
          Thread.currentThread().interrupt();
        }
      }
      return false;
    } finally {
      synchronized (this) {
        waiter = null;
      }
    }
  }

  synchronized void cancel() {
    cancelled = true;
    if (waiter != null) {
      waiter.interrupt();
    }
  }
}
