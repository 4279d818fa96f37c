package dev.overnight.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.fleet.Labels;
import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.fleet.WorkerIdentity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several worker processes on one PostgreSQL queue, with faults during the storm: killed workers
 * and terminated connections; and machines with different labels, each taking only what it can run.
 * Nothing is lost and nothing is completed twice.
 */
class FleetTest {

  private static final int TASKS = 10_000;
  private static final int WORKERS = 4;

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void tenThousandTasksAreEachCompletedOnceThroughKilledWorkersAndTerminatedConnections()
      throws Exception {
    String url = TestDatabase.freshSchemaUrl();
    String schema;
    try (PostgresStore store = PostgresStore.builder(url).user("postgres").build()) {
      schema = store.schema();
      for (int from = 0; from < TASKS; from += 1_000) {
        store
            .taskQueue()
            .enqueueAll(
                IntStream.range(from, from + 1_000)
                    .mapToObj(i -> TaskSpec.builder("task " + i).build())
                    .toList());
      }
    }

    List<Path> outputs = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      Path out = dir.resolve("worker-" + w + ".out");
      outputs.add(out);
      processes.add(
          ChildJvm.builder(
                  FleetWorkerMain.class,
                  dir.resolve("worker-" + w + ".err"),
                  "drain",
                  url,
                  "worker-" + w)
              .redirectOutput(out.toFile())
              .start());
    }

    // The storm's faults begin once every worker has opened the store: a worker whose very first
    // connection is cut dies before it is part of the storm, which tests nothing.
    for (int w = 0; w < WORKERS; w++) {
      Process p = processes.get(w);
      while (!Files.readString(outputs.get(w)).contains("ready") && p.isAlive()) {
        p.waitFor(50, TimeUnit.MILLISECONDS);
      }
    }
    // Faults: every worker's connections are terminated again and again while they work, and
    // worker-0 is killed outright once it has completed some tasks, in the middle of its loop.
    AtomicInteger terminated = new AtomicInteger();
    ScheduledExecutorService faults = Executors.newSingleThreadScheduledExecutor();
    faults.scheduleWithFixedDelay(
        () -> terminated.addAndGet(terminateOvernightBackends()), 300, 300, TimeUnit.MILLISECONDS);
    Process victim = processes.get(0);
    try {
      while (completions(outputs.get(0)) < 300 && victim.isAlive()) {
        victim.waitFor(50, TimeUnit.MILLISECONDS);
      }
      victim.destroyForcibly().waitFor();
      for (int w = 1; w < WORKERS; w++) {
        Process p = processes.get(w);
        assertThat(p.waitFor(280, TimeUnit.SECONDS)).as("worker %d ended", w).isTrue();
        assertThat(p.exitValue())
            .as("worker %d: %s", w, Files.readString(dir.resolve("worker-" + w + ".err")))
            .isZero();
      }
    } finally {
      faults.shutdownNow();
    }

    assertThat(terminated.get()).as("connections terminated during the storm").isGreaterThan(10);
    Map<String, String> completedBy = new HashMap<>();
    for (int w = 0; w < WORKERS; w++) {
      List<String> lines = Files.readAllLines(outputs.get(w));
      if (w > 0) {
        assertThat(lines).last().isEqualTo("done");
      }
      for (String line : lines) {
        if (line.startsWith("completed ")) {
          String previous = completedBy.put(line.substring(10), "worker-" + w);
          assertThat(previous).as("%s reported completed twice", line).isNull();
        }
      }
    }
    assertThat(completedBy.values()).as("every worker took part").hasSameElementsAs(workers());

