package dev.overnight.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.fakes.ManualTimeSource;
import dev.overnight.sqlite.internal.Migration;
import dev.overnight.sqlite.internal.Migrator;
import dev.overnight.sqlite.internal.QueueSql;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema on a real file: migrations, settings, indexes and the rules the database keeps. */
class SchemaTest {

  @TempDir Path dir;

  @Test
  void aNewFileGetsTheNewestSchemaInWalMode() throws Exception {
    Path file = dir.resolve("new.db");
    try (SqliteStore store = SqliteStore.open(file)) {
      assertThat(store.schemaVersion()).isEqualTo(Migrator.LATEST).isEqualTo(12);
      assertThat(store.file()).isEqualTo(file.toAbsolutePath());
    }
    try (Connection c = connect(file)) {
      assertThat(text(c, "PRAGMA journal_mode")).isEqualTo("wal");
      assertThat(text(c, "PRAGMA user_version")).isEqualTo("12");
      assertThat(Integer.parseInt(text(c, "PRAGMA application_id")))
          .isEqualTo(Migrator.APPLICATION_ID);
      assertThat(
              rows(c, "SELECT version || ' ' || description FROM schema_version ORDER BY version"))
          .containsExactly(
              "1 tasks and events",
              "2 scheduler state",
              "3 resume first",
              "4 cycle notes",
              "5 op hash lookup",
              "6 fleet",
              "7 receipts and quota",
              "8 lean hot path",
              "10 sequences without a counter row",
              "11 cycles per scheduler",
              "12 fewer pages a change");
      assertThat(rows(c, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
          .contains(
              "cycle_history",
              "scheduler_snapshots",
              "schema_version",
              "task_events",
              "tasks",
              "workers");
      assertThat(rows(c, "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name"))
          .contains("tasks_live", "tasks_op_hash", "tasks_finished", "cycle_history_recent");
    }
  }

  @Test
  void finishedWorkIsLookedUpByHashThroughAnIndexNotByReadingTheTable() throws Exception {
    Path file = dir.resolve("lookup.db");
    SqliteStore.open(file).close();
    try (Connection c = connect(file)) {
      assertThat(
              String.join(
                  "\n",
                  rows(
                      c,
                      "EXPLAIN QUERY PLAN SELECT DISTINCT op_hash FROM tasks"
                          + " WHERE op_hash IN ('a', 'b')",
                      4)))
          .contains("INDEX tasks_op_hash")
          .doesNotContain("SCAN tasks");
    }
  }

  @Test
  void everyMigrationScriptIsListedInOrder() throws Exception {
    Path folder =
        Path.of(System.getProperty("overnight.moduleDir", "."))
            .resolve("src/main/resources/dev/overnight/sqlite/internal/migration");
    try (Stream<Path> scripts = Files.list(folder)) {
      // In version order, which for V10 and later is not the order of the names.
      assertThat(
              scripts
                  .map(p -> p.getFileName().toString())
                  .sorted(
                      Comparator.comparingInt(
                          name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))))
          .containsExactlyElementsOf(Migrator.MIGRATIONS.stream().map(Migration::script).toList());
    }
    // Versions rise strictly, from 1; a version may be left out (each line of work owns its own).
    int previous = 0;
    for (Migration m : Migrator.MIGRATIONS) {
      assertThat(m.version()).isGreaterThan(previous);
      assertThat(m.script()).startsWith("V" + m.version() + "__");
      previous = m.version();
    }
    assertThat(Migrator.MIGRATIONS.get(0).version()).isEqualTo(1);
  }

  @Test
  void aVersionOneFileIsMigratedKeepingItsTasks() throws Exception {
    Path file = dir.resolve("v1.db");
    try (Connection c = connect(file);
        Statement s = c.createStatement()) {
      s.executeUpdate(script(Migrator.MIGRATIONS.get(0)));
      s.executeUpdate(
          "INSERT INTO schema_version (version, description, applied_at) VALUES (1, 'old', 0)");
      s.executeUpdate("PRAGMA user_version = 1");
      s.executeUpdate("PRAGMA application_id = " + Migrator.APPLICATION_ID);
      s.executeUpdate(
          "INSERT INTO tasks (id, title, prompt, priority, op_hash, status, attempts,"
              + " max_attempts, created_at, updated_at, metadata)"
              + " VALUES ('old-task', 'Old', 'Old work', 2, 'h', 'PENDING', 0, 3, 1000, 1000,"
              + " '{\"from\":\"v1\"}')");
    }

    try (SqliteStore store = SqliteStore.open(file)) {
      assertThat(store.schemaVersion()).isEqualTo(12);
      Task old = store.taskQueue().get(TaskId.of("old-task")).orElseThrow();
      assertThat(old.status()).isEqualTo(TaskStatus.PENDING);
      assertThat(old.metadata()).containsEntry("from", "v1");
      assertThat(store.schedulerStateStore().recentCycles("any", 10)).isEmpty();
    }
    try (Connection c = connect(file)) {
      assertThat(rows(c, "SELECT version FROM schema_version ORDER BY version"))
          .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "10", "11", "12");
    }
  }

