package dev.overnight.sqlite.internal;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.store.StoreLostException;
import dev.overnight.core.secrets.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteOpenMode;

/**
 * One open Overnight database file: a single connection, the lock that serializes this process's
 * use of it, and explicit transactions.
 *
 * <p><b>Settings.</b> WAL journal (readers never block the writer), {@code synchronous=NORMAL}, a
 * busy timeout, foreign keys on, and a checkpoint every {@link #CHECKPOINT_PAGES} WAL pages rather
 * than SQLite's 1,000. With WAL and {@code NORMAL} a commit is written to the WAL but not synced:
 * it survives the process being killed (SIGKILL, an OOM kill, a JVM crash) because the operating
 * system still holds it, but a power cut or kernel crash may roll back the last commits since the
 * WAL was last synced (at a checkpoint). The file stays consistent either way; for the queue that
 * means a task finished in the last moments before a power cut may run again, never that one is
 * lost or corrupted. {@code fullSync} (synchronous=FULL) closes that gap at several times the cost
 * per commit.
 *
 * <p><b>Transactions.</b> Every write runs in {@code BEGIN IMMEDIATE}: it takes the file's write
 * lock up front, so two processes never both read and then both try to upgrade to writing (which
 * SQLite answers with {@code SQLITE_BUSY} at once, whatever the busy timeout). Autocommit stays on
 * and the transaction statements are explicit because sqlite-jdbc, in non-autocommit mode, begins
 * the next transaction as soon as one commits, which in IMMEDIATE mode would hold the write lock
 * between operations and starve every other process.
 *
 * <p><b>Failures.</b> After any SQLite error the connection is closed, which rolls back whatever
 * the failed transaction had begun and releases its locks, and the next transaction opens a new
 * one. Why not keep it: sqlite-jdbc finalizes a statement that fails with anything but a busy or
 * constraint error, and SQLite itself rolls a transaction back on some errors (a full disk, an I/O
 * error) but not others, so after a failure neither the cached statements nor the transaction state
 * can be trusted; one bad moment (a full disk) would otherwise fail every later call, and leave a
 * write transaction open that locks every other process out. So once space is freed, the next call
 * simply works.
 *
 * <p><b>The file's identity.</b> Before every transaction the file at the path is checked to still
 * be the one opened (its device and inode). A file deleted, moved away or replaced under a running
 * process would otherwise go on receiving writes no one sees, while new work lands in the new file
 * unseen: a silent split. Then the database is <em>lost</em>: every call throws {@link
 * StoreLostException}, nothing more is written, and a restart opens whatever the file is now.
 *
 * <p>Thread-safe: one lock guards the connection.
 */
public final class Database implements AutoCloseable {

  private static final byte[] SQLITE_HEADER =
      "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private final Path file;
  private final Duration busyTimeout;
  private final SQLiteConfig reconnect;
  private final int schemaVersion;
  private final FileIdentity identity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Tx tx = new Tx();
  private Link link; // guarded by lock; null after a failure, until the next transaction
  private String lostBecause; // guarded by lock; set once the file is gone
  private boolean closed; // guarded by lock

  /** What a transaction does with the database. */
  @FunctionalInterface
  public interface Work<T> {
    /** Runs inside the transaction, on the calling thread, holding the lock. */
    T run(Tx tx) throws SQLException;
  }

  /** The open transaction: jOOQ for one-off statements, prepared statements for the hot ones. */
  public final class Tx {
    private Link link; // guarded by the database's lock: set for the length of one transaction

    private Tx() {}

    /** jOOQ on the transaction's connection. */
    public DSLContext dsl() {
      return link.dsl;
    }

    /** The connection's prepared statement for {@code sql}, prepared on first use. */
    public BoundStatement run(PreparedSql sql) throws SQLException {
      return link.bind(sql);
    }
  }

  /**
   * One connection and what is prepared on it. Replaced as a whole after a failure: see the class
   * documentation.
   */
  private static final class Link {
    final Connection connection;
    final DSLContext dsl;
    final PreparedStatement begin;
    final PreparedStatement beginRead;
    final PreparedStatement commit;
    final PreparedStatement rollback;
    private final Map<PreparedSql, PreparedStatement> prepared = new IdentityHashMap<>();

    private Link(Connection connection) throws SQLException {
      this.connection = connection;
      this.dsl = DSL.using(connection, SQLDialect.SQLITE, jooqSettings());
      this.begin = connection.prepareStatement("BEGIN IMMEDIATE");
      this.beginRead = connection.prepareStatement("BEGIN DEFERRED");
      this.commit = connection.prepareStatement("COMMIT");
      this.rollback = connection.prepareStatement("ROLLBACK");
    }