    try (PostgresStore store = PostgresStore.builder(url).user("postgres").build()) {
      assertThat(store.taskQueue().list(TaskFilter.withStatus(TaskStatus.COMPLETED)).total())
          .isEqualTo(TASKS);
      assertThat(store.taskQueue().list(TaskFilter.all()).total()).isEqualTo(TASKS);
      // What a worker reported is what the database holds: completed, by that worker.
      for (Map.Entry<String, String> e : completedBy.entrySet()) {
        Task task =
            store.taskQueue().get(dev.overnight.api.queue.TaskId.of(e.getKey())).orElseThrow();
        assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
      }
    }
    assertThat(
            count(
                "SELECT count(*) FROM (SELECT task_id FROM "
                    + schema
                    + ".task_events WHERE type = 'COMPLETED' GROUP BY task_id"
                    + " HAVING count(*) = 1) once"))
        .as("tasks with exactly one completion")
        .isEqualTo(TASKS);
    assertThat(count("SELECT count(*) FROM " + schema + ".task_events WHERE type = 'COMPLETED'"))
        .as("completions in all")
        .isEqualTo(TASKS);
  }

  /**
   * Machines with different labels, each its own process and state folder: every task runs once, on
   * a machine whose labels it requires, including those queued for one machine by its id.
   */
  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void tenThousandTasksRunOnceEachOnAMachineWhoseLabelsTheyRequire() throws Exception {
    List<String> machineLabels =
        List.of(
            "os:linux,repo:github.com/acme/shop",
            "os:linux,repo:github.com/acme/blog",
            "os:macos,repo:github.com/acme/shop,agent:codex",
            "os:macos,gpu");
    List<Path> states = new ArrayList<>();
    Map<String, Set<String>> labelsById = new HashMap<>();
    for (int w = 0; w < machineLabels.size(); w++) {
      Path state = dir.resolve("machine-" + w);
      states.add(state);
      String id = WorkerIdentity.stableId(state);
      Set<String> labels = new HashSet<>(List.of(machineLabels.get(w).split(",")));
      labels.add(Labels.worker(id));
      labelsById.put(id, labels);
    }
    String macWithGpu = WorkerIdentity.stableId(states.get(3));
    List<List<String>> requirements =
        List.of(
            List.of("repo:github.com/acme/shop"),
            List.of("repo:github.com/acme/blog"),
            List.of("os:macos"),
            List.of(),
            List.of("os:linux", "repo:github.com/acme/shop"),
            List.of("agent:codex", "os:macos"),
            List.of(Labels.worker(macWithGpu)));
    String url = TestDatabase.freshSchemaUrl();
    String schema;
    try (PostgresStore store = PostgresStore.builder(url).user("postgres").build()) {
      schema = store.schema();
      for (int from = 0; from < TASKS; from += 1_000) {
        store
            .taskQueue()
            .enqueueAll(
                IntStream.range(from, from + 1_000)
                    .mapToObj(
                        i ->
                            TaskSpec.builder("task " + i)
                                .requiredLabels(requirements.get(i % requirements.size()))
                                .build())
                    .toList());
      }
    }

    for (int w = 0; w < states.size(); w++) {
      processes.add(
          ChildJvm.builder(
                  FleetWorkerMain.class,
                  dir.resolve("machine-" + w + ".err"),
                  "labelled",
                  url,
                  states.get(w).toString(),
                  machineLabels.get(w))
              .redirectOutput(dir.resolve("machine-" + w + ".out").toFile())
              .start());
    }
    for (int w = 0; w < processes.size(); w++) {
      Process p = processes.get(w);
      assertThat(p.waitFor(280, TimeUnit.SECONDS)).as("machine %d ended", w).isTrue();
      assertThat(p.exitValue())
          .as("machine %d: %s", w, Files.readString(dir.resolve("machine-" + w + ".err")))
          .isZero();
    }

    try (PostgresStore store = PostgresStore.builder(url).user("postgres").build()) {
      var queue = store.taskQueue();
      assertThat(queue.list(TaskFilter.withStatus(TaskStatus.COMPLETED)).total()).isEqualTo(TASKS);
      Map<String, Integer> perMachine = new HashMap<>();
      Set<String> ran = new HashSet<>();
      // One read of every completion with the labels its task required (the claim's own column).
      try (Connection c = TestDatabase.server().getPostgresDatabase().getConnection();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT t.id, array_to_string(t.required_labels, ','), e.actor FROM "
                      + schema
                      + ".tasks t JOIN "
                      + schema
                      + ".task_events e ON e.task_id = t.id AND e.type = 'COMPLETED'")) {
        while (rs.next()) {
          String task = rs.getString(1);
          Set<String> required =
              rs.getString(2).isEmpty() ? Set.of() : Set.of(rs.getString(2).split(","));
          String machine = rs.getString(3);
          assertThat(ran.add(task)).as("%s completed twice", task).isTrue();
          assertThat(labelsById.get(machine))
              .as("%s requires %s, ran on %s", task, required, machine)
              .containsAll(required);
          perMachine.merge(machine, 1, Integer::sum);
        }
      }
      assertThat(ran).hasSize(TASKS);
      assertThat(perMachine.get(macWithGpu))
          .as("the tasks queued for one machine by its id ran there, with those it may run")
          .isGreaterThanOrEqualTo(TASKS / requirements.size());
      assertThat(perMachine.keySet()).as("every machine took part").isEqualTo(labelsById.keySet());
      assertThat(store.workers().workers())
          .as("each machine recorded itself under its folder's id")
          .extracting(WorkerInfo::id)
          .containsExactlyInAnyOrderElementsOf(labelsById.keySet());
    }
    assertThat(count("SELECT count(*) FROM " + schema + ".task_events WHERE type = 'COMPLETED'"))
        .as("completions in all")
        .isEqualTo(TASKS);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aKilledWorkersTasksComeBackByLeaseAndRunOnceMore() throws Exception {
    String url = TestDatabase.freshSchemaUrl();
    try (PostgresStore store = PostgresStore.builder(url).user("postgres").build()) {
      for (int i = 0; i < 5; i++) {
        store.taskQueue().enqueue(TaskSpec.builder("task " + i).build());
      }
    }
    Process holder =
        ChildJvm.builder(
                FleetWorkerMain.class, dir.resolve("holder.err"), "hold", url, "holder", "3")
            .start();
    processes.add(holder);
    Set<String> held = new HashSet<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      while (held.size() < 3) {
        String line = in.readLine();
        assertThat(line).as(Files.readString(dir.resolve("holder.err"))).isNotNull();
        if (line.startsWith("claimed ")) {
          held.add(line.substring(8));
        }
      }
      holder.destroyForcibly().waitFor();
    }

    // A machine that judges leases two hours on sees the holder's one-hour leases run out.
    InstantSource later = InstantSource.offset(InstantSource.system(), Duration.ofHours(2));
    try (PostgresStore store =
        PostgresStore.builder(url).user("postgres").leaseClock(later).build()) {
      var queue = store.taskQueue();
      assertThat(queue.claimNext("survivor", Duration.ofMinutes(5)).orElseThrow().id().value())
          .as("a task the dead worker never claimed")
          .isNotIn(held);
      List<Task> recovered = queue.recoverExpiredLeases();

      assertThat(recovered)
          .extracting(t -> t.id().value())
          .containsExactlyInAnyOrderElementsOf(held);
      assertThat(recovered).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.PENDING));
      for (String id : held) {
        Task task = queue.claimNext("survivor", Duration.ofMinutes(5)).orElseThrow();
        assertThat(held).contains(task.id().value());
        assertThat(task.attempts()).isEqualTo(2);
        queue.complete(task.id(), "survivor", "done", Map.of());
        assertThat(queue.events(task.id()))
            .extracting(e -> e.type())
            .containsExactly(
                TaskEventType.ENQUEUED,
                TaskEventType.CLAIMED,
                TaskEventType.LEASE_EXPIRED,
                TaskEventType.CLAIMED,
                TaskEventType.COMPLETED);
      }
    }
  }

  private static List<String> workers() {
    return IntStream.range(0, WORKERS).mapToObj(w -> "worker-" + w).toList();
  }

  private static long completions(Path out) throws IOException {
    if (!Files.exists(out)) {
      return 0;
    }
    try (var lines = Files.lines(out)) {
      return lines.filter(l -> l.startsWith("completed ")).count();
    }
  }

  private static int terminateOvernightBackends() {
    try {
      return TestDatabase.terminateOvernightBackends();
    } catch (IllegalStateException e) {
      return 0; // the server was busy; the next round terminates them
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = TestDatabase.server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
