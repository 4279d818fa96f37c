package dev.overnight.postgres.internal;

import dev.overnight.api.queue.TaskQueueException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings the database's Overnight schema (the connection's current schema, {@code public} unless
 * the URL says otherwise) to the newest version, one versioned script at a time, keyed on the
 * highest version in {@code schema_version}.
 *
 * <p>The versions are the SQLite store's: version <i>n</i> has the same tables and columns in both,
 * so one number says what a store holds. Why not Flyway: the same reasons as on SQLite, and on
 * PostgreSQL the database again offers all a migrator needs: DDL is transactional, and a
 * transaction-scoped advisory lock makes machines that start at once migrate one after another; the
 * later ones find nothing left to do. A schema newer than the newest script is refused, never
 * touched.
 */
public final class Migrator {

  /** The first key of the advisory lock migrations hold: "OVNT" in ASCII. */
  static final int LOCK_KEY = 0x4F564E54;

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
          new Migration(9, "one key a table", "V9__one_key_a_table.sql"),
          new Migration(11, "cycles per scheduler", "V11__cycles_per_scheduler.sql"),
          new Migration(13, "less per write", "V13__less_per_write.sql"));

  /** The schema version this code reads and writes. */
  public static final int LATEST = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

  private static final List<String> OUR_TABLES =
      List.of(
          "schema_version",
          "tasks",
          "task_events",
          "scheduler_snapshots",
          "cycle_history",
          "quota_windows");

  private Migrator() {}

  /**
   * Applies every pending script in one transaction. Call with autocommit off and no transaction
   * open; commits.
   *
   * @return the schema version after migrating
   * @throws TaskQueueException if the schema is newer than this code, or holds tables Overnight did
   *     not create; nothing is written then
   */
  public static int migrate(Connection connection, Endpoint endpoint, InstantSource clock)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      try {
        String schema = currentSchema(connection, endpoint);
        try (PreparedStatement lock =
            connection.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
          lock.setInt(1, LOCK_KEY);
          lock.setString(2, schema);
          lock.execute();
        }
        int current = version(connection);
        if (current > LATEST) {
          throw new TaskQueueException(
              "PostgreSQL database at "
                  + endpoint.safeUrl()
                  + " (schema "
                  + schema
                  + ") has Overnight schema version "
                  + current
                  + ", newer than the newest this Overnight knows ("
                  + LATEST
                  + "): a newer Overnight wrote it. Upgrade Overnight on this machine (every"
                  + " machine sharing a database runs the same version), or point store.url at"
                  + " another database. Nothing was written.");
        }
        if (current == 0) {
          List<String> foreign = existingTables(connection);
          if (!foreign.isEmpty()) {
            throw new TaskQueueException(
                "PostgreSQL database at "
                    + endpoint.safeUrl()
                    + " (schema "
                    + schema
                    + ") already has tables "
                    + foreign
                    + " that Overnight did not create. Give Overnight its own database or schema"
                    + " (store.url ...?currentSchema=overnight). Nothing was written.");
          }
        }
        for (Migration migration : MIGRATIONS) {
          if (migration.version() <= current) {
            continue;
          }
          statement.execute(script(migration));
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO schema_version (version, description, applied_at)"
                      + " VALUES (?, ?, ?)")) {
            insert.setInt(1, migration.version());
            insert.setString(2, migration.description());
            insert.setLong(3, clock.millis());
            insert.executeUpdate();
          }
        }
        connection.commit();
        return LATEST;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }

  /** The schema version of the current schema: 0 when Overnight has not created its tables. */
  public static int version(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT to_regclass(quote_ident(current_schema()) || '.schema_version')")) {
      rs.next();
      if (rs.getString(1) == null) {
        return 0;
      }
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String currentSchema(Connection connection, Endpoint endpoint)
      throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_schema()")) {
      rs.next();
      String schema = rs.getString(1);
      if (schema == null) {
        throw new TaskQueueException(
            "PostgreSQL database at "
                + endpoint.safeUrl()
                + ": none of the schemas on its search path exists (the URL's currentSchema,"
                + " or public), so Overnight has nowhere to keep its tables. Create the schema"
                + " (CREATE SCHEMA <name>) or fix currentSchema in store.url. Nothing was"
                + " written.");
      }
      return schema;
    }
  }

  private static List<String> existingTables(Connection connection) throws SQLException {
    List<String> found = new ArrayList<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = current_schema() AND table_name = ANY (?)"
                + " ORDER BY table_name")) {
      s.setArray(1, connection.createArrayOf("text", OUR_TABLES.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
    }
    return found;
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