  @Test
  void anEventNumberNeverComesBackWhenThePurgeTookTheNewestEvents() throws Exception {
    Path file = dir.resolve("numbers.db");
    ManualTimeSource clock = ManualTimeSource.at("2026-03-01T22:00:00Z");
    long newest;
    try (SqliteTaskQueue queue = SqliteTaskQueue.builder(file).clock(clock).build()) {
      Task done = queue.enqueue(TaskSpec.builder("first").build()).task();
      queue.claimNext("w", Duration.ofMinutes(5)).orElseThrow();
      queue.complete(done.id(), "w", "done", Map.of());
      newest = queue.events(done.id()).get(2).sequence();
      clock.advance(Duration.ofMinutes(1));
      assertThat(queue.purge(clock.instant())).isEqualTo(1);
      assertThat(queue.events(done.id())).isEmpty();
    }
    // Reopened, so nothing this process remembers hands out the numbers.
    try (SqliteTaskQueue queue = SqliteTaskQueue.builder(file).clock(clock).build()) {
      Task next = queue.enqueue(TaskSpec.builder("second").build()).task();
      assertThat(queue.events(next.id()).get(0).sequence()).isEqualTo(newest + 1);
    }
  }

  @Test
  void aVersionEightFileKeepsItsEventNumbersAndNeverHandsOutAPurgedOne() throws Exception {
    Path file = dir.resolve("v8.db");
    try (Connection c = connect(file);
        Statement s = c.createStatement()) {
      for (Migration m : Migrator.MIGRATIONS.subList(0, 8)) {
        s.executeUpdate(script(m));
        s.executeUpdate(
            "INSERT INTO schema_version (version, description, applied_at) VALUES ("
                + m.version()
                + ", 'old', 0)");
      }
      s.executeUpdate("PRAGMA user_version = 8");
      s.executeUpdate("PRAGMA application_id = " + Migrator.APPLICATION_ID);
      s.executeUpdate(
          "INSERT INTO tasks (id, title, prompt, priority, op_hash, status, attempts,"
              + " max_attempts, created_at, updated_at, metadata)"
              + " VALUES ('kept', 'Kept', 'Kept work', 2, 'h', 'PENDING', 0, 3, 1000, 1000, '{}')");
      s.executeUpdate(
          "INSERT INTO task_events (task_id, at, actor, type, from_status, to_status, reason)"
              + " VALUES ('kept', 1000, 'api', 'ENQUEUED', NULL, 'PENDING', 'enqueued')");
      // Events 2 to 7 were handed out, then purged with their tasks.
      s.executeUpdate("UPDATE sqlite_sequence SET seq = 7 WHERE name = 'task_events'");
    }

    try (SqliteStore store = SqliteStore.open(file)) {
      SqliteTaskQueue queue = store.taskQueue();
      assertThat(queue.events(TaskId.of("kept")))
          .extracting(TaskEvent::sequence)
          .containsExactly(1L);
      Task kept = queue.claimNext("w", Duration.ofMinutes(5)).orElseThrow();
      assertThat(kept.id()).isEqualTo(TaskId.of("kept"));
      assertThat(queue.events(kept.id())).extracting(TaskEvent::sequence).containsExactly(1L, 8L);
    }
  }

  @Test
  void cyclesRecordedBeforeNotesWereAListAreReadAsNotes() throws Exception {
    Path file = dir.resolve("v3.db");
    try (Connection c = connect(file);
        Statement s = c.createStatement()) {
      for (Migration m : Migrator.MIGRATIONS.subList(0, 3)) {
        s.executeUpdate(script(m));
        s.executeUpdate(
            "INSERT INTO schema_version (version, description, applied_at) VALUES ("
                + m.version()
                + ", 'old', 0)");
      }
      s.executeUpdate("PRAGMA user_version = 3");
      s.executeUpdate("PRAGMA application_id = " + Migrator.APPLICATION_ID);
      String insert =
          "INSERT INTO cycle_history (cycle_id, scheduler_id, planned_at, started_at,"
              + " finished_at, outcome, skip_reason, detail, catch_up) VALUES ";
      s.executeUpdate(
          insert
              + "('c1', 'n', 1000, 1000, 2000, 'COMPLETED', NULL,"
              + " 'completed in 12 min; 2 tasks run; no more started: night limit reached', 0)");
      s.executeUpdate(
          insert
              + "('c2', 'n', 3000, 3000, 4000, 'CANCELLED', NULL,"
              + " 'cancelled: the scheduler stopped; 0 tasks run', 0)");
      s.executeUpdate(
          insert
              + "('c3', 'n', 5000, NULL, NULL, 'SKIPPED', 'CONSTRAINTS_UNSATISFIED',"
              + " 'plugged_in: on battery; wifi_only: wired', 0)");
      s.executeUpdate(
          insert + "('c4', 'n', 6000, 6000, 7000, 'FAILED', NULL, 'disk full; 1 task run', 0)");
      s.executeUpdate(
          insert + "('c5', 'n', 8000, 8000, 9000, 'COMPLETED', NULL, 'completed in 1 min', 0)");
    }

    try (SqliteStore store = SqliteStore.open(file)) {
      assertThat(store.schemaVersion()).isEqualTo(12);
      assertThat(store.schedulerStateStore().recentCycles("n", 10))
          .extracting(c -> c.cycleId() + " " + c.notes())
          .containsExactly(
              "c5 []",
              "c4 [disk full, 1 task run]",
              "c3 [plugged_in: on battery; wifi_only: wired]",
              "c2 [the scheduler stopped, 0 tasks run]",
              "c1 [2 tasks run, no more started: night limit reached]");
    }
  }

