package dev.overnight.fakes;

import dev.overnight.api.Cancellable;
import dev.overnight.api.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Virtual time: a {@link TimeSource} whose clock moves only when a test moves it, and whose timer
 * runs due actions on the thread that moves it. No thread ever sleeps, so a whole night runs in
 * milliseconds and every run is the same.
 *
 * <pre>{@code
 * ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-06-01T22:00:00Z"));
 * Scheduler scheduler = DefaultScheduler.builder()
 *     .schedule(schedule).cycleRunner(runner)
 *     .timeSource(time).cycleExecutor(Runnable::run) // cycles on the advancing thread
 *     .build();
 * scheduler.start();
 * time.advance(Duration.ofHours(8)); // every wake of the night, in order
 * }</pre>
 *
 * <p>{@link #advance} and {@link #runUntil} run each due action in time order (ties in the order
 * they were scheduled), setting the clock to the action's instant first, so an action sees the time
 * it was due; actions may schedule more actions, and may themselves advance time (a cycle that
 * "takes" forty minutes). {@link #setWallClock} jumps the clock, forward or back, without running
 * anything, like a machine that slept or a clock that was set; {@link #runDue()} then runs what the
 * jump made due, as a real timer does shortly after waking.
 *
 * <p>An action that throws does not stop the others; when the outermost call that ran it returns,
 * the failure is rethrown as an {@link AssertionError} (others attached as suppressed), so a test
 * cannot miss it. Thread-safe.
 *
 * @since 0.1.0
 */
public final class ManualTimeSource implements TimeSource {
  private final ReentrantLock lock = new ReentrantLock();
  private final PriorityQueue<TimedAction> queue = new PriorityQueue<>();
  private final List<Throwable> failures = new ArrayList<>();
  private final AtomicInteger depth = new AtomicInteger();
  private Instant now;
  private long sequence;

  /** A time source whose clock reads {@code start}. */
  public ManualTimeSource(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** A time source whose clock reads an ISO-8601 instant such as {@code 2026-11-25T22:00:00Z}. */
  public static ManualTimeSource at(String isoInstant) {
    return new ManualTimeSource(Instant.parse(isoInstant));
  }

  @Override
  public Instant instant() {
    lock.lock();
    try {
      return now;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Cancellable schedule(Instant at, Runnable action) {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(action, "action");
    lock.lock();
    try {
      TimedAction entry = new TimedAction(at, sequence++, action);
      queue.add(entry);
      return () -> cancel(entry);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves the clock forward by {@code duration}, running every action due on the way.
   *
   * @return the clock's new reading
   */
  public Instant advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only advances; use setWallClock to go back");
    }
    runUntil(instant().plus(duration));
    return instant();
  }

  /**
   * Runs every action due at or before {@code target}, in order, then leaves the clock at {@code
   * target} (or where it is, if that is later).
   *
   * @return how many actions ran
   */
  public int runUntil(Instant target) {
    depth.incrementAndGet();
    int ran = 0;
    try {
      while (true) {
        TimedAction entry;
        lock.lock();
        try {
          entry = queue.peek();
          if (entry == null || entry.at().isAfter(target)) {
            if (target.isAfter(now)) {
              now = target;
            }
            break;
          }
          queue.poll();
          if (entry.at().isAfter(now)) {
            now = entry.at();
          }
        } finally {
          lock.unlock();
        }
        run(entry);
        ran++;
      }
    } finally {
      leave();
    }
    return ran;
  }

  /**
   * Runs the earliest scheduled action, moving the clock to its instant if that is later.
   *
   * @return whether there was one
   */
  public boolean runNextDue() {
    depth.incrementAndGet();
    try {
      TimedAction entry;
      lock.lock();
      try {
        entry = queue.poll();
        if (entry == null) {
          return false;
        }
        if (entry.at().isAfter(now)) {
          now = entry.at();
        }
      } finally {
        lock.unlock();
      }
      run(entry);
      return true;
    } finally {
      leave();
    }
  }

  /**
   * Runs every action due now, without moving the clock.
   *
   * @return how many actions ran
   */
  public int runDue() {
    return runUntil(instant());
  }

  /**
   * Sets the wall clock, forward or back, without running anything: a machine that slept, or a
   * clock that was corrected. Call {@link #runDue()} to let the timer notice.
   */
  public void setWallClock(Instant t) {
    Objects.requireNonNull(t, "t");
    lock.lock();
    try {
      now = t;
    } finally {
      lock.unlock();
    }
  }

  /** When the earliest scheduled action is due, if any. */
  public Optional<Instant> nextDue() {
    lock.lock();
    try {
      return Optional.ofNullable(queue.peek()).map(e -> e.at());
    } finally {
      lock.unlock();
    }
  }

  /** How many actions are scheduled and not yet run or cancelled. */
  public int pending() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private boolean cancel(TimedAction entry) {
    lock.lock();
    try {
      return queue.remove(entry);
    } finally {
      lock.unlock();
    }
  }

  private void run(TimedAction entry) {
    try {
      entry.action().run();
    } catch (RuntimeException | Error e) {
      lock.lock();
      try {
        failures.add(e);
      } finally {
        lock.unlock();
      }
    }
  }

  private void leave() {
    if (depth.decrementAndGet() > 0) {
      return;
    }
    List<Throwable> thrown;
    lock.lock();
    try {
      thrown = List.copyOf(failures);
      failures.clear();
    } finally {
      lock.unlock();
    }
    if (!thrown.isEmpty()) {
      AssertionError error =
          new AssertionError(
              thrown.size() + " timed action(s) failed; the first: " + thrown.get(0),
              thrown.get(0));
      thrown.stream().skip(1).forEach(error::addSuppressed);
      throw error;
    }
  }

  @Override
  public String toString() {
    return "ManualTimeSource[" + instant() + ", " + pending() + " pending]";
  }

  /**
   * A scheduled action: ordered by time, then by the order of scheduling, so actions due at one
   * instant run first come, first served — the order core's system time source keeps too.
   */
  private record TimedAction(Instant at, long sequence, Runnable action)
      implements Comparable<TimedAction> {
    private static final Comparator<TimedAction> ORDER =
        Comparator.comparing(TimedAction::at).thenComparingLong(TimedAction::sequence);

    @Override
    public int compareTo(TimedAction other) {
      return ORDER.compare(this, other);
    }
  }
}
