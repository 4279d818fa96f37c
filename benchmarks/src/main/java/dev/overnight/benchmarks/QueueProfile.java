package dev.overnight.benchmarks;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.sqlite.SqliteStore;
import dev.overnight.sqlite.SqliteTaskQueue;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a job's time goes in the SQLite queue: the CPU time and the bytes written per job (enqueue,
 * claim, complete, one transaction each, on one thread) of the minimal pattern, of our statements
 * in plain JDBC with and without the history, of our queue, and of our queue with one part of its
 * schema changed at a time. The variants without a part give up a guarantee; they exist only to
 * measure what that part costs. Rounds rotate the variants; medians count. Bytes written are this
 * thread's {@code write}s (WAL frames, checkpoints), from {@code /proc/thread-self/io}.
 */
final class QueueProfile {

  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private interface Variant {
    void run(Path file, int jobs) throws Exception;
  }

  Result run(boolean quick) throws Exception {
    int jobs = quick ? 2_000 : 10_000;
    int rounds = quick ? 3 : 5;
    Map<String, Variant> variants = new LinkedHashMap<>();
    variants.put("minimal", QueueProfile::minimal);
    variants.put("raw", (f, n) -> raw(f, n, true));
    variants.put("raw_without_history", (f, n) -> raw(f, n, false));
    variants.put("ours", (f, n) -> ours(f, n, ""));
    // Each a schema change after the store made its file: what a part costs, or what it saved.
    Map<String, String> changes = new LinkedHashMap<>();
    changes.put("ours_without_tasks_finished", "DROP INDEX tasks_finished");
    changes.put("ours_without_the_event_list", "DROP TRIGGER task_events_listed");
    changes.put(
        "ours_with_events_by_task_index",
        "CREATE INDEX task_events_by_task ON task_events (task_id, seq)");
    changes.forEach((name, ddl) -> variants.put(name, (f, n) -> ours(f, n, ddl)));
    Path dir = Files.createTempDirectory("overnight-queue-profile");
    try {
      System.out.printf(
          Locale.ROOT, "queue-profile: %,d jobs x %d rounds; in %s%n", jobs, rounds, dir);
      int file = 0;
      for (Map.Entry<String, Variant> v : variants.entrySet()) {
        v.getValue().run(dir.resolve("warm-" + file++ + ".db"), jobs);
      }
      Map<String, List<Double>> micros = new LinkedHashMap<>();
      Map<String, List<Double>> bytes = new LinkedHashMap<>();
      for (int r = 0; r < rounds; r++) {
        List<String> order = new ArrayList<>(variants.keySet());
        Collections.rotate(order, r);
        for (String name : order) {
          long cpu = THREADS.getCurrentThreadCpuTime();
          long written = writtenBytes();
          variants.get(name).run(dir.resolve("run-" + file++ + ".db"), jobs);
          micros
              .computeIfAbsent(name, k -> new ArrayList<>())
              .add((THREADS.getCurrentThreadCpuTime() - cpu) / 1e3 / jobs);
          bytes
              .computeIfAbsent(name, k -> new ArrayList<>())
              .add((writtenBytes() - written) / (double) jobs);
        }
      }
      Map<String, Object> perJob = new LinkedHashMap<>();
      for (String name : variants.keySet()) {
        double us = median(micros.get(name));
        double b = median(bytes.get(name));
        System.out.printf(
            Locale.ROOT, "  %-34s %7.1f us CPU a job, %,8.0f bytes written%n", name, us, b);
        perJob.put(name, Map.of("cpu_us", round1(us), "bytes_written", Math.round(b)));
      }
      double ours = median(micros.get("ours"));
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("ours_us", round1(ours));
      summary.put("raw_us", round1(median(micros.get("raw"))));
      summary.put("minimal_us", round1(median(micros.get("minimal"))));
      summary.put(
          "history_us",
          round1(median(micros.get("raw")) - median(micros.get("raw_without_history"))));
      summary.put("vs_minimal_cpu", Math.round(median(micros.get("minimal")) / ours * 100) / 100.0);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("jobs", jobs);
      details.put("rounds", rounds);
      details.put("per_job", perJob);
      details.put("settings", SqliteConnections.describe());
      details.put("load_average_at_end", loadAverage());
      return new Result(summary, details);
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void minimal(Path file, int jobs) throws SQLException {
    try (MinimalJdbcQueue queue = new MinimalJdbcQueue(file)) {
      for (int i = 0; i < jobs; i++) {
        queue.enqueue("job " + i);
      }
      long leaseUntil = System.currentTimeMillis() + LEASE.toMillis();
      for (long id = queue.claim("worker", leaseUntil); id >= 0; ) {
        queue.complete(id, "worker");
        id = queue.claim("worker", leaseUntil);
      }
    }
  }

  private static void raw(Path file, int jobs, boolean history) throws SQLException {
    SqliteStore.open(file).close();
    try (RawJdbcQueue queue = new RawJdbcQueue(file, history)) {
      for (int i = 0; i < jobs; i++) {
        String prompt = "job " + i;
        queue.enqueue(
            prompt, TaskSpec.defaultOpHash(prompt, Optional.empty()), System.currentTimeMillis());
      }
      long lease = LEASE.toMillis();
      for (String id = queue.claim("worker", System.currentTimeMillis(), lease); id != null; ) {
        queue.complete(id, "worker", System.currentTimeMillis());
        id = queue.claim("worker", System.currentTimeMillis(), lease);
      }
    }
  }

  private static void ours(Path file, int jobs, String ddl) throws SQLException {
    if (!ddl.isEmpty()) {
      SqliteStore.open(file).close();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement s = c.createStatement()) {
        s.execute(ddl);
      }
    }
    try (SqliteTaskQueue queue = SqliteTaskQueue.builder(file).build()) {
      for (int i = 0; i < jobs; i++) {
        queue.enqueue(TaskSpec.builder("job " + i).build());
      }
      for (Optional<Task> t = queue.claimNext("worker", LEASE); t.isPresent(); ) {
        queue.complete(t.get().id(), "worker", "done", Map.of());
        t = queue.claimNext("worker", LEASE);
      }
    }
  }

  private static long writtenBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/thread-self/io"))) {
      if (line.startsWith("wchar:")) {
        return Long.parseLong(line.substring("wchar:".length()).strip());
      }
    }
    return 0;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double round1(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
