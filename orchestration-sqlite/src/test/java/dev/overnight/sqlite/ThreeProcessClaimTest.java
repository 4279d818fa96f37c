package dev.overnight.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three JVMs on one database file claim 10,000 tasks at once: each is completed exactly once. */
class ThreeProcessClaimTest {

  private static final int TASKS = 10_000;
  private static final int PROCESSES = 3;

  @TempDir Path dir;

  @Test
  @Timeout(value = 170, unit = TimeUnit.SECONDS)
  void everyTaskIsCompletedExactlyOnce() throws Exception {
    Path file = dir.resolve("shared.db");
    try (SqliteTaskQueue queue = SqliteTaskQueue.builder(file).build()) {
      for (int from = 0; from < TASKS; from += 1_000) {
        queue.enqueueAll(
            IntStream.range(from, from + 1_000)
                .mapToObj(i -> TaskSpec.builder("task " + i).build())
                .toList());
      }
    }

    List<Process> workers = new ArrayList<>();
    List<BufferedReader> outputs = new ArrayList<>();
    for (int p = 0; p < PROCESSES; p++) {
      Process worker =
          ChildJvm.start(
              QueueWorkerMain.class,
              dir.resolve("worker-" + p + ".err"),
              "drain",
              file.toString(),
              "worker-" + p);
      workers.add(worker);
      outputs.add(
          new BufferedReader(
              new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8)));
    }
    // Every worker has its queue open before any claims, so all three race for the same tasks
    // however long each JVM takes to start.
    for (int p = 0; p < PROCESSES; p++) {
      assertThat(outputs.get(p).readLine()).as("worker %d", p).isEqualTo("ready");
    }
    for (Process worker : workers) {
      try (Writer in = new OutputStreamWriter(worker.getOutputStream(), StandardCharsets.UTF_8)) {
        in.write("go\n");
      }
    }
    // Read each worker's lines beside the others, so none waits on a full pipe.
    List<CompletableFuture<List<String>>> lines = new ArrayList<>();
    for (BufferedReader out : outputs) {
      lines.add(
          CompletableFuture.supplyAsync(
              () -> {
                try (out) {
                  return out.lines().toList();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }));
    }
    for (int p = 0; p < PROCESSES; p++) {
      assertThat(workers.get(p).waitFor(160, TimeUnit.SECONDS)).as("worker %d ended", p).isTrue();
      assertThat(workers.get(p).exitValue())
          .as("worker %d: %s", p, Files.readString(dir.resolve("worker-" + p + ".err")))
          .isZero();
    }

    Set<String> completed = new HashSet<>();
    int reported = 0;
    int tookPart = 0;
    for (int p = 0; p < PROCESSES; p++) {
      List<String> output = lines.get(p).get(30, TimeUnit.SECONDS);
      List<String> ids =
          output.stream()
              .filter(l -> l.startsWith("completed "))
              .map(l -> l.substring(10))
              .toList();
      assertThat(output).last().isEqualTo("done " + ids.size());
      tookPart += ids.isEmpty() ? 0 : 1;
      completed.addAll(ids);
      reported += ids.size();
    }
    // SQLite's lock is not fair: a worker backing off in its busy handler may be passed over for
    // the whole drain, so not every worker is sure to complete one; claims were contended, though.
    assertThat(tookPart).as("workers that completed a task").isGreaterThanOrEqualTo(2);
    assertThat(reported).as("completions reported").isEqualTo(TASKS);
    assertThat(completed).as("distinct tasks completed").hasSize(TASKS);

    try (SqliteTaskQueue queue = SqliteTaskQueue.builder(file).build()) {
      assertThat(queue.list(TaskFilter.withStatus(TaskStatus.COMPLETED)).total()).isEqualTo(TASKS);
      assertThat(
              queue.list(TaskFilter.withStatus(TaskStatus.PENDING, TaskStatus.IN_PROGRESS)).total())
          .isZero();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      assertThat(count(c, "SELECT count(*) FROM task_events WHERE type = 'CLAIMED'"))
          .isEqualTo(TASKS);
      assertThat(
              count(
                  c,
                  "SELECT count(*) FROM (SELECT task_id FROM task_events WHERE type = 'COMPLETED'"
                      + " GROUP BY task_id HAVING count(*) = 1)"))
          .isEqualTo(TASKS);
    }
  }

  static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
