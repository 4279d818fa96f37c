package dev.overnight.core.runtime;

import dev.overnight.api.schedule.SchedulerEvent;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cycles a runtime has running: the scheduler's, counted from its events, and those outside the
 * schedule (run by hand, or a round of follow-ups in the day), which are also kept so that a stop
 * can cancel them as the scheduler cancels its own. A stop waits here until none runs.
 *
 * <p>Thread-safe. {@link #awaitNone} blocks up to its wait.
 */
final class RunningCycles {
  private final Object monitor = new Object();
  private final Set<OneOffCycle> outsideSchedule = ConcurrentHashMap.newKeySet();
  private int running; // guarded by monitor

  /** Counts the scheduler's cycles, as a listener of its events. */
  void onSchedulerEvent(SchedulerEvent e) {
    if (e instanceof SchedulerEvent.CycleStarted) {
      began();
    } else if (e instanceof SchedulerEvent.CycleFinished) {
      ended();
    }
  }

  void began() {
    synchronized (monitor) {
      running++;
    }
  }

  /** Counts a cycle as begun only if none runs: whether it was. */
  boolean beganAlone() {
    synchronized (monitor) {
      if (running > 0) {
        return false;
      }
      running++;
      return true;
    }
  }

  void ended() {
    synchronized (monitor) {
      running = Math.max(0, running - 1);
      monitor.notifyAll();
    }
  }

  /** Keeps a cycle outside the schedule, for {@link #cancelOutsideSchedule()}, until removed. */
  void add(OneOffCycle cycle) {
    outsideSchedule.add(cycle);
  }

  void remove(OneOffCycle cycle) {
    outsideSchedule.remove(cycle);
  }

  /**
   * Cancels every cycle outside the schedule: it starts no further task, its agents are cancelled.
   */
  void cancelOutsideSchedule() {
    outsideSchedule.forEach(OneOffCycle::cancel);
  }

  /** Waits, in real time (cycles end on agent processes, not on the runtime's clock). */
  boolean awaitNone(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (monitor) {
      while (running > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          monitor.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }
}
