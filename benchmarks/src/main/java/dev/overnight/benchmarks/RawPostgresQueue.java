package dev.overnight.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The fleet benchmark's baseline: the least a PostgreSQL job queue shared by many workers does, one
 * statement per step in autocommit (insert; claim with one {@code UPDATE … WHERE id = (SELECT … FOR
 * UPDATE SKIP LOCKED) RETURNING}; complete), on a table of its own with one partial index over
 * pending jobs. No history, no deduplication, no wake-up notices, no checks: what Overnight's queue
 * costs above it is the price of those guarantees plus whatever else the ratio shows.
 *
 * <p>One instance is one worker's connection; not thread-safe.
 */
final class RawPostgresQueue implements AutoCloseable {

  private final Connection c;
  private final PreparedStatement insert;
  private final PreparedStatement claim;
  private final PreparedStatement complete;

  /** Creates the table in the URL's current schema, once, before any worker opens it. */
  static void createTable(String url, String user) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE jobs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
              + " payload text NOT NULL, status text NOT NULL, worker text, lease_until bigint)");
      s.execute("CREATE INDEX jobs_pending ON jobs (id) WHERE status = 'PENDING'");
    }
  }

  RawPostgresQueue(String url, String user) throws SQLException {
    c = DriverManager.getConnection(url, user, null);
    c.setAutoCommit(true);
    insert = c.prepareStatement("INSERT INTO jobs (payload, status) VALUES (?, 'PENDING')");
    claim =
        c.prepareStatement(
            "UPDATE jobs SET status = 'RUNNING', worker = ?, lease_until = ?"
                + " WHERE id = (SELECT id FROM jobs WHERE status = 'PENDING' ORDER BY id LIMIT 1"
                + " FOR UPDATE SKIP LOCKED) RETURNING id, payload");
    complete =
        c.prepareStatement(
            "UPDATE jobs SET status = 'DONE', worker = NULL, lease_until = NULL"
                + " WHERE id = ? AND status = 'RUNNING' AND worker = ?");
  }

  /** Adds a job. */
  void enqueue(String payload) throws SQLException {
    insert.setString(1, payload);
    insert.executeUpdate();
  }

  /** Claims the next job; returns its id, or -1 when none is pending. */
  long claim(String worker, long leaseUntil) throws SQLException {
    claim.setString(1, worker);
    claim.setLong(2, leaseUntil);
    try (ResultSet rs = claim.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /** Completes a job the worker holds. */
  void complete(long id, String worker) throws SQLException {
    complete.setLong(1, id);
    complete.setString(2, worker);
    if (complete.executeUpdate() != 1) {
      throw new IllegalStateException("not held: " + id);
    }
  }

  @Override
  public void close() throws SQLException {
    c.close();
  }
}
