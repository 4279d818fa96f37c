package dev.overnight.sqlite;

import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.store.Store;
import dev.overnight.core.queue.TaskTransitions;
import dev.overnight.sqlite.internal.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * One SQLite file holding the whole memory of a night: the task queue with every task's history,
 * and the scheduler's state and cycle history. Open it once per process and take the {@link
 * #taskQueue()} and the {@link #schedulerStateStore()} from it; several processes may open the same
 * file.
 *
 * <pre>{@code
 * try (SqliteStore store = SqliteStore.open(stateDir.resolve("overnight.db"))) {
 *   TaskQueue queue = store.taskQueue();
 *   SchedulerStateStore state = store.schedulerStateStore();
 *   ...
 * }
 * }</pre>
 *
 * <p><b>The file.</b> Its schema is versioned (its {@code user_version}); opening brings an older
 * file up to date, and refuses a file from a newer Overnight, another application's database, a
 * file that is not an SQLite database, a corrupt one (SQLite's quick check runs at open), a
 * read-only one, or one another connection keeps locked beyond the busy timeout. Each refusal is a
 * {@link TaskQueueException} that names the file, and nothing is written.
 *
 * <p><b>Durability.</b> WAL journal with {@code synchronous=NORMAL}: every committed change
 * survives the process dying in any way (a SIGKILL included); a power cut or an operating-system
 * crash may roll back the last few commits, but never corrupts the file. For the queue that means a
 * task finished just before a power cut may run once more; none is ever lost. {@link
 * Builder#syncEveryCommit(boolean)} syncs every commit ({@code synchronous=FULL}) at several times
 * the cost per change.
 *
 * <p><b>Failures.</b> A call that fails (the disk full, another process holding the write lock
 * beyond the busy timeout) fails alone, with a {@link TaskQueueException} saying what happened (a
 * full disk is called one) and that nothing was written; the next call starts afresh, so the store
 * carries on by itself once space is freed. If the file is deleted, moved away or replaced while
 * the store is open, every later call throws {@link dev.overnight.api.store.StoreLostException} and
 * nothing more is written: a restart opens the file that is there now.
 *
 * <p>Thread-safe; all users of one store share its single connection, one at a time.
 *
 * @since 0.1.0
 */
public final class SqliteStore implements Store {

  private final Database db;
  private final SqliteTaskQueue queue;
  private final SqliteSchedulerStateStore state;
  private final SqliteWorkerRegistry workers;

  private SqliteStore(
      Database db, InstantSource clock, InstantSource leaseClock, int defaultMaxAttempts) {
    this.db = db;
    this.queue = new SqliteTaskQueue(db, clock, leaseClock, defaultMaxAttempts, false);
    this.state = new SqliteSchedulerStateStore(db);
    this.workers = new SqliteWorkerRegistry(db);
  }

  /**
   * Opens (creating if absent) the store in {@code file} with the default settings.
   *
   * @throws TaskQueueException naming the file when it cannot be used; nothing is written then
   */
  public static SqliteStore open(Path file) {
    return builder(file).build();
  }

  /** Starts a store on {@code file}. */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /** The task queue in this file. Closing it leaves the store open. */
  @Override
  public SqliteTaskQueue taskQueue() {
    return queue;
  }

  /** The scheduler's state and cycle history in this file. */
  @Override
  public SqliteSchedulerStateStore schedulerStateStore() {
    return state;
  }

  /** The workers that share this file, as they recorded themselves. */
  @Override
  public SqliteWorkerRegistry workers() {
    return workers;
  }

  /** The database file, as an absolute path. */
  public Path file() {
    return db.file();
  }

  /** The file's schema version. */
  public int schemaVersion() {
    return db.schemaVersion();
  }

  /** Closes the file; the queue and state store refuse further calls. Idempotent. */
  @Override
  public void close() {
    db.close();
  }

  @Override
  public String toString() {
    return "SqliteStore[" + db.file() + "]";
  }

  /** Builds an {@link SqliteStore}. Not thread-safe. */
  public static final class Builder {
    private final Path file;
    private InstantSource clock = InstantSource.system();
    private InstantSource leaseClock;
    private int defaultMaxAttempts = TaskTransitions.DEFAULT_MAX_ATTEMPTS;
    private Duration busyTimeout = Duration.ofSeconds(5);
    private boolean syncEveryCommit;
    private boolean verifyIntegrity = true;

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "file");
    }

    /** The clock for task times and leases (default: the system clock). */
    public Builder clock(InstantSource value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The clock leases are written and judged on, when it is not the {@link #clock} (default: the
     * clock). Leases are the one time other processes act on: a process sharing the file recovers a
     * task once its lease has run out by its own clock. A runtime on virtual time (a compressed
     * demonstration night, a time-scaled trial run) keeps its task times on that time but must give
     * its leases the machine's real clock, or a lease written hours ahead in virtual time holds a
     * task that long for everyone else.
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

    /**
     * How long an operation waits for another process's write lock before it fails with a {@link
     * TaskQueueException} (default 5 s).
     */
    public Builder busyTimeout(Duration value) {
      Objects.requireNonNull(value, "busyTimeout");
      if (value.isNegative()) {
        throw new IllegalArgumentException("busy timeout must not be negative, was " + value);
      }
      busyTimeout = value;
      return this;
    }

    /**
     * Whether every commit is synced to disk ({@code synchronous=FULL}) so that it survives a power
     * cut, at several times the cost per change (default off: {@code NORMAL}).
     */
    public Builder syncEveryCommit(boolean value) {
      syncEveryCommit = value;
      return this;
    }

    /**
     * Whether opening an existing file runs SQLite's quick integrity check, so a damaged file is
     * refused at start rather than failing mid-night (default on; it reads the whole file once).
     */
    public Builder verifyIntegrityOnOpen(boolean value) {
      verifyIntegrity = value;
      return this;
    }

    /**
     * Opens the store.
     *
     * @throws TaskQueueException naming the file when it cannot be used; nothing is written then
     */
    public SqliteStore build() {
      return new SqliteStore(openDatabase(), clock, leaseClockOrClock(), defaultMaxAttempts);
    }

    SqliteTaskQueue openQueue() {
      return new SqliteTaskQueue(
          openDatabase(), clock, leaseClockOrClock(), defaultMaxAttempts, true);
    }

    private InstantSource leaseClockOrClock() {
      return leaseClock != null ? leaseClock : clock;
    }

    private Database openDatabase() {
      return Database.open(file, busyTimeout, syncEveryCommit, verifyIntegrity, clock);
    }
  }
}
