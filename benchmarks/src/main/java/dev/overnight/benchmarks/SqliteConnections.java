package dev.overnight.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite connection settings every queue of the {@code queue} benchmark runs with, the same
 * ones {@code SqliteStore} opens its file with, so that a ratio measures the work each queue does
 * and not a setting one of them has and another lacks.
 */
final class SqliteConnections {

  /** WAL pages between checkpoints, as the store sets it. */
  static final int CHECKPOINT_PAGES = 8_000;

  /** The WAL's size after a checkpoint, as the store sets it. */
  static final int WAL_SIZE_LIMIT_BYTES = 40 * 1024 * 1024;

  static final int BUSY_TIMEOUT_MS = 5_000;

  private SqliteConnections() {}

  /** A connection to {@code file} in WAL mode with the store's settings. */
  static Connection open(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setWalAutocheckpoint(CHECKPOINT_PAGES);
    config.setJournalSizeLimit(WAL_SIZE_LIMIT_BYTES);
    config.enforceForeignKeys(true);
    // No "SELECT last_insert_rowid()" after every INSERT: none of the queues reads generated keys.
    config.setGetGeneratedKeys(false);
    Connection c = config.createConnection("jdbc:sqlite:" + file);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode = WAL");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** The settings, for the results file. */
  static Map<String, Object> describe() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("journal_mode", "WAL");
    settings.put("synchronous", "NORMAL");
    settings.put("busy_timeout_ms", BUSY_TIMEOUT_MS);
    settings.put("wal_autocheckpoint_pages", CHECKPOINT_PAGES);
    settings.put("journal_size_limit_bytes", WAL_SIZE_LIMIT_BYTES);
    settings.put("foreign_keys", "ON");
    settings.put("cache_size", "SQLite's default (-2000: 2 MiB)");
    settings.put("temp_store", "SQLite's default (a file)");
    settings.put("page_size", "SQLite's default (4096)");
    settings.put("jdbc_get_generated_keys", false);
    return settings;
  }
}
