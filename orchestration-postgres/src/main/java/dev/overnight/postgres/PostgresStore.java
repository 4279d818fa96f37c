package dev.overnight.postgres;

import dev.overnight.api.config.StoreSettings;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.store.Store;
import dev.overnight.core.queue.TaskTransitions;
import dev.overnight.postgres.internal.Database;
import dev.overnight.postgres.internal.Endpoint;
import dev.overnight.postgres.internal.WorkSignal;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Overnight's store in a PostgreSQL database shared by several machines: the task queue with every
 * task's history, and each scheduler's state and cycle history. Open it once per process and take
 * the {@link #taskQueue()} and the {@link #schedulerStateStore()} from it.
 *
 * <pre>{@code
 * try (PostgresStore store =
 *     PostgresStore.builder("jdbc:postgresql://db.home:5432/overnight")
 *         .user("overnight")
 *         .password(System.getenv("OVERNIGHT_DB_PASSWORD"))
 *         .build()) {
 *   TaskQueue queue = store.taskQueue();
 *   ...
 * }
 * }</pre>
 *
 * <p><b>The schema.</b> Overnight's tables live in the connection's current schema ({@code public},
 * or the URL's {@code currentSchema}). Its version is the SQLite store's; opening brings an older
 * schema up to date (machines starting at once migrate one after another), and refuses a schema
 * from a newer Overnight, or one holding tables Overnight did not create. Opening also refuses a
 * URL that is not PostgreSQL's, a refused connection, an unknown host, a missing database, and a
 * wrong user or password. Each refusal is a {@link TaskQueueException} naming the database (never
 * the password) and what to fix, and nothing is written.
 *
 * <p><b>Failures.</b> A lost connection (a server restart, a terminated backend, a network failure)
 * is reopened by the next transaction; a transaction the loss interrupted before its commit runs
 * again, since the server rolled it back. A call that still fails throws a {@link
 * TaskQueueException} saying what happened; the next call starts afresh. A network that stops
 * forwarding without closing the connection cannot hang a call: it fails after the {@linkplain
 * Builder#socketTimeout socket timeout} plus a {@linkplain Builder#connectTimeout connect timeout}
 * per reconnection tried, and the server ends a session left idle inside a transaction, so a
 * machine cut off mid-transaction holds no row locks for long.
 *
 * <p>Thread-safe; the users of one store in a process share one connection, one transaction at a
 * time, plus one more connection that listens for new work once someone waits for it.
 *
 * @since 0.1.0
 */
public final class PostgresStore implements Store {

  private final Database db;
  private final WorkSignal signal;
  private final PostgresTaskQueue queue;
  private final PostgresSchedulerStateStore state;
  private final PostgresWorkerRegistry workers;

  private PostgresStore(
      Database db,
      InstantSource clock,
      InstantSource leaseClock,
      int defaultMaxAttempts,
      Duration pingInterval) {
    this.db = db;
    this.signal = new WorkSignal(db.endpoint(), db.schema(), pingInterval);
    this.queue = new PostgresTaskQueue(db, signal, clock, leaseClock, defaultMaxAttempts);
    this.state = new PostgresSchedulerStateStore(db);
    this.workers = new PostgresWorkerRegistry(db);
  }

  /** Starts a store on a {@code jdbc:postgresql://host:port/database} URL. */
  public static Builder builder(String url) {
    return new Builder(url, Optional.empty());
  }

  /**
   * Starts a store on connections of an application's own pool (a Spring Boot application's {@code
   * DataSource}, say). It holds one connection for its life, plus one more while someone waits for
   * work, and hands them back as it found them when closed. The lock, statement and socket timeouts
   * apply as with a URL; {@link Builder#user}, {@link Builder#password} and {@link
   * Builder#connectTimeout} are the pool's business and are not used.
   *
   * @throws TaskQueueException from {@link Builder#build()} if the pool's database is not
   *     PostgreSQL
   */
  public static Builder builder(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    return new Builder("the DataSource " + dataSource, Optional.of(dataSource));
  }

  /** The task queue in this database. Closing it leaves the store open. */
  @Override
  public PostgresTaskQueue taskQueue() {
    return queue;
  }

  /** The scheduler's state and cycle history in this database. */
  @Override
  public PostgresSchedulerStateStore schedulerStateStore() {
    return state;
  }

  /** The workers of the fleet sharing this database, as they recorded themselves. */
  @Override
  public PostgresWorkerRegistry workers() {
    return workers;
  }

  /** {@code true}: the machines of a fleet share one database. */
  @Override
  public boolean shared() {
    return true;
  }

  /** The URL, with any password in it blanked out. */
  public String url() {
    return db.endpoint().safeUrl();
  }

  /** The PostgreSQL schema Overnight's tables are in. */
  public String schema() {
    return db.schema();
  }

  /** The schema version. */
  public int schemaVersion() {
    return db.schemaVersion();
  }

  /** Closes the connections; the queue and state store refuse further calls. Idempotent. */
  @Override
  public void close() {
    signal.close();
    db.close();
  }

  @Override
  public String toString() {
    return "PostgresStore[" + db.endpoint().safeUrl() + "]";
  }

  /** Builds a {@link PostgresStore}. Not thread-safe. */
  public static final class Builder {
    private final String url;
    private final Optional<DataSource> dataSource;
    private Optional<String> user = Optional.empty();
    private Optional<String> password = Optional.empty();
    private Optional<String> passwordSource = Optional.empty();
    private InstantSource clock = InstantSource.system();
    private InstantSource leaseClock;
    private int defaultMaxAttempts = TaskTransitions.DEFAULT_MAX_ATTEMPTS;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration lockTimeout = Duration.ofSeconds(5);
    private Duration statementTimeout = StoreSettings.Timeouts.DEFAULT_STATEMENT;
    private Optional<Duration> socketTimeout = Optional.empty();
    private Duration pingInterval = Duration.ofSeconds(10);

    private Builder(String url, Optional<DataSource> dataSource) {
      this.url = Objects.requireNonNull(url, "url");
      this.dataSource = dataSource;
    }

    /** The user to log in as (default: the URL's, else the driver's default). */
    public Builder user(String value) {
      user = Optional.of(Objects.requireNonNull(value, "user"));
      return this;
    }

    /** The password (default: none). */
    public Builder password(String value) {
      password = Optional.of(Objects.requireNonNull(value, "password"));
      return this;
    }

    /**
     * Where the password came from, in words ("the environment variable OVERNIGHT_DB_PASSWORD"), so
     * that a refused password says where to fix it.
     */
    public Builder passwordSource(String value) {
      passwordSource = Optional.of(Objects.requireNonNull(value, "passwordSource"));
      return this;
    }

    /** The clock for task times (default: the system clock); see {@link #leaseClock}. */
    public Builder clock(InstantSource value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The clock leases are written and judged on, when it is not the {@link #clock} (default: the
     * clock). Other machines recover a task once its lease has run out by their own clocks, so a
     * runtime on virtual time must give its leases the machine's real clock.
     */
    public Builder leaseClock(InstantSource value) {
      leaseClock = Objects.requireNonNull(value, "leaseClock");
      return this;
    }

    /** Attempts a task gets when its spec names none (default 3). */
    public Builder defaultMaxAttempts(int value) {
      defaultMaxAttempts = TaskTransitions.requireMaxAttempts(value);
      return this;
    }

    /** How long opening a connection may take before it fails (default 10 s). */
    public Builder connectTimeout(Duration value) {
      connectTimeout = positive(value, "connectTimeout");
      return this;
    }

    /**
     * How long a statement waits for a row another connection holds before the call fails with a
     * {@link TaskQueueException} (default 5 s). Claims never wait: they skip locked rows.
     */
    public Builder lockTimeout(Duration value) {
      lockTimeout = positive(value, "lockTimeout");
      return this;
    }

    /**
     * How long the server lets one statement run before it cancels it and the call fails with a
     * {@link TaskQueueException} (default 30 s). Overnight's statements take milliseconds; this
     * bounds one stuck behind something unforeseen.
     */
    public Builder statementTimeout(Duration value) {
      statementTimeout = positive(value, "statementTimeout");
      return this;
    }

    /**
     * How long a call waits for the server's answer on an open connection before it gives the
     * connection up as lost (default: the statement timeout plus 15 s, so that a slow statement is
     * cancelled by the server first). This is what bounds a call when the network between this
     * machine and the server stops forwarding without closing the connection: the call then fails
     * with a {@link TaskQueueException} after at most this long plus, for each reconnection it
     * tries, the {@link #connectTimeout}. Rounded up to whole seconds.
     */
    public Builder socketTimeout(Duration value) {
      socketTimeout = Optional.of(positive(value, "socketTimeout"));
      return this;
    }

    /**
     * How long the connection that listens for new work may stay quiet before it checks that the
     * server still answers (default 10 s). A connection the network dropped without closing it is
     * found out by that check within this plus the {@link #socketTimeout} and replaced; until then
     * idle workers of this process are not woken by other machines' work (they still find it when
     * their wait times out).
     */
    public Builder pingInterval(Duration value) {
      pingInterval = positive(value, "pingInterval");
      return this;
    }

    /**
     * Connects and opens the store.
     *
     * @throws TaskQueueException naming the database and what to fix when it cannot be used;
     *     nothing is written then
     */
    public PostgresStore build() {
      Endpoint endpoint =
          new Endpoint(
              url,
              user,
              password,
              passwordSource,
              connectTimeout,
              lockTimeout,
              statementTimeout,
              socketTimeout.orElse(statementTimeout.plusSeconds(15)),
              dataSource);
      return new PostgresStore(
          Database.open(endpoint, clock),
          clock,
          leaseClock != null ? leaseClock : clock,
          defaultMaxAttempts,
          pingInterval);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
