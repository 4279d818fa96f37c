package dev.overnight.postgres.internal;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.queue.TaskQueueException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.postgresql.Driver;
import org.postgresql.PGConnection;

/**
 * One Overnight schema in a PostgreSQL database, as this process uses it: one connection, the lock
 * that serializes this process's transactions on it, and reconnection after the connection is lost.
 *
 * <p><b>Transactions.</b> {@code READ COMMITTED}, PostgreSQL's default. What keeps processes apart
 * is row locks, not isolation: a claim takes its row with {@code FOR UPDATE SKIP LOCKED}, a change
 * to one task reads it {@code FOR UPDATE}, so two processes never both act on the same state of a
 * task; deduplication rests on a unique index. A statement waits for a row another connection holds
 * at most the lock timeout.
 *
 * <p><b>A lost connection.</b> When the server goes away (a restart, {@code pg_terminate_backend},
 * a network failure) the server rolls back the transaction that connection had open. So a
 * transaction that fails that way before its commit is sent runs once more, on a new connection,
 * and the caller sees nothing; if the next connection cannot be opened either, the call fails and
 * the one after tries again. A connection lost <em>during</em> the commit leaves the outcome
 * unknown: the call fails saying so. Single statements in autocommit ({@link #statement}) are
 * looked up after such a loss where they can be. For the queue that is safe either way, since a
 * claim whose commit did land is recovered when its lease runs out, and a completion is at worst
 * reported to the caller as failed.
 *
 * <p>Thread-safe: one lock guards the connection.
 */
public final class Database implements AutoCloseable {

  /** How many times a transaction runs at most when its connection is lost or it deadlocks. */
  /**
   * How many times opening is tried while the server keeps ending the connection (a restart, an
   * administrator terminating backends): a machine starting while its database restarts should wait
   * it out, not fail its night.
   */
  private static final int ATTEMPTS = 10;

  private final Endpoint endpoint;
  private final int schemaVersion;
  private final String schema;
  private final ReentrantLock lock = new ReentrantLock();
  private final Tx tx = new Tx();
  private Connection connection; // guarded by lock; null after a loss, until the next transaction
  private DSLContext dsl; // guarded by lock; over connection
  // Guarded by lock; prepared on connection, closed with it.
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private boolean closed; // guarded by lock

  /** What a transaction does with the database. */
  @FunctionalInterface
  public interface Work<T> {
    /**
     * Runs inside the transaction, on the calling thread, holding the lock. It may run more than
     * once (after a lost connection): it must start from nothing each time.
     */
    T run(Tx tx) throws SQLException;
  }

  /** The open transaction. */
  public final class Tx {
    private Tx() {}

    /** jOOQ on the transaction's connection. */
    public DSLContext dsl() {
      return dsl;
    }

    /**
     * The transaction connection's prepared statement for {@code sql}, prepared once per
     * connection: the queue's hot statements skip jOOQ's rendering and the driver's parsing, which
     * cost more client CPU than the server spends running them. Its parameters are the caller's to
     * set, every one, on each use.
     */
    public PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement statement = statements.get(sql);
      if (statement == null) {
        statement = connection.prepareStatement(sql);
        statements.put(sql, statement);
      }
      return statement;
    }

    /** The channel {@link #announceWork()} notifies, for a statement that notifies itself. */
    public String channel() {
      return WorkSignal.channel(schema);
    }