    /** A link over {@code connection}; the connection is closed if preparing fails. */
    static Link over(Connection connection) throws SQLException {
      try {
        return new Link(connection);
      } catch (SQLException | RuntimeException e) {
        closeQuietly(connection, e);
        throw e;
      }
    }

    BoundStatement bind(PreparedSql sql) throws SQLException {
      PreparedStatement statement = prepared.get(sql);
      if (statement == null) {
        statement = connection.prepareStatement(sql.sql());
        prepared.put(sql, statement);
      }
      return new BoundStatement(sql, statement);
    }

    /**
     * Closes the connection, rolling back an open transaction; a failure is added to {@code to}.
     */
    void close(Throwable to) {
      try {
        connection.close();
      } catch (SQLException e) {
        if (to != null) {
          to.addSuppressed(e);
        }
      }
    }
  }

  private Database(
      Path file,
      Duration busyTimeout,
      SQLiteConfig reconnect,
      int schemaVersion,
      FileIdentity identity,
      Link link) {
    this.file = file;
    this.busyTimeout = busyTimeout;
    this.reconnect = reconnect;
    this.schemaVersion = schemaVersion;
    this.identity = identity;
    this.link = link;
  }

  /**
   * Opens (creating if absent) an Overnight database, after checking that it is one this code may
   * use, and brings its schema up to date.
   *
   * @throws TaskQueueException naming the file when it is not an SQLite database, is read-only,
   *     locked, corrupt, from a newer Overnight, or another application's; nothing is written then
   */
  public static Database open(
      Path requested,
      Duration busyTimeout,
      boolean fullSync,
      boolean verifyIntegrity,
      InstantSource clock) {
    Path file = requested.toAbsolutePath().normalize();
    boolean existed = precheck(file);
    SQLiteConfig config = settings(busyTimeout, fullSync);
    // A new connection after a failure must find the file it had: never create one.
    SQLiteConfig reconnect = settings(busyTimeout, fullSync);
    reconnect.resetOpenMode(SQLiteOpenMode.CREATE);
    Connection connection = null;
    String step = "opening it";
    try {
      connection = config.createConnection("jdbc:sqlite:" + file);
      step = "reading its schema version";
      try (Statement s = connection.createStatement()) {
        // One read transaction, so the checks see one consistent state of the file.
        s.execute("BEGIN DEFERRED");
        try {
          Migrator.checkCompatible(connection, file);
          if (existed && verifyIntegrity) {
            checkIntegrity(connection, file);
          }
        } finally {
          s.execute("COMMIT");
        }
        step = "switching it to WAL";
        switchToWal(s, busyTimeout);
      }
      step = "migrating its schema";
      int version = Migrator.migrate(connection, file, clock);
      step = "reading its identity";
      FileIdentity identity = FileIdentity.of(file);
      step = "preparing its statements";
      Link link = Link.over(connection);
      return new Database(file, busyTimeout, reconnect, version, identity, link);
    } catch (OrchestrationException e) {
      closeQuietly(connection, e);
      throw e;
    } catch (SQLException | IOException | RuntimeException e) {
      closeQuietly(connection, e);
      throw SqliteErrors.translate(file, step, e, busyTimeout, true);
    }
  }

  /**
   * How many pages the WAL collects before a commit copies them back into the database file (a
   * checkpoint, with a sync of the WAL and of the file). SQLite's default, 1,000, checkpoints every
   * few dozen queue operations, since each writes a task, its event and their indexes (about eight
   * pages): measured, the checkpoints' syncs took about half the time of an enqueue, claim and
   * complete. With 8,000 a checkpoint comes eight times less often and copies each page the queue
   * keeps rewriting (an index's last page, the history's tail) once instead of eight times. What a
   * crash can cost is unchanged: a killed process loses no commit, and on a power cut the commits
   * since the WAL last reached the disk may roll back, which the operating system's own writeback
   * bounds to seconds whatever the interval.
   */
  static final int CHECKPOINT_PAGES = 8_000;

  /**
   * The size the WAL file is cut back to after a checkpoint, so that a burst leaves no WAL larger
   * than its usual working size on disk (about {@link #CHECKPOINT_PAGES} pages of 4 KiB).
   */
  static final int WAL_SIZE_LIMIT_BYTES = 40 * 1024 * 1024;

