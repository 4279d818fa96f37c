package dev.overnight.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The second baseline: the least a durable SQLite job queue can do, in three transactions per job
 * (insert; claim with one {@code UPDATE … RETURNING}; complete), on a table of its own with one
 * partial index over pending jobs so a claim is an index probe. The same connection settings as the
 * queue ({@link SqliteConnections}) and the same {@code BEGIN IMMEDIATE} transactions. No history,
 * no deduplication, no lease columns beyond the worker and its deadline, no checks: what
 * Overnight's queue costs above it is the price of those guarantees plus whatever else the ratio
 * shows.
 */
final class MinimalJdbcQueue implements AutoCloseable {

  private final Connection c;
  private final PreparedStatement begin;
  private final PreparedStatement commit;
  private final PreparedStatement insert;
  private final PreparedStatement claim;
  private final PreparedStatement complete;

  MinimalJdbcQueue(Path file) throws SQLException {
    c = SqliteConnections.open(file);
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY, payload TEXT NOT NULL,"
              + " status TEXT NOT NULL, worker TEXT, lease_until INTEGER)");
      s.execute("CREATE INDEX IF NOT EXISTS jobs_pending ON jobs (id) WHERE status = 'PENDING'");
    }
    begin = c.prepareStatement("BEGIN IMMEDIATE");
    commit = c.prepareStatement("COMMIT");
    insert = c.prepareStatement("INSERT INTO jobs (payload, status) VALUES (?, 'PENDING')");
    claim =
        c.prepareStatement(
            "UPDATE jobs SET status = 'RUNNING', worker = ?, lease_until = ?"
                + " WHERE id = (SELECT id FROM jobs WHERE status = 'PENDING' ORDER BY id LIMIT 1)"
                + " RETURNING id, payload");
    complete =
        c.prepareStatement(
            "UPDATE jobs SET status = 'DONE', worker = NULL, lease_until = NULL"
                + " WHERE id = ? AND status = 'RUNNING' AND worker = ?");
  }

  /** Adds a job. */
  void enqueue(String payload) throws SQLException {
    begin.execute();
    insert.setString(1, payload);
    insert.executeUpdate();
    commit.execute();
  }

  /** Claims the next job; returns its id, or -1 when none is pending. */
  long claim(String worker, long leaseUntil) throws SQLException {
    begin.execute();
    claim.setString(1, worker);
    claim.setLong(2, leaseUntil);
    long id = -1;
    try (ResultSet rs = claim.executeQuery()) {
      if (rs.next()) {
        id = rs.getLong(1);
      }
    }
    commit.execute();
    return id;
  }

  /** Completes a job the worker holds. */
  void complete(long id, String worker) throws SQLException {
    begin.execute();
    complete.setLong(1, id);
    complete.setString(2, worker);
    if (complete.executeUpdate() != 1) {
      throw new IllegalStateException("not held: " + id);
    }
    commit.execute();
  }

  @Override
  public void close() throws SQLException {
    c.close();
  }
}