    /**
     * Tells every process listening on this schema that a task may have become claimable; the
     * notice goes out when the transaction commits, and not at all if it rolls back.
     */
    public void announceWork() {
      dsl.select(DSL.field("pg_notify({0}, '')", String.class, DSL.val(WorkSignal.channel(schema))))
          .fetch();
    }
  }

  private Database(Endpoint endpoint, int schemaVersion, String schema, Connection connection) {
    this.endpoint = endpoint;
    this.schemaVersion = schemaVersion;
    this.schema = schema;
    use(connection);
  }

  /**
   * Connects, checks the schema and brings it up to date.
   *
   * @throws TaskQueueException naming the database and what to fix when it cannot be used: a URL
   *     that is not PostgreSQL's, a refused connection, a missing database, a wrong password, a
   *     schema newer than this code; nothing is written then
   */
  public static Database open(Endpoint endpoint, InstantSource clock) {
    for (int attempt = 1; ; attempt++) {
      Connection connection;
      try {
        connection = connect(endpoint);
      } catch (TaskQueueException e) {
        // Ended by the server while logging in (a restart, pg_terminate_backend): try again.
        if (attempt < ATTEMPTS && PostgresErrors.isTerminated(PostgresErrors.findSql(e))) {
          pause(attempt);
          continue;
        }
        throw e;
      }
      try {
        int version = Migrator.migrate(connection, endpoint, clock);
        String schema;
        try (Statement s = connection.createStatement();
            ResultSet rs = s.executeQuery("SELECT current_schema()")) {
          rs.next();
          schema = rs.getString(1);
        }
        connection.commit();
        return new Database(endpoint, version, schema, connection);
      } catch (OrchestrationException e) {
        closeQuietly(connection, e);
        throw e;
      } catch (SQLException | RuntimeException e) {
        closeQuietly(connection, e);
        // The migration is one transaction: a connection lost before it committed left nothing.
        if (attempt < ATTEMPTS && PostgresErrors.isConnectionLost(PostgresErrors.findSql(e))) {
          pause(attempt);
          continue;
        }
        throw PostgresErrors.translate(endpoint, "opening the store", e, true);
      }
    }
  }

  /**
   * Backs off a little more after each lost attempt (at most a second), so a restart can finish.
   */
  private static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(1_000L, 50L * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskQueueException("interrupted while reconnecting to PostgreSQL", e);
    }
  }

  /**
   * A new connection to the endpoint, autocommit off, with the lock and statement timeouts set (the
   * socket timeout is the driver's, from the endpoint's properties).
   *
   * @throws TaskQueueException saying what to fix when it cannot be opened
   */
  static Connection connect(Endpoint endpoint) {
    Connection connection = null;
    try {
      connection =
          endpoint.dataSource().isPresent()
              ? fromDataSource(endpoint, endpoint.dataSource().get())
              : fromDriver(endpoint);
      try (PreparedStatement s =
          connection.prepareStatement(
              "SELECT set_config('lock_timeout', ?, false), set_config('statement_timeout', ?,"
                  + " false), set_config('idle_in_transaction_session_timeout', ?, false)")) {
        s.setString(1, endpoint.lockTimeout().toMillis() + "ms");
        s.setString(2, endpoint.statementTimeout().toMillis() + "ms");
        // A process cut off from the server in the middle of a transaction would otherwise leave
        // its session holding row locks for as long as the network keeps the socket open; the
        // server ends it once it has waited as long as this side waits for an answer.
        s.setString(3, endpoint.socketTimeout().toMillis() + "ms");
        s.execute();
      }
      connection.setAutoCommit(false);
      return connection;
    } catch (SQLException e) {
      closeQuietly(connection, e);
      throw PostgresErrors.cannotConnect(endpoint, e);
    } catch (RuntimeException e) {
      closeQuietly(connection, e);
      throw e;
    }
  }

  private static Connection fromDriver(Endpoint endpoint) throws SQLException {
    Driver driver = new Driver();
    if (!driver.acceptsURL(endpoint.url())) {
      throw new TaskQueueException(
          "store.url "
              + endpoint.safeUrl()
              + " is not a PostgreSQL JDBC URL. Write it as"
              + " jdbc:postgresql://<host>:<port>/<database>.");
    }
    Connection connection = driver.connect(endpoint.url(), endpoint.properties());
    if (connection == null) {
      throw new TaskQueueException(
          "store.url " + endpoint.safeUrl() + " is not a PostgreSQL JDBC URL.");
    }
    return connection;
  }

  /**
   * A connection of the application's pool, bounded as the driver's own would be: the pool does not
   * know the socket timeout, so it is set on the connection (JDBC's network timeout).
   */
  private static Connection fromDataSource(Endpoint endpoint, DataSource source)
      throws SQLException {
    Connection connection = source.getConnection();
    try {
      if (!connection.isWrapperFor(PGConnection.class)) {
        throw new TaskQueueException(
            endpoint.safeUrl()
                + " does not connect to PostgreSQL ("
                + connection.getMetaData().getDatabaseProductName()
                + "): the PostgreSQL store needs a PostgreSQL DataSource.");
      }
      connection.setNetworkTimeout(Runnable::run, (int) endpoint.socketTimeout().toMillis());
      return connection;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(connection, e);
      throw e;
    }
  }

  /** Where this database is. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** The schema version, once open. */
  public int schemaVersion() {
    return schemaVersion;
  }

  /** The PostgreSQL schema Overnight's tables are in. */
  public String schema() {
    return schema;
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  public <T> T write(String action, Work<T> work) {
    return transaction(action, null, work);
  }

  /**
   * As {@link #write(String, Work)}, for an action on one subject (a task id): the two are only
   * joined into words if the transaction fails.
   */
  public <T> T write(String action, Object subject, Work<T> work) {
    return transaction(action, subject, work);
  }

  /** Runs {@code work} in one transaction that reads. */
  public <T> T read(String action, Work<T> work) {
    return transaction(action, null, work);
  }

  /** As {@link #read(String, Work)}, for an action on one subject. */
  public <T> T read(String action, Object subject, Work<T> work) {
    return transaction(action, subject, work);
  }

  /**
   * What a statement whose connection was lost left behind, found out on a new connection: it was
   * written (with the result the statement would have returned), it was not, or nothing tells.
   *
   * @param <T> the statement's result
   */
  public record Outcome<T>(Optional<T> written, boolean known) {

    /** The statement was written; {@code result} is what it would have returned. */
    public static <T> Outcome<T> written(T result) {
      return new Outcome<>(Optional.of(result), true);
    }

    /** The statement was not written: it may run again. */
    public static <T> Outcome<T> notWritten() {
      return new Outcome<>(Optional.empty(), true);
    }

    /** Nothing tells whether it was written. */
    public static <T> Outcome<T> unknown() {
      return new Outcome<>(Optional.empty(), false);
    }
  }

  /** Finds out, in a transaction of its own, what a statement whose connection was lost did. */
  @FunctionalInterface
  public interface Check<T> {
    /** Reads what the statement would have written and says whether it is there. */
    Outcome<T> check(Tx tx) throws SQLException;
  }

  /**
   * Runs work that writes with single statements, each in autocommit: one round trip each, with no
   * {@code BEGIN} or {@code COMMIT} around it. A single statement is atomic on its own (a
   * data-modifying {@code WITH} writes all of its rows or none), so this takes away no guarantee
   * the queue gives, only the round trips of an explicit transaction.
   *
   * <p><b>A lost connection.</b> In autocommit a statement's commit is part of the statement, so a
   * connection lost while it is on its way or running is exactly the case of a connection lost
   * during a {@code COMMIT}: the server may have finished it before the connection went, and no
   * answer says which. (The driver cannot tell a connection the server ended while it idled from
   * one ended mid-statement: both answer with the same error.) So instead of failing, {@code check}
   * looks on a new connection for what the statement would have written: written, the call returns
   * what it would have returned; not written, the work runs again on the new connection, as a
   * transaction rolled back by the server does; when nothing tells, the call throws {@link
   * OutcomeUnknownException}, as a lost {@code COMMIT} does.
   *
   * <p>The work must not throw after a statement succeeded other than for a defect: what that
   * statement wrote stays written.
   */
  public <T> T statement(String action, Object subject, Work<T> work, Check<T> check) {
    lock.lock();
    try {
      String what = subject == null ? action : action + " " + subject;
      for (int attempt = 1; ; attempt++) {
        Connection c = usableConnection(what);
        try {
          c.setAutoCommit(true);
          try {
            return work.run(tx);
          } finally {
            restoreTransactions(c);
          }
        } catch (SQLException | DataAccessException e) {
          SQLException sql = PostgresErrors.findSql(e);
          if (PostgresErrors.isConnectionLost(sql) || isClosed(c)) {
            drop(e);
            Outcome<T> outcome;
            try {
              outcome = transaction("check whether " + what + " was written", null, check::check);
            } catch (OrchestrationException f) {
              e.addSuppressed(f);
              outcome = Outcome.unknown();
            }
            if (outcome.written().isPresent()) {
              return outcome.written().get();
            }
            if (outcome.known() && attempt < ATTEMPTS) {
              continue; // not written: run it again, reconnected
            }
            throw new OutcomeUnknownException(
                "PostgreSQL at "
                    + endpoint.safeUrl()
                    + ": the connection was lost while running "
                    + what
                    + ", so whether it was written is unknown ("
                    + (sql != null ? sql.getMessage() : e)
                    + "). Overnight reconnects on the next call.",
                e);
          }
          if (sql != null && "40P01".equals(sql.getSQLState()) && attempt < ATTEMPTS) {
            continue; // a deadlock victim: its statement was rolled back, nothing was written
          }
          throw PostgresErrors.translate(endpoint, what, e, true);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Back to explicit transactions, the connection's usual mode; a broken one is dropped. */
  private void restoreTransactions(Connection c) {
    if (connection != c) {
      return; // already dropped
    }
    try {
      c.setAutoCommit(false);
    } catch (SQLException e) {
      drop(e);
    }
  }

  private <T> T transaction(String action, Object subject, Work<T> work) {
    lock.lock();
    try {
      String what = subject == null ? action : action + " " + subject;
      for (int attempt = 1; ; attempt++) {
        Connection c = usableConnection(what);
        boolean committing = false;
        try {
          T result = work.run(tx);
          committing = true;
          c.commit();
          return result;
        } catch (OrchestrationException e) {
          // The work refused (an illegal transition, say): a plain rollback keeps the connection.
          rollbackOrDrop(e);
          throw e;
        } catch (SQLException | DataAccessException e) {
          SQLException sql = PostgresErrors.findSql(e);
          if (PostgresErrors.isConnectionLost(sql) || isClosed(c)) {
            drop(e);
            if (committing) {
              throw new OutcomeUnknownException(
                  "PostgreSQL at "
                      + endpoint.safeUrl()
                      + ": the connection was lost while committing "
                      + what
                      + ", so whether it was written is unknown ("
                      + (sql != null ? sql.getMessage() : e)
                      + "). Overnight reconnects on the next call.",
                  e);
            }
            if (attempt < ATTEMPTS) {
              continue; // the server rolled the transaction back: run it again, reconnected
            }
            throw PostgresErrors.translate(endpoint, what, e, true);
          }
          rollbackOrDrop(e);
          if (sql != null && "40P01".equals(sql.getSQLState()) && attempt < ATTEMPTS) {
            continue; // a deadlock victim: its transaction was rolled back, nothing was written
          }
          throw PostgresErrors.translate(endpoint, what, e, true);
        } catch (RuntimeException | Error e) {
          rollbackOrDrop(e);
          throw e;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** The connection to run a transaction on: the current one, or a new one after a loss. */
  private Connection usableConnection(String what) {
    if (closed) {
      throw new TaskQueueException("PostgreSQL store at " + endpoint.safeUrl() + " is closed");
    }
    if (connection == null) {
      try {
        use(connect(endpoint));
      } catch (TaskQueueException e) {
        throw new TaskQueueException(
            "Cannot reconnect for " + what + ": " + e.getMessage() + " Nothing was written.", e);
      }
    }
    return connection;
  }

  private void use(Connection c) {
    statements.clear();
    connection = c;
    dsl = DSL.using(c, SQLDialect.POSTGRES, jooqSettings());
  }

  private void rollbackOrDrop(Throwable cause) {
    if (connection == null) {
      return;
    }
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
      drop(cause);
    }
  }

  /** Closes the connection; the next transaction opens another. */
  private void drop(Throwable cause) {
    if (connection != null) {
      closeQuietly(connection, cause); // closes its statements too
      statements.clear();
      connection = null;
      dsl = null;
    }
  }

  /** Closes the connection; later calls throw. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (connection != null) {
        Connection c = connection;
        connection = null;
        dsl = null;
        release(endpoint, c);
      }
    } catch (SQLException e) {
      // Closing a connection the server already dropped: nothing is left to release.
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #close()} has run. */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  private static boolean isClosed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  private static Settings jooqSettings() {
    return new Settings().withExecuteLogging(false).withRenderSchema(false);
  }

  /**
   * Closes a connection that still works. One of the application's pool goes back to it as it came:
   * the timeouts set on it, any {@code LISTEN} and the session's advisory locks are undone first,
   * since the pool does not know of them.
   */
  static void release(Endpoint endpoint, Connection connection) throws SQLException {
    if (endpoint.dataSource().isPresent()) {
      try (Statement s = connection.createStatement()) {
        connection.rollback();
        s.execute(
            "RESET lock_timeout; RESET statement_timeout;"
                + " RESET idle_in_transaction_session_timeout; UNLISTEN *;"
                + " SELECT pg_advisory_unlock_all()");
        connection.commit();
      } catch (SQLException e) {
        closeQuietly(connection, e);
        throw e;
      }
    }
    connection.close();
  }

  static void closeQuietly(Connection connection, Throwable cause) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      if (cause != null) {
        cause.addSuppressed(e);
      }
    }
  }
}
