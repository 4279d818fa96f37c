package dev.overnight.core.time;

import dev.overnight.api.Cancellable;
import dev.overnight.api.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link TimeSource}: reads a wall clock and runs due actions on one daemon thread.
 *
 * <p>The thread sleeps until the earliest due instant; with nothing scheduled it sleeps without a
 * deadline, so an idle time source costs no CPU. Waits are measured on a monotonic timer, which
 * does not advance while the machine is suspended, so the thread also wakes at least every {@code
 * maxCheckInterval} (30 s by default) to re-read the wall clock: an action due while the machine
 * slept runs within that interval of waking. A wall clock set back delays actions until it reaches
 * their instants again, as the {@link TimeSource} contract says.
 *
 * <p>Thread-safe. {@link #schedule} never blocks; actions run one at a time on the timer thread and
 * must be short (hand longer work to an executor). An action that throws is logged and the others
 * still run. {@link #close()} stops the thread and drops what is still scheduled.
 *
 * @since 0.1.0
 */
public final class SystemTimeSource implements TimeSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SystemTimeSource.class);

  /** Default for how often the timer thread re-reads the wall clock while waiting. */
  public static final Duration DEFAULT_MAX_CHECK_INTERVAL = Duration.ofSeconds(30);

  private static final long FAR_NANOS = TimeUnit.DAYS.toNanos(365);

  private static final SystemTimeSource SHARED =
      new SystemTimeSource(Clock.systemUTC(), DEFAULT_MAX_CHECK_INTERVAL, "overnight-timer", false);

  private final InstantSource clock;
  private final long maxCheckNanos;
  private final String threadName;
  private final boolean closeable;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final PriorityQueue<TimedAction> queue = new PriorityQueue<>();
  private long sequence;
  private Thread thread;
  private boolean closed;

  private SystemTimeSource(
      InstantSource clock, Duration maxCheckInterval, String threadName, boolean closeable) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.closeable = closeable;
    if (maxCheckInterval.isNegative() || maxCheckInterval.isZero()) {
      throw new IllegalArgumentException("maxCheckInterval must be positive");
    }
    this.maxCheckNanos = maxCheckInterval.toNanos();
    this.threadName = Objects.requireNonNull(threadName, "threadName");
  }

  /** A time source on the system UTC clock, re-reading it at least every 30 s while waiting. */
  public static SystemTimeSource create() {
    return new SystemTimeSource(
        Clock.systemUTC(), DEFAULT_MAX_CHECK_INTERVAL, "overnight-timer", true);
  }

  /**
   * The process's shared time source on the system UTC clock: what a part built outside a runtime
   * (an agent provider made by hand, a command that only reads the clock) uses by default. Its
   * thread starts on first use and lives as long as the process, idle at no cost; {@link #close()}
   * leaves it running, since others share it.
   */
  public static SystemTimeSource shared() {
    return SHARED;
  }

  /**
   * A time source on {@code clock}.
   *
   * @param clock the wall clock to read
   * @param maxCheckInterval the longest the timer thread waits before re-reading the clock while
   *     something is scheduled; it bounds how late an action runs after the machine wakes
   * @param threadName the timer thread's name
   */
  public static SystemTimeSource create(
      InstantSource clock, Duration maxCheckInterval, String threadName) {
    return new SystemTimeSource(clock, maxCheckInterval, threadName, true);
  }

  @Override
  public Instant instant() {
    return clock.instant();
  }

  /**
   * {@inheritDoc}
   *
   * <p>After {@link #close()} the action is dropped and the returned handle reports it was never
   * pending.
   */
  @Override
  public Cancellable schedule(Instant at, Runnable action) {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(action, "action");
    lock.lock();
    try {
      if (closed) {
        LOG.debug("Time source closed; dropping an action due at {}", at);
        return () -> false;
      }
      TimedAction entry = new TimedAction(at, sequence++, action);
      queue.add(entry);
      if (thread == null) {
        thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
      }
      if (queue.peek() == entry) {
        changed.signal();
      }
      return () -> cancel(entry);
    } finally {
      lock.unlock();
    }
  }

  /** How many actions are scheduled and not yet started. */
  public int pending() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the timer thread; actions not yet started never run. Idempotent. Does nothing on {@link
   * #shared()}.
   */
  @Override
  public void close() {
    if (!closeable) {
      return;
    }
    lock.lock();
    try {
      closed = true;
      queue.clear();
      changed.signalAll();
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

  private void loop() {
    lock.lock();
    try {
      while (!closed) {
        TimedAction head = queue.peek();
        if (head == null) {
          changed.await();
          continue;
        }
        long wait = nanosUntil(head.at());
        if (wait > 0) {
          changed.awaitNanos(Math.min(wait, maxCheckNanos));
          continue;
        }
        queue.poll();
        lock.unlock();
        try {
          head.action().run();
        } catch (Throwable t) {
          LOG.error("A timed action due at {} failed", head.at(), t);
        } finally {
          lock.lock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("Timer thread {} interrupted; scheduled actions will not run", threadName);
    } finally {
      lock.unlock();
    }
  }

  private long nanosUntil(Instant at) {
    Duration d = Duration.between(clock.instant(), at);
    if (d.getSeconds() > FAR_NANOS / 1_000_000_000L) {
      return FAR_NANOS;
    }
    return d.isNegative() ? 0 : d.toNanos();
  }
}
