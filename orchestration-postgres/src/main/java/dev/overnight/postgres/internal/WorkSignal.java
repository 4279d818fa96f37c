package dev.overnight.postgres.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the threads of this process that wait for work when any process sharing the schema
 * announces some ({@link Database.Tx#announceWork()}): a {@code LISTEN} on a connection of its own,
 * read by one daemon thread, started by the first wait.
 *
 * <p>A listening connection only reads, so a socket that died silently (a network that drops
 * packets without closing anything) would look like a quiet night forever. So when nothing has
 * arrived for the ping interval the listener asks the server {@code SELECT 1}; an answer that does
 * not come within the socket timeout, or any failure, drops the connection and opens another.
 *
 * <p>An enqueue notifies only while some process waits: it costs the enqueuing transaction a
 * serialized step at commit, and under load no worker waits. So while a thread of this process
 * waits, and for a {@linkplain #LINGER little while} after, the listening connection holds a shared
 * advisory lock ({@link #WAITING_KEY}, the channel's hash); an enqueue tries to take it exclusively
 * for its transaction, and notifies only when it cannot. Whoever comes second waits for the other:
 * an enqueue that took the lock first has committed before the listener holds it, and the listener
 * counts one once it holds it, so its waiters look at the queue again and find that task.
 *
 * <p>Every announcement, every (re)connection of the listening connection (which may have missed
 * some), and every taking of the lock counts one; a waiter returns once the count passes what it
 * last saw. So a wake-up may be spurious (the work was claimed by someone else first) but is never
 * lost: a thread that claimed nothing and then waits is woken by an enqueue that landed in between.
 *
 * <p>Thread-safe.
 */
public final class WorkSignal implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkSignal.class);

  /**
   * The first key of the advisory lock a process holds, shared, while it waits for work; the second
   * is the hash ({@code hashtext}) of the channel: "OVNW" in ASCII.
   */
  public static final int WAITING_KEY = 0x4F564E57;

  /**
   * How long the listener keeps the waiting lock after the last waiter left: a worker between two
   * tasks waits again soon, and taking the lock again would cost that wait a spurious wake-up.
   */
  static final Duration LINGER = Duration.ofSeconds(2);

  /**
   * How long the listener blocks reading at once, so that it notices {@link #close()} and takes the
   * waiting lock soon after a thread starts waiting.
   */
  private static final int POLL_MILLIS = 50;

  /** The pause before reconnecting a listener whose connection was lost. */
  private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

  private final Endpoint endpoint;
  private final String channel;
  private final long pingNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ThreadLocal<long[]> seen = new ThreadLocal<>();
  private long count; // guarded by lock
  private int waiters; // guarded by lock
  private long lastWaiterNanos; // guarded by lock: when a waiter last left
  private boolean started; // guarded by lock
  private volatile boolean closed;
  private Thread listener; // guarded by lock

  /**
   * A signal for the schema's announcements; nothing is opened until the first wait.
   *
   * @param pingInterval how long the listening connection may stay quiet before the listener checks
   *     that the server still answers
   */
  public WorkSignal(Endpoint endpoint, String schema, Duration pingInterval) {
    this.endpoint = endpoint;
    this.channel = channel(schema);
    this.pingNanos = pingInterval.toNanos();
    this.lastWaiterNanos = System.nanoTime(); // the listener starts for a waiter
  }

  /** The notification channel of a schema. */
  static String channel(String schema) {
    return "overnight_work." + schema;
  }

  /**
   * Waits until work was announced since this thread last returned from here, or the timeout
   * passed. A thread's first call returns at once: what happened before it is unknown.
   *
   * @return true when work may be ready, false when the timeout passed
   */
  public boolean await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      start();
      long[] mine = seen.get();
      if (mine == null) {
        seen.set(new long[] {count});
        return true;
      }
      waiters++;
      try {
        while (count == mine[0]) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || closed) {
            return false;
          }
          changed.awaitNanos(left);
        }
      } finally {
        waiters--;
        lastWaiterNanos = System.nanoTime();
      }
      mine[0] = count;
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void start() {
    if (started || closed) {
      return;
    }
    started = true;
    listener = new Thread(this::listen, "overnight-postgres-listener");
    listener.setDaemon(true);
    listener.start();
  }

  private void listen() {
    while (!closed) {
      Connection connection = null;
      try {
        connection = Database.connect(endpoint);
        try (Statement s = connection.createStatement()) {
          s.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
        }
        waitingLock(connection, true);
        boolean holding = true;
        // Whatever was announced while no connection listened is unknown: wake everyone.
        signal();
        LOG.info("Listening for work queued by any machine (channel {})", channel);
        PGConnection pg = connection.unwrap(PGConnection.class);
        long heard = System.nanoTime();
        while (!closed) {
          PGNotification[] notes = pg.getNotifications(POLL_MILLIS);
          if (notes != null && notes.length > 0) {
            signal();
            heard = System.nanoTime();
          } else if (System.nanoTime() - heard >= pingNanos) {
            ping(connection);
            heard = System.nanoTime();
          }
          boolean wanted = waitingWanted();
          if (holding != wanted) {
            waitingLock(connection, wanted);
            holding = wanted;
            if (wanted) {
              // An enqueue that took the lock first did not notify: look at the queue again.
              signal();
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!closed) {
          LOG.warn(
              "Lost the PostgreSQL connection that listens for new work ({}); reconnecting",
              e.getMessage());
          pause();
        }
      } finally {
        if (closed && connection != null) {
          releaseQuietly(connection);
        } else {
          Database.closeQuietly(connection, null);
        }
      }
    }
  }

  /** Whether a thread waits, or did a moment ago. */
  private boolean waitingWanted() {
    lock.lock();
    try {
      return waiters > 0 || System.nanoTime() - lastWaiterNanos < LINGER.toNanos();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes or gives back the shared waiting lock, for the session; committed at once, since the
   * server holds notices back from a session inside a transaction. Taking it waits for an enqueue
   * that holds it to commit.
   */
  private void waitingLock(Connection connection, boolean take) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            take
                ? "SELECT pg_advisory_lock_shared(?, hashtext(?))"
                : "SELECT pg_advisory_unlock_shared(?, hashtext(?))")) {
      s.setInt(1, WAITING_KEY);
      s.setString(2, channel);
      s.execute();
    }
    connection.commit();
  }

  /** Hands a connection that still listens back (to the application's pool, if it is one's). */
  private void releaseQuietly(Connection connection) {
    try {
      Database.release(endpoint, connection);
    } catch (SQLException | RuntimeException e) {
      // The store is closing and the connection is gone: nothing is left to release.
    }
  }

  /**
   * Asks the server for an answer; throws when none comes within the socket timeout. Committed at
   * once: the server holds notices back from a session inside a transaction.
   */
  private static void ping(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SELECT 1");
    }
    connection.commit();
  }

  private void signal() {
    lock.lock();
    try {
      count++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void pause() {
    lock.lock();
    try {
      long left = RECONNECT_PAUSE.toNanos();
      while (left > 0 && !closed) {
        left = changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  /** Stops listening; waiters return false. Idempotent. */
  @Override
  public void close() {
    closed = true;
    Thread t;
    lock.lock();
    try {
      changed.signalAll();
      t = listener;
    } finally {
      lock.unlock();
    }
    if (t != null) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