  @Test
  void processesOpeningANewFileAtOnceMigrateItOnce() throws Exception {
    Path file = dir.resolve("race.db");
    int openers = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(openers);
    try {
      List<Future<Integer>> versions = new ArrayList<>();
      for (int i = 0; i < openers; i++) {
        versions.add(
            pool.submit(
                () -> {
                  start.await();
                  try (SqliteStore store = SqliteStore.open(file)) {
                    return store.schemaVersion();
                  }
                }));
      }
      start.countDown();
      for (Future<Integer> v : versions) {
        assertThat(v.get(60, TimeUnit.SECONDS)).isEqualTo(12);
      }
    } finally {
      pool.shutdownNow();
    }
    try (Connection c = connect(file)) {
      assertThat(rows(c, "SELECT version FROM schema_version"))
          .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "10", "11", "12");
    }
  }

  @Test
  void aClaimALeaseRecoveryAndADedupeAreEachOneIndexProbe() throws Exception {
    Path file = dir.resolve("plan.db");
    SqliteStore.open(file).close();
    try (Connection c = connect(file)) {
      assertThat(String.join("\n", rows(c, "EXPLAIN QUERY PLAN " + QueueSql.CLAIM.sql(), 4)))
          .contains("tasks_live (status=?)")
          .doesNotContain("USE TEMP B-TREE");
      assertThat(
              String.join(
                  "\n", rows(c, "EXPLAIN QUERY PLAN " + QueueSql.SELECT_LIVE_BY_OP_HASH.sql(), 4)))
          .contains("tasks_op_hash (op_hash=? AND <expr>=?)");
      assertThat(
              String.join(
                  "\n",
                  rows(
                      c,
                      "EXPLAIN QUERY PLAN SELECT * FROM tasks WHERE status IN ('PENDING',"
                          + " 'IN_PROGRESS') AND status = 'IN_PROGRESS' AND lease_expires_at <= 5",
                      4)))
          .as("lease recovery reads the tasks in progress only")
          .contains("tasks_live (status=?)");
      assertThat(
              String.join(
                  "\n", rows(c, "EXPLAIN QUERY PLAN " + QueueSql.SELECT_EVENTS_OF.sql(), 4)))
          .as("a task's history is read by the numbers its row lists, not by reading every event")
          .contains("SEARCH task_events USING INTEGER PRIMARY KEY (rowid=?)")
          .doesNotContain("SCAN task_events");
    }
  }

  @Test
  void theDatabaseItselfKeepsOneLiveTaskPerOpHash() throws Exception {
    Path file = dir.resolve("unique.db");
    SqliteStore.open(file).close();
    try (Connection c = connect(file);
        Statement s = c.createStatement()) {
      s.executeUpdate(insert("a", "same", "COMPLETED", "NULL", "NULL"));
      s.executeUpdate(insert("b", "same", "PENDING", "NULL", "NULL"));
      assertThatThrownBy(() -> s.executeUpdate(insert("c", "same", "IN_PROGRESS", "'w'", "1")))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("UNIQUE");
      assertThatThrownBy(() -> s.executeUpdate(insert("d", "other", "DONE", "NULL", "NULL")))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("CHECK");
      assertThatThrownBy(() -> s.executeUpdate(insert("e", "other2", "IN_PROGRESS", "NULL", "1")))
          .as("in progress without a worker")
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("CHECK");
    }
  }

  private static String insert(
      String id, String opHash, String status, String worker, String lease) {
    return "INSERT INTO tasks (id, title, prompt, priority, op_hash, status, attempts,"
        + " max_attempts, worker_id, lease_expires_at, created_at, updated_at, metadata)"
        + " VALUES ('"
        + id
        + "', 't', 'p', 2, '"
        + opHash
        + "', '"
        + status
        + "', 1, 3, "
        + worker
        + ", "
        + lease
        + ", 0, 0, '{}')";
  }

  private static String script(Migration migration) throws Exception {
    try (InputStream in = Migrator.class.getResourceAsStream("migration/" + migration.script())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Connection connect(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file);
  }

  static String text(Connection c, String sql) throws SQLException {
    return rows(c, sql).get(0);
  }

  static List<String> rows(Connection c, String sql) throws SQLException {
    return rows(c, sql, 1);
  }

  static List<String> rows(Connection c, String sql, int column) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(column));
      }
      return values;
    }
  }
}
