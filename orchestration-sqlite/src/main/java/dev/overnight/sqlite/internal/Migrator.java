package dev.overnight.sqlite.internal;

import dev.overnight.api.queue.TaskQueueException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.List;

/**
 * Brings a database to the newest schema, one versioned script at a time, keyed on {@code PRAGMA
 * user_version}.
 *
 * <p>Why not Flyway: since Flyway 10, SQLite support is a separately released community database
 * module, and Flyway guards concurrent migrations with its own lock table and retry loop, which on
 * SQLite only adds a second locking protocol on top of the file lock. SQLite itself offers all a
 * migrator needs: DDL is transactional, {@code user_version} is a header field written in the same
 * transaction as the DDL, and {@code BEGIN IMMEDIATE} serializes processes opening one file at
 * once. So each pending script, its {@code schema_version} row and the new {@code user_version}
 * commit together or not at all, and a process that waited for another's migration finds nothing
 * left to do. The scripts stay plain SQL in Flyway's {@code V<n>__<what>.sql} naming, so a later
 * switch to Flyway (for a PostgreSQL store, say) reuses them.
 *
 * <p>A database whose version is newer than the newest script is refused, never touched.
 */
public final class Migrator {

  /** {@code PRAGMA application_id} of an Overnight database: "OVNT" in ASCII. */
  public static final int APPLICATION_ID = 0x4F564E54;

  /** Every schema step, oldest first; the last one is the version this code writes. */
  public static final List<Migration> MIGRATIONS =
      List.of(
          new Migration(1, "tasks and events", "V1__tasks_and_events.sql"),
          new Migration(2, "scheduler state", "V2__scheduler_state.sql"),
          new Migration(3, "resume first", "V3__resume_first.sql"),
          new Migration(4, "cycle notes", "V4__cycle_notes.sql"),
          new Migration(5, "op hash lookup", "V5__op_hash_lookup.sql"),
          new Migration(6, "fleet", "V6__fleet.sql"),
          new Migration(7, "receipts and quota", "V7__receipts_and_quota.sql"),
          new Migration(8, "lean hot path", "V8__lean_hot_path.sql"),
          new Migration(
              10, "sequences without a counter row", "V10__sequences_without_a_counter_row.sql"),
          new Migration(11, "cycles per scheduler", "V11__cycles_per_scheduler.sql"),
          new Migration(12, "fewer pages a change", "V12__fewer_pages_a_change.sql"));

  /** The schema version this code reads and writes. */
  public static final int LATEST = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

  private Migrator() {}

  /**
   * Refuses a database this code must not touch: a newer schema, another application's file, or
   * tables Overnight did not create. Reads only.
   */
  public static void checkCompatible(Connection connection, Path file) throws SQLException {
    int version = pragmaInt(connection, "user_version");
    int applicationId = pragmaInt(connection, "application_id");
    if (applicationId != 0 && applicationId != APPLICATION_ID) {
      throw new TaskQueueException(
          "SQLite database "
              + file
              + " belongs to another application (application_id 0x"
              + Integer.toHexString(applicationId)
              + "), not to Overnight. Point Overnight at its own file. Nothing was written.");
    }
    if (version > LATEST) {
      throw new TaskQueueException(
          "SQLite database "
              + file
              + " has schema version "
              + version
              + ", newer than the newest this Overnight knows ("
              + LATEST
              + "): a newer Overnight wrote it. Upgrade Overnight, or point it at another file."
              + " Nothing was written.");
    }
    if (applicationId == 0) {
      List<String> tables = foreignTables(connection);
      if (version != 0 || !tables.isEmpty()) {
        throw new TaskQueueException(
            "SQLite database "
                + file
                + " was not created by Overnight (schema version "
                + version
                + ", tables "
                + tables
                + "). Point Overnight at its own file. Nothing was written.");
      }
    }
  }

  /**
   * Applies every pending script in one {@code BEGIN IMMEDIATE} transaction. Call with autocommit
   * on.
   *
   * @return the schema version after migrating
   */
  public static int migrate(Connection connection, Path file, InstantSource clock)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      try {
        int current = pragmaInt(connection, "user_version");
        if (current > LATEST) {
          throw new TaskQueueException(
              "SQLite database "
                  + file
                  + " was upgraded to schema version "
                  + current
                  + " by a newer Overnight while this one opened it. Nothing was written.");
        }
        for (Migration migration : MIGRATIONS) {
          if (migration.version() <= current) {
            continue;
          }
          statement.executeUpdate(script(migration));
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO schema_version (version, description, applied_at)"
                      + " VALUES (?, ?, ?)")) {
            insert.setInt(1, migration.version());
            insert.setString(2, migration.description());
            insert.setLong(3, clock.millis());
            insert.executeUpdate();
          }
          // PRAGMA takes no bound parameters; the value is a compile-time constant.
          statement.executeUpdate("PRAGMA user_version = " + migration.version());
          if (migration.version() == 1) {
            statement.executeUpdate("PRAGMA application_id = " + APPLICATION_ID);
          }
        }
        statement.execute("COMMIT");
        return LATEST;
      } catch (SQLException | RuntimeException e) {
        try {
          statement.execute("ROLLBACK");
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }

  /** An integer pragma of the main database. */
  public static int pragmaInt(Connection connection, String pragma) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static List<String> foreignTables(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                    + " AND name NOT LIKE 'sqlite%' ORDER BY name")) {
      List<String> names = new java.util.ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      return names;
    }
  }

  private static String script(Migration migration) {
    try (InputStream in = Migrator.class.getResourceAsStream("migration/" + migration.script())) {
      if (in == null) {
        throw new IllegalStateException("Missing migration script " + migration.script());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read migration script " + migration.script(), e);
    }
  }
}
