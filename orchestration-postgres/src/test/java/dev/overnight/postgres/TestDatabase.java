package dev.overnight.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests, started once per test JVM from the binaries on the class
 * path (no installation, no network), and stopped when the JVM exits. Each test takes a fresh
 * schema of its own, so tests never see each other's tables.
 */
final class TestDatabase {

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestDatabase() {}

  /** The running server, started on first use. */
  static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server =
            EmbeddedPostgres.builder().setDataDirectoryCustomizer(TestDatabase::passwords).start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (IOException e) {
                      // The JVM is going away; the server's folder is temporary.
                    }
                  }));
    }
    return server;
  }

  /**
   * Lets the superuser {@code postgres} in without a password, as the tests' administrator, and
   * asks every other user for theirs over TCP, so that a wrong password is refused as it is on a
   * real server.
   */
  private static void passwords(File dataDirectory) {
    try {
      Files.writeString(
          dataDirectory.toPath().resolve("pg_hba.conf"),
          String.join(
              "\n",
              "local all all trust",
              "host all postgres 127.0.0.1/32 trust",
              "host all postgres ::1/128 trust",
              "host all all 127.0.0.1/32 scram-sha-256",
              "host all all ::1/128 scram-sha-256",
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL of the server's {@code postgres} database, with no schema chosen. */
  static String url() {
    return "jdbc:postgresql://localhost:" + server().getPort() + "/postgres";
  }

  /** A new, empty schema; returns the URL that makes it the current schema. */
  static String freshSchemaUrl() {
    String schema = "t" + SCHEMAS.incrementAndGet() + "_" + ProcessHandle.current().pid();
    execute("CREATE SCHEMA " + schema);
    return url() + "?currentSchema=" + schema;
  }

  /** Runs one statement as the superuser, on the {@code postgres} database. */
  static void execute(String sql) {
    try (Connection c = server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The user that logs in with a password, and its password. */
  static final String FLEET_USER = "fleet";

  static final String FLEET_PASSWORD = "right horse battery staple";

  /**
   * A new, empty schema owned by {@link #FLEET_USER} (created, with the user, on first use);
   * returns the URL that makes it the current schema.
   */
  static synchronized String freshFleetSchemaUrl() {
    try {
      execute("CREATE ROLE " + FLEET_USER + " LOGIN PASSWORD '" + FLEET_PASSWORD + "'");
    } catch (IllegalStateException alreadyThere) {
      // Created by an earlier test of this JVM.
    }
    String schema = "f" + SCHEMAS.incrementAndGet() + "_" + ProcessHandle.current().pid();
    execute("CREATE SCHEMA " + schema + " AUTHORIZATION " + FLEET_USER);
    return url() + "?currentSchema=" + schema;
  }

  /**
   * Ends every connection Overnight has open to the server (they name themselves {@code
   * overnight}), as {@code pg_terminate_backend} does when an administrator or a failover ends
   * them.
   *
   * @return how many were ended
   */
  static int terminateOvernightBackends() {
    try (Connection c = server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = 'overnight' AND pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot terminate connections: " + e.getMessage(), e);
    }
  }

  /** A store on a fresh schema, as the superuser {@code postgres}. */
  static PostgresStore.Builder freshStore() {
    return PostgresStore.builder(freshSchemaUrl()).user("postgres");
  }
}
