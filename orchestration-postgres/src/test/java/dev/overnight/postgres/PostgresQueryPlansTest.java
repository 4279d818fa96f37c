package dev.overnight.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every lookup the queue makes finds an index: with sequential scans priced out, a statement whose
 * index is missing still scans the table, and its plan says so. The hot statements are the queue's
 * own strings; the few the queue builds with jOOQ are written here in the same shape.
 */
class PostgresQueryPlansTest {

  private Connection connection;

  @BeforeEach
  void schema() throws SQLException {
    String url = TestDatabase.freshSchemaUrl();
    PostgresStore.builder(url).user("postgres").build().close(); // migrates
    connection = DriverManager.getConnection(url, "postgres", null);
    try (Statement s = connection.createStatement()) {
      s.execute("SET enable_seqscan = off");
    }
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  @Test
  void claimsTakeTheNextTaskFromTheClaimOrderAndWriteItByItsKey() throws SQLException {
    assertThat(plan(PostgresTaskQueue.CLAIM)).contains("tasks_claim_order", "tasks_pkey");
    assertThat(plan(PostgresTaskQueue.CLAIM_WITH_LABELS))
        .contains("tasks_claim_order", "tasks_pkey");
  }

  @Test
  void enqueueDedupesOnTheLiveOpHashes() throws SQLException {
    assertThat(plan(PostgresTaskQueue.ENQUEUE)).contains("tasks_live_op_hash");
    assertThat(
            plan("SELECT * FROM tasks WHERE op_hash = ? AND status IN ('PENDING', 'IN_PROGRESS')"))
        .contains("tasks_live_op_hash");
  }

  @Test
  void aChangeFindsItsTaskByItsKey() throws SQLException {
    for (String sql :
        List.of(
            PostgresTaskQueue.FIND_FOR_UPDATE,
            PostgresTaskQueue.RECORD,
            PostgresTaskQueue.RECORD_IF_UNCHANGED,
            PostgresTaskQueue.RECORD_IF_UNCHANGED_AND_ANNOUNCE,
            "SELECT * FROM tasks WHERE id = ?")) {
      assertThat(plan(sql)).as(sql).contains("tasks_pkey");
    }
  }

  @Test
  void opHashesAreLookedUpInTheLiveAndTheFinishedIndexes() throws SQLException {
    assertThat(plan(PostgresTaskQueue.TAKEN_OP_HASHES))
        .contains("tasks_live_op_hash", "tasks_finished_op_hash");
  }

  @Test
  void aTasksEventsAreReadAndPurgedByItsKey() throws SQLException {
    assertThat(plan("SELECT * FROM task_events WHERE task_id = ? ORDER BY seq"))
        .contains("task_events_pkey");
    assertThat(plan("SELECT seq FROM task_events WHERE task_id = ? ORDER BY seq DESC LIMIT 1"))
        .contains("task_events_pkey");
    assertThat(plan(PostgresTaskQueue.PURGE)).contains("tasks_finished", "task_events_pkey");
  }

  @Test
  void expiredLeasesAreFoundWithoutReadingOtherTasks() throws SQLException {
    assertThat(
            plan(
                "SELECT * FROM tasks WHERE status = 'IN_PROGRESS' AND lease_expires_at <= ?"
                    + " ORDER BY priority, seq FOR UPDATE SKIP LOCKED"))
        .contains("tasks_leases");
  }

  /**
   * The plan of {@code sql}, its parameters bound to values of their types (a domain as its base
   * type); never a seq scan.
   */
  private String plan(String sql) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + sql)) {
      ParameterMetaData parameters = explain.getParameterMetaData();
      for (int i = 1; i <= parameters.getParameterCount(); i++) {
        switch (parameters.getParameterTypeName(i)) {
          case "int4", "task_priority" -> explain.setInt(i, 1);
          case "int8" -> explain.setLong(i, 1);
          case "_text" ->
              explain.setArray(i, connection.createArrayOf("text", new String[] {"linux"}));
          default -> explain.setString(i, "x");
        }
      }
      try (ResultSet rows = explain.executeQuery()) {
        while (rows.next()) {
          lines.add(rows.getString(1));
        }
      }
    }
    String plan = String.join("\n", lines);
    assertThat(plan).as(sql).doesNotContain("Seq Scan");
    return plan;
  }
}
