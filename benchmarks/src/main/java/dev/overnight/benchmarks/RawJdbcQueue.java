package dev.overnight.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.UUID;

/**
 * The baseline: the statements the SQLite queue issues for enqueue, claim and complete, written by
 * hand in plain JDBC, on a file with the same schema and connection settings ({@link
 * SqliteConnections}) and the same {@code BEGIN IMMEDIATE} transactions. Statements are prepared
 * once and reused, as a careful hand-written version would. It does the minimum a caller needs (ids
 * in, ids out), none of the queue's checks, records or listeners: what the queue costs on top is
 * what the ratio shows.
 */
final class RawJdbcQueue implements AutoCloseable {

  private static final String TASK_COLUMNS =
      "seq, id, title, prompt, agent_id, priority, op_hash, status, attempts, max_attempts,"
          + " worker_id, lease_expires_at, created_at, updated_at, started_at, finished_at,"
          + " last_error, metadata";

  private final Connection c;
  private final PreparedStatement begin;
  private final PreparedStatement commit;
  private final PreparedStatement insertTask;
  private final PreparedStatement insertEvent;
  private final PreparedStatement claim;
  private final PreparedStatement selectTask;
  private final PreparedStatement updateTask;

  private final boolean history;

  RawJdbcQueue(Path file) throws SQLException {
    this(file, true);
  }

  /**
   * @param history whether to write the event rows: without, it measures what the history costs
   */
  RawJdbcQueue(Path file, boolean history) throws SQLException {
    this.history = history;
    c = SqliteConnections.open(file);
    begin = c.prepareStatement("BEGIN IMMEDIATE");
    commit = c.prepareStatement("COMMIT");
    insertTask =
        c.prepareStatement(
            "INSERT INTO tasks (id, title, prompt, agent_id, priority, op_hash, status, attempts,"
                + " max_attempts, worker_id, lease_expires_at, created_at, updated_at, started_at,"
                + " finished_at, last_error, metadata)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, NULL, NULL, ?, ?, NULL, NULL, NULL, ?)"
                + " ON CONFLICT (op_hash, CASE WHEN status IN ('PENDING', 'IN_PROGRESS') THEN 0"
                + " END) DO NOTHING");
    insertEvent =
        c.prepareStatement(
            "INSERT INTO task_events (seq, task_id, at, actor, type, from_status, to_status,"
                + " reason) VALUES ((SELECT max(coalesce((SELECT max(seq) FROM task_events), 0),"
                + " high_water) + 1 FROM task_event_sequence), ?, ?, ?, ?, ?, ?, ?) RETURNING seq");
    claim =
        c.prepareStatement(
            "UPDATE tasks SET status = 'IN_PROGRESS', worker_id = ?, lease_expires_at = ?,"
                + " attempts = attempts + 1, started_at = coalesce(started_at, ?), updated_at = ?"
                + " WHERE seq = (SELECT seq FROM tasks WHERE status IN ('PENDING', 'IN_PROGRESS')"
                + " AND status = 'PENDING'"
                + " ORDER BY priority, started_at IS NULL, seq LIMIT 1) RETURNING "
                + TASK_COLUMNS);
    selectTask = c.prepareStatement("SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = ?");
    updateTask =
        c.prepareStatement(
            "UPDATE tasks SET status = ?, attempts = ?, worker_id = ?, lease_expires_at = ?,"
                + " updated_at = ?, started_at = ?, finished_at = ?, last_error = ?, metadata = ?"
                + " WHERE id = ?");
  }

  /** Enqueues a task; returns its id, or null when a live duplicate exists. */
  String enqueue(String prompt, String opHash, long now) throws SQLException {
    begin.execute();
    String id = UUID.randomUUID().toString();
    insertTask.setString(1, id);
    insertTask.setString(2, prompt);
    insertTask.setString(3, prompt);
    insertTask.setNull(4, Types.VARCHAR);
    insertTask.setInt(5, 2);
    insertTask.setString(6, opHash);
    insertTask.setInt(7, 3);
    insertTask.setLong(8, now);
    insertTask.setLong(9, now);
    insertTask.setString(10, "{}");
    boolean created = insertTask.executeUpdate() == 1;
    if (created) {
      event(id, now, "api", "ENQUEUED", null, "PENDING", "enqueued");
    }
    commit.execute();
    return created ? id : null;
  }

  /** Claims the next task; returns its id, or null when none is pending. */
  String claim(String worker, long now, long leaseMillis) throws SQLException {
    begin.execute();
    claim.setString(1, worker);
    claim.setLong(2, now + leaseMillis);
    claim.setLong(3, now);
    claim.setLong(4, now);
    String id = null;
    try (ResultSet rs = claim.executeQuery()) {
      if (rs.next()) {
        id = rs.getString(2);
      }
    }
    if (id != null) {
      event(id, now, worker, "CLAIMED", "PENDING", "IN_PROGRESS", "claimed");
    }
    commit.execute();
    return id;
  }

  /** Completes a task the worker holds. */
  void complete(String id, String worker, long now) throws SQLException {
    begin.execute();
    selectTask.setString(1, id);
    int attempts;
    long startedAt;
    try (ResultSet rs = selectTask.executeQuery()) {
      if (!rs.next()
          || !"IN_PROGRESS".equals(rs.getString(8))
          || !worker.equals(rs.getString(11))) {
        throw new IllegalStateException("not held: " + id);
      }
      attempts = rs.getInt(9);
      startedAt = rs.getLong(15);
    }
    updateTask.setString(1, "COMPLETED");
    updateTask.setInt(2, attempts);
    updateTask.setNull(3, Types.VARCHAR);
    updateTask.setNull(4, Types.BIGINT);
    updateTask.setLong(5, now);
    updateTask.setLong(6, startedAt);
    updateTask.setLong(7, now);
    updateTask.setNull(8, Types.VARCHAR);
    updateTask.setString(9, "{}");
    updateTask.setString(10, id);
    updateTask.executeUpdate();
    event(id, now, worker, "COMPLETED", "IN_PROGRESS", "COMPLETED", "done");
    commit.execute();
  }

  private long event(
      String id, long now, String actor, String type, String from, String to, String reason)
      throws SQLException {
    if (!history) {
      return 0;
    }
    insertEvent.setString(1, id);
    insertEvent.setLong(2, now);
    insertEvent.setString(3, actor);
    insertEvent.setString(4, type);
    insertEvent.setString(5, from);
    insertEvent.setString(6, to);
    insertEvent.setString(7, reason);
    try (ResultSet rs = insertEvent.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws SQLException {
    c.close();
  }
}
