package dev.overnight.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process running a claim/complete storm is killed with SIGKILL at random points, 20
 * times. After each kill: the file is intact, every change the worker reported is there (nothing
 * lost), no task is completed twice, and every lease it abandoned is recovered. Recovery needs no
 * waiting: the checking queue reads a clock an hour ahead, so the dead worker's leases have run out
 * for it.
 */
class CrashSafetyTest {

  private static final int ROUNDS = 20;
  private static final int INITIAL_TASKS = 3_000;
  private static final Pattern LINE =
      Pattern.compile(
          "(enqueued|completed) ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

  @TempDir Path dir;

  @Test
  @Timeout(value = 170, unit = TimeUnit.SECONDS)
  void killedWorkersLoseNothingAndCompleteNothingTwice() throws Exception {
    long seed = Long.getLong("overnight.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    Path file = dir.resolve("crash.db");
    InstantSource anHourAhead = () -> Instant.now().plus(Duration.ofHours(1));
    try (SqliteTaskQueue queue = SqliteTaskQueue.builder(file).build()) {
      queue.enqueueAll(
          IntStream.range(0, INITIAL_TASKS)
              .mapToObj(i -> TaskSpec.builder("initial " + i).maxAttempts(50).build())
              .toList());
    }
    Set<String> reportedEnqueued = new HashSet<>();
    Set<String> reportedCompleted = new HashSet<>();
    long tasks = INITIAL_TASKS;
    long completed = 0;
    int leasesRecovered = 0;

    // Each next worker starts (and loads its classes) while the last round is being checked.
    Process next = startStorm(1, random.nextLong());
    for (int round = 1; round <= ROUNDS; round++) {
      String context = "seed " + seed + ", round " + round;
      int killAfter = random.nextInt(120);
      Process worker = next;
      Set<String> enqueued = new HashSet<>();
      Set<String> claimed = new HashSet<>();
      Set<String> done = new HashSet<>();
      try (BufferedReader out =
              new BufferedReader(
                  new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
          Writer in = new OutputStreamWriter(worker.getOutputStream(), StandardCharsets.UTF_8)) {
        assertThat(out.readLine()).as(context).isEqualTo("loaded");
        in.write("go\n");
        in.flush();
        assertThat(out.readLine()).as(context).isEqualTo("ready");
        int seen = 0;
        String line;
        while (seen < killAfter && (line = out.readLine()) != null) {
          record(line, enqueued, claimed, done);
          seen++;
        }
        // SIGKILL on Linux. Through the handle, because Process.destroyForcibly also closes the
        // pipe, and the lines the worker flushed just before it died must still be read.
        assertThat(worker.toHandle().destroyForcibly()).as(context).isTrue();
        assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as(context).isTrue();
        // What the worker flushed before it died: each line was written after its commit.
        while ((line = out.readLine()) != null) {
          record(line, enqueued, claimed, done);
        }
      }
      if (round < ROUNDS) {
        next = startStorm(round + 1, random.nextLong());
      }
      reportedEnqueued.addAll(enqueued);
      reportedCompleted.addAll(done);

      assertThat(integrityCheck(file)).as(context).isEqualTo("ok");
      try (SqliteTaskQueue queue =
          SqliteTaskQueue.builder(file).clock(anHourAhead).verifyIntegrityOnOpen(false).build()) {
        // Nothing lost: every reported change is there, plus at most the one in flight.
        long tasksNow = count(queue, Set.of());
        assertThat(tasksNow)
            .as(context)
            .isBetween(tasks + enqueued.size(), tasks + enqueued.size() + 1);
        long completedNow = count(queue, Set.of(TaskStatus.COMPLETED));
        assertThat(completedNow)
            .as(context)
            .isBetween(completed + done.size(), completed + done.size() + 1);
        for (String id : enqueued) {
          assertThat(queue.get(TaskId.of(id))).as(context).isPresent();
        }
        for (String id : done) {
          assertThat(queue.get(TaskId.of(id)).orElseThrow().status())
              .as(context)
              .isEqualTo(TaskStatus.COMPLETED);
        }
        // Every abandoned lease is recovered, back to pending.
        long abandoned = count(queue, Set.of(TaskStatus.IN_PROGRESS));
        assertThat(abandoned).as(context).isLessThanOrEqualTo(1);
        List<Task> recovered = queue.recoverExpiredLeases();
        assertThat(recovered).as(context).hasSize((int) abandoned);
        leasesRecovered += recovered.size();
        assertThat(recovered).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.PENDING));
        assertThat(count(queue, Set.of(TaskStatus.IN_PROGRESS))).as(context).isZero();
        // The task the worker had claimed when it died: finished, or back in line.
        for (String id : claimed) {
          assertThat(queue.get(TaskId.of(id)).orElseThrow().status())
              .as(context)
              .isIn(TaskStatus.COMPLETED, TaskStatus.PENDING);
        }
        assertThat(count(queue, Set.of(TaskStatus.FAILED))).as(context).isZero();
        tasks = tasksNow;
        completed = completedNow;
      }
      assertThat(tasksCompletedTwice(file)).as(context).isZero();
    }

    // Kills after a "claimed" line land between a claim and its completion: some must have.
    assertThat(leasesRecovered).as("seed %d: rounds with an abandoned lease", seed).isPositive();
    System.out.printf(
        "crash safety: seed %d, %d rounds, %d abandoned leases recovered, %d tasks%n",
        seed, ROUNDS, leasesRecovered, tasks);

    // The rest of the night: a healthy worker finishes everything, each task exactly once.
    try (SqliteTaskQueue queue = SqliteTaskQueue.builder(file).build()) {
      for (Optional<Task> t = queue.claimNext("finisher", Duration.ofMinutes(1));
          t.isPresent();
          t = queue.claimNext("finisher", Duration.ofMinutes(1))) {
        queue.complete(t.get().id(), "finisher", "done", Map.of());
      }
      assertThat(count(queue, Set.of(TaskStatus.COMPLETED))).isEqualTo(tasks);
      assertThat(count(queue, Set.of())).isEqualTo(tasks);
      for (String id : reportedCompleted) {
        assertThat(queue.get(TaskId.of(id)).orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
      }
    }
    assertThat(tasks).isGreaterThanOrEqualTo(INITIAL_TASKS + reportedEnqueued.size());
    assertThat(tasksCompletedTwice(file)).isZero();
  }

  private Process startStorm(int round, long workerSeed) throws IOException {
    return ChildJvm.start(
        QueueWorkerMain.class,
        dir.resolve("storm-" + round + ".err"),
        "storm",
        dir.resolve("crash.db").toString(),
        "storm-" + round,
        Long.toString(workerSeed));
  }

  private static void record(
      String line, Set<String> enqueued, Set<String> claimed, Set<String> done) {
    Matcher m = LINE.matcher(line);
    if (m.matches()) {
      switch (m.group(1)) {
        case "enqueued" -> enqueued.add(m.group(2));
        case "claimed" -> claimed.add(m.group(2));
        default -> done.add(m.group(2));
      }
    }
  }

  private static long count(SqliteTaskQueue queue, Set<TaskStatus> statuses) {
    TaskFilter filter = TaskFilter.all();
    if (!statuses.isEmpty()) {
      filter = new TaskFilter(statuses, Optional.empty(), 0, 1);
    }
    return queue.list(filter.page(0, 1)).total();
  }

  private static String integrityCheck(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static long tasksCompletedTwice(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      return ThreeProcessClaimTest.count(
          c,
          "SELECT count(*) FROM (SELECT task_id FROM task_events WHERE type = 'COMPLETED'"
              + " GROUP BY task_id HAVING count(*) > 1)");
    }
  }
}