  private static SQLiteConfig settings(Duration busyTimeout, boolean fullSync) {
    SQLiteConfig config = new SQLiteConfig();
    config.setWalAutocheckpoint(CHECKPOINT_PAGES);
    config.setJournalSizeLimit(WAL_SIZE_LIMIT_BYTES);
    config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
    config.setSynchronous(
        fullSync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.enforceForeignKeys(true);
    // The driver would otherwise run "SELECT last_insert_rowid()" after every INSERT, preparing it
    // afresh each time, for JDBC's generated keys, which nothing here reads (RETURNING gives the
    // new rows' keys): measured, about 5% of the CPU of an enqueue, claim and complete.
    config.setGetGeneratedKeys(false);
    return config;
  }

  /**
   * Puts the file in WAL mode. While another connection converts a new file or recovers its WAL,
   * SQLite answers SQLITE_BUSY at once, without calling the busy handler; so this retries, briefly
   * pausing, until the busy timeout has passed, as the handler would have waited.
   */
  private static void switchToWal(Statement s, Duration busyTimeout) throws SQLException {
    long deadline = System.nanoTime() + busyTimeout.toNanos();
    while (true) {
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
        rs.next();
        return;
      } catch (SQLiteException e) {
        if ((e.getResultCode().code & 0xff) != SQLiteErrorCode.SQLITE_BUSY.code
            || System.nanoTime() - deadline >= 0) {
          throw e;
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /** The schema version of the file, once open. */
  public int schemaVersion() {
    return schemaVersion;
  }

  /** The busy timeout. */
  public Duration busyTimeout() {
    return busyTimeout;
  }

  /**
   * Runs {@code work} in a {@code BEGIN IMMEDIATE} transaction: committed if it returns, rolled
   * back if it throws. An {@link OrchestrationException} from the work (an illegal transition, say)
   * passes through unchanged; a database failure becomes a {@link TaskQueueException} naming the
   * file.
   */
  public <T> T write(String action, Work<T> work) {
    return transaction(action, null, work, true);
  }

  /**
   * As {@link #write(String, Work)}, for an action on one subject (a task id): the two are only
   * joined into words if the transaction fails.
   */
  public <T> T write(String action, Object subject, Work<T> work) {
    return transaction(action, subject, work, true);
  }

  /** Runs {@code work} in one read transaction (a consistent snapshot for several statements). */
  public <T> T read(String action, Work<T> work) {
    return transaction(action, null, work, false);
  }

  /** As {@link #read(String, Work)}, for an action on one subject. */
  public <T> T read(String action, Object subject, Work<T> work) {
    return transaction(action, subject, work, false);
  }

  private <T> T transaction(String action, Object subject, Work<T> work, boolean writes) {
    lock.lock();
    try {
      String what = subject == null ? action : action + " " + subject;
      Link l = usableLink(what);
      tx.link = l;
      boolean open = false;
      try {
        (writes ? l.begin : l.beginRead).execute();
        open = true;
        T result = work.run(tx);
        l.commit.execute();
        open = false;
        return result;
      } catch (OrchestrationException e) {
        // The work refused (an illegal transition, say): a plain rollback keeps the connection.
        if (open && !rolledBack(l, e)) {
          disconnect(e);
        }
        throw e;
      } catch (SQLException | DataAccessException e) {
        disconnect(e);
        throw SqliteErrors.translate(file, what, e, busyTimeout, true);
      } catch (RuntimeException | Error e) {
        if (open && !rolledBack(l, e)) {
          disconnect(e);
        }
        throw e;
      } finally {
        tx.link = null;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The connection to run a transaction on, once the file is known to be the one opened: the
   * current one, or a new one after a failure. Called with the lock held.
   *
   * @throws StoreLostException if the file was deleted, moved away or replaced
   * @throws TaskQueueException if the store is closed, or no connection can be opened
   */
  private Link usableLink(String what) {
    if (closed) {
      throw new TaskQueueException("SQLite database " + file + " is closed");
    }
    if (lostBecause == null) {
      identity.change(file).ifPresent(this::lose);
    }
    if (lostBecause != null) {
      throw new StoreLostException(SqliteErrors.lost(file, lostBecause));
    }
    if (link == null) {
      Connection connection = null;
      try {
        connection = reconnect.createConnection("jdbc:sqlite:" + file);
        link = Link.over(connection);
      } catch (SQLException | RuntimeException e) {
        closeQuietly(connection, e);
        throw SqliteErrors.translate(file, what, e, busyTimeout, true);
      }
    }
    return link;
  }

  /** Marks the database lost: nothing more is written to the old file. */
  private void lose(String because) {
    lostBecause = because;
    disconnect(null);
  }

  /** Drops the connection (rolling back what it had open); the next transaction opens another. */
  private void disconnect(Throwable cause) {
    if (link != null) {
      link.close(cause);
      link = null;
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
      if (link != null) {
        Connection connection = link.connection;
        link = null;
        connection.close();
      }
    } catch (SQLException e) {
      throw SqliteErrors.translate(file, "close", e, busyTimeout, false);
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

  /** Rolls back; false if that failed too (the failure is added to {@code cause}). */
  private static boolean rolledBack(Link l, Throwable cause) {
    try {
      l.rollback.execute();
      return true;
    } catch (SQLException e) {
      cause.addSuppressed(e);
      return false;
    }
  }

  private static Settings jooqSettings() {
    return new Settings().withExecuteLogging(false).withRenderSchema(false);
  }

  /**
   * Checks what can be checked without SQLite touching the file, so that a wrong file is refused
   * before anything (a WAL file beside it, say) is written.
   *
   * @return whether the file existed
   */
  private static boolean precheck(Path file) {
    if (Files.isDirectory(file)) {
      throw new TaskQueueException(
          "SQLite database " + file + " is a folder, not a file. Point Overnight at a file.");
    }
    if (!Files.exists(file)) {
      try {
        PrivateFiles.createDirectories(file.getParent());
      } catch (IOException e) {
        throw new TaskQueueException(
            "Cannot create the folder of SQLite database " + file + ": " + e.getMessage(), e);
      }
      try {
        // Created empty and owner-only before SQLite opens it: SQLite gives the file the umask's
        // permissions (usually readable by all), and its -wal and -shm files the database's own.
        PrivateFiles.createFile(file);
      } catch (IOException e) {
        throw new TaskQueueException(
            "Cannot create SQLite database " + file + ": " + e.getMessage(), e);
      }
      return false;
    }
    if (!Files.isRegularFile(file)) {
      throw new TaskQueueException(
          "SQLite database " + file + " is not a regular file. Point Overnight at a file.");
    }
    checkWritable(file);
    checkHeader(file);
    restrictToOwner(file);
    return true;
  }

  /**
   * Narrows a database an older Overnight made readable by all, with its -wal and -shm files, to
   * its owner: it holds every prompt and error. A file this user may not change is left as it is.
   */
  private static void restrictToOwner(Path file) {
    for (String suffix : List.of("", "-wal", "-shm")) {
      try {
        PrivateFiles.restrict(file.resolveSibling(file.getFileName() + suffix));
      } catch (IOException e) {
        // Not ours to change (another user's file we may write through a group): SQLite still
        // opens it, and its permissions stay its owner's choice.
      }
    }
  }

  private static void checkWritable(Path file) {
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (posix != null) {
      try {
        // The permission bits, not access(2): a file its owner marked read-only stays read-only
        // for Overnight even when it runs as root, who may write anything.
        Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
        if (!permissions.contains(PosixFilePermission.OWNER_WRITE)) {
          throw new TaskQueueException(
              SqliteErrors.readOnly(
                      file, "its permissions are " + PosixFilePermissions.toString(permissions))
                  + " Nothing was written.");
        }
      } catch (IOException e) {
        throw new TaskQueueException(
            "Cannot read the permissions of SQLite database " + file + ": " + e.getMessage(), e);
      }
    }
    if (!Files.isWritable(file)) {
      throw new TaskQueueException(
          SqliteErrors.readOnly(file, "this user may not write it") + " Nothing was written.");
    }
    if (!Files.isWritable(file.getParent())) {
      throw new TaskQueueException(
          SqliteErrors.readOnly(file, "its folder is not writable, so no WAL file can be made")
              + " Nothing was written.");
    }
  }

  private static void checkHeader(Path file) {
    byte[] header = new byte[SQLITE_HEADER.length];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(header, 0, header.length);
    } catch (IOException e) {
      throw new TaskQueueException(
          "Cannot read SQLite database " + file + ": " + e.getMessage() + ". Nothing was written.",
          e);
    }
    // An empty file is a new database to SQLite; anything else must start with its header.
    if (read > 0 && !Arrays.equals(header, SQLITE_HEADER)) {
      throw new TaskQueueException(
          SqliteErrors.notADatabase(file, "it does not start with the SQLite file header")
              + " Nothing was written.");
    }
  }

  private static void checkIntegrity(Connection connection, Path file) throws SQLException {
    List<String> problems = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA quick_check(5)")) {
      while (rs.next()) {
        problems.add(rs.getString(1).strip().replace('\n', ' '));
      }
    }
    if (!problems.equals(List.of("ok"))) {
      throw new TaskQueueException(
          SqliteErrors.corrupt(file, "integrity check: " + String.join("; ", problems))
              + " Nothing was written.");
    }
  }

  private static void closeQuietly(Connection connection, Throwable cause) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
