package dev.overnight.benchmarks;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.sqlite.SqliteStore;
import dev.overnight.sqlite.SqliteTaskQueue;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Enqueue → claim → complete throughput of the SQLite task queue, against (a) the same statements
 * in hand-written JDBC, (b) the minimal three-transaction pattern ({@link MinimalJdbcQueue}:
 * insert; claim with one {@code UPDATE … RETURNING}; complete) on a table of its own, and (c)
 * JobRunr's SQLite storage running as many no-op jobs; plus enqueue of 100,000 tasks in batches
 * (20,000 with {@code --quick}). Every run uses a fresh file in a temporary folder with the same
 * connection settings ({@link SqliteConnections}: those the store opens its file with).
 *
 * <p>Ours and both JDBC baselines run on one thread: enqueue N tasks one transaction each, then
 * claim and complete them one by one. After a warm-up of each, rounds rotate between the three (and
 * which goes first); the median counts. Each round records wall time and the thread's CPU time
 * (user + system, which includes SQLite's writes to the page cache): on a machine shared with other
 * work the wall-clock ratio swings with the load, the CPU-time ratio much less, so both are
 * reported.
 */
final class QueueBenchmark {

  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Wall and CPU seconds of one run of N jobs. */
  private record Run(int jobs, double wallSeconds, double cpuSeconds) {
    double perWallSecond() {
      return jobs / wallSeconds;
    }

    double perCpuSecond() {
      return jobs / cpuSeconds;
    }
  }

  private interface Body {
    int run() throws Exception;
  }

  public Result run(boolean quick) throws Exception {
    int jobs = quick ? 2_000 : 20_000;
    int rounds = quick ? 3 : 7;
    int warmUp = quick ? 4_000 : 10_000;
    int jobRunrJobs = quick ? 500 : 5_000;
    int batchTotal = quick ? 20_000 : 100_000;
    int batchSize = 1_000;
    Path dir = Files.createTempDirectory("overnight-queue-bench");
    try {
      System.out.printf(
          Locale.ROOT,
          "queue benchmark: %,d jobs x %d rounds; JobRunr %,d jobs; in %s%n",
          jobs,
          rounds,
          jobRunrJobs,
          dir);
      // Both paths compiled by the JIT before anything counts.
      ours(dir, "warm-ours", warmUp);
      raw(dir, "warm-raw", warmUp);
      minimal(dir, "warm-minimal", warmUp);

      Run[] oursRuns = new Run[rounds];
      Run[] rawRuns = new Run[rounds];
      Run[] minimalRuns = new Run[rounds];
      for (int r = 0; r < rounds; r++) {
        // Rotate who goes first, so that drift in the machine's load favours none.
        for (int k = 0; k < 3; k++) {
          switch ((r + k) % 3) {
            case 0 -> oursRuns[r] = ours(dir, "ours-" + r, jobs);
            case 1 -> rawRuns[r] = raw(dir, "raw-" + r, jobs);
            default -> minimalRuns[r] = minimal(dir, "minimal-" + r, jobs);
          }
        }
        System.out.printf(
            Locale.ROOT,
            "  round %d: ours %,.0f jobs/s (%,.0f per CPU s), raw JDBC %,.0f jobs/s (%,.0f per CPU"
                + " s), minimal %,.0f jobs/s (%,.0f per CPU s): vs raw %.2fx wall, %.2fx CPU;"
                + " vs minimal %.2fx wall, %.2fx CPU%n",
            r + 1,
            oursRuns[r].perWallSecond(),
            oursRuns[r].perCpuSecond(),
            rawRuns[r].perWallSecond(),
            rawRuns[r].perCpuSecond(),
            minimalRuns[r].perWallSecond(),
            minimalRuns[r].perCpuSecond(),
            oursRuns[r].perWallSecond() / rawRuns[r].perWallSecond(),
            oursRuns[r].perCpuSecond() / rawRuns[r].perCpuSecond(),
            oursRuns[r].perWallSecond() / minimalRuns[r].perWallSecond(),
            oursRuns[r].perCpuSecond() / minimalRuns[r].perCpuSecond());
      }
      double ours = median(Arrays.stream(oursRuns).mapToDouble(Run::perWallSecond).toArray());
      double raw = median(Arrays.stream(rawRuns).mapToDouble(Run::perWallSecond).toArray());
      double minimal = median(Arrays.stream(minimalRuns).mapToDouble(Run::perWallSecond).toArray());
      double oursCpu = median(Arrays.stream(oursRuns).mapToDouble(Run::perCpuSecond).toArray());
      double rawCpu = median(Arrays.stream(rawRuns).mapToDouble(Run::perCpuSecond).toArray());
      double minimalCpu =
          median(Arrays.stream(minimalRuns).mapToDouble(Run::perCpuSecond).toArray());

      Run oursSameCount = ours(dir, "ours-vs-jobrunr", jobRunrJobs);
      JobRunrRun.Figures jobRunr = JobRunrRun.run(dir.resolve("jobrunr.db"), jobRunrJobs);
      System.out.printf(
          Locale.ROOT,
          "  JobRunr 8.3.1 (%d workers, %d s poll): %,d no-op jobs in %.2f s (enqueue %.2f s):"
              + " %,.0f jobs/s; ours on the same %,d jobs: %,.0f jobs/s%n",
          jobRunr.workers(),
          JobRunrRun.POLL_INTERVAL.toSeconds(),
          jobRunr.jobs(),
          jobRunr.seconds(),
          jobRunr.enqueueSeconds(),
          jobRunr.jobsPerSecond(),
          jobRunrJobs,
          oursSameCount.perWallSecond());

      double batchRate = batchEnqueue(dir, batchTotal, batchSize);
      System.out.printf(
          Locale.ROOT,
          "  enqueueAll: %,d tasks in batches of %,d: %,.0f tasks/s%n",
          batchTotal,
          batchSize,
          batchRate);

      double vsRaw = ours / raw;
      double vsRawCpu = oursCpu / rawCpu;
      double vsMinimal = ours / minimal;
      double vsMinimalCpu = oursCpu / minimalCpu;
      double vsJobRunr = oursSameCount.perWallSecond() / jobRunr.jobsPerSecond();
      System.out.printf(
          Locale.ROOT,
          "median: ours %,.0f jobs/s, raw JDBC %,.0f jobs/s (%.2fx; CPU time %.2fx), minimal"
              + " pattern %,.0f jobs/s (%.2fx; CPU time %.2fx); vs JobRunr %.1fx%n",
          ours,
          raw,
          vsRaw,
          vsRawCpu,
          minimal,
          vsMinimal,
          vsMinimalCpu,
          vsJobRunr);

      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("jobs_per_s", Math.round(ours));
      summary.put("vs_raw", round2(vsRaw));
      summary.put("vs_minimal", round2(vsMinimal));
      summary.put("vs_jobrunr", round2(vsJobRunr));
      summary.put("vs_raw_cpu", round2(vsRawCpu));
      summary.put("raw_jobs_per_s", Math.round(raw));
      summary.put("minimal_jobs_per_s", Math.round(minimal));
      summary.put("vs_minimal_cpu", round2(vsMinimalCpu));
      summary.put("jobrunr_jobs_per_s", round2(jobRunr.jobsPerSecond()));
      summary.put("batch_enqueue_per_s", Math.round(batchRate));

      Map<String, Object> details = new LinkedHashMap<>();
      details.put("jobs", jobs);
      details.put("rounds", rounds);
      details.put("warm_up_jobs", warmUp);
      details.put("ours_jobs_per_s_rounds", perWall(oursRuns));
      details.put("raw_jobs_per_s_rounds", perWall(rawRuns));
      details.put("ours_jobs_per_cpu_s_rounds", perCpu(oursRuns));
      details.put("raw_jobs_per_cpu_s_rounds", perCpu(rawRuns));
      details.put("ours_jobs_per_s", Math.round(ours));
      details.put("raw_jobs_per_s", Math.round(raw));
      details.put("vs_raw", round2(vsRaw));
      details.put("vs_raw_cpu", round2(vsRawCpu));
      details.put("target_vs_raw", 0.8);
      details.put("minimal_jobs_per_s_rounds", perWall(minimalRuns));
      details.put("minimal_jobs_per_cpu_s_rounds", perCpu(minimalRuns));
      details.put("minimal_jobs_per_s", Math.round(minimal));
      details.put("vs_minimal", round2(vsMinimal));
      details.put("vs_minimal_cpu", round2(vsMinimalCpu));
      details.put("target_vs_minimal", 0.5);
      Map<String, Object> jr = new LinkedHashMap<>();
      jr.put("version", "8.3.1");
      jr.put("storage", "SqLiteStorageProvider on HikariCP");
      jr.put("jobs", jobRunr.jobs());
      jr.put("seconds", round2(jobRunr.seconds()));
      jr.put("enqueue_seconds", round2(jobRunr.enqueueSeconds()));
      jr.put("jobs_per_s", round2(jobRunr.jobsPerSecond()));
      jr.put("enqueue_per_s", Math.round(jobRunr.enqueuePerSecond()));
      jr.put("workers", jobRunr.workers());
      jr.put("poll_interval_s", JobRunrRun.POLL_INTERVAL.toSeconds());
      jr.put("ours_jobs_per_s_same_jobs", Math.round(oursSameCount.perWallSecond()));
      details.put("jobrunr", jr);
      details.put("vs_jobrunr", round2(vsJobRunr));
      details.put("target_vs_jobrunr", 2.0);
      Map<String, Object> batch = new LinkedHashMap<>();
      batch.put("tasks", batchTotal);
      batch.put("batch_size", batchSize);
      batch.put("tasks_per_s", Math.round(batchRate));
      details.put("batch_enqueue", batch);
      Map<String, Object> settings = new LinkedHashMap<>(SqliteConnections.describe());
      settings.put("transactions", "BEGIN IMMEDIATE; one per enqueue, claim and complete");
      settings.put("threads_ours_and_raw", 1);
      settings.put("load_average_at_end", loadAverage());
      details.put("settings", settings);
      return new Result(summary, details);
    } finally {
      deleteTree(dir);
    }
  }

  /** Our queue: enqueue N, then claim and complete them. */
  private static Run ours(Path dir, String name, int jobs) throws Exception {
    try (SqliteTaskQueue queue = SqliteTaskQueue.builder(dir.resolve(name + ".db")).build()) {
      return timed(
          jobs,
          () -> {
            for (int i = 0; i < jobs; i++) {
              queue.enqueue(TaskSpec.builder("job " + i).build());
            }
            return drain(queue);
          });
    }
  }

  private static int drain(TaskQueue queue) {
    int done = 0;
    for (Optional<Task> t = queue.claimNext("worker", LEASE);
        t.isPresent();
        t = queue.claimNext("worker", LEASE)) {
      queue.complete(t.get().id(), "worker", "done", Map.of());
      done++;
    }
    return done;
  }

  /** The same statements in plain JDBC, on a file with the same schema and settings. */
  private static Run raw(Path dir, String name, int jobs) throws Exception {
    Path file = dir.resolve(name + ".db");
    SqliteStore.open(file).close(); // the same schema, made by the same migrations
    try (RawJdbcQueue queue = new RawJdbcQueue(file)) {
      long lease = LEASE.toMillis();
      return timed(
          jobs,
          () -> {
            for (int i = 0; i < jobs; i++) {
              String prompt = "job " + i;
              queue.enqueue(prompt, TaskSpec.defaultOpHash(prompt, Optional.empty()), millis());
            }
            int done = 0;
            for (String id = queue.claim("worker", millis(), lease);
                id != null;
                id = queue.claim("worker", millis(), lease)) {
              queue.complete(id, "worker", millis());
              done++;
            }
            return done;
          });
    }
  }

  /** The minimal three-transaction pattern, on a table of its own. */
  private static Run minimal(Path dir, String name, int jobs) throws Exception {
    try (MinimalJdbcQueue queue = new MinimalJdbcQueue(dir.resolve(name + ".db"))) {
      long lease = LEASE.toMillis();
      return timed(
          jobs,
          () -> {
            for (int i = 0; i < jobs; i++) {
              queue.enqueue("job " + i);
            }
            int done = 0;
            for (long id = queue.claim("worker", millis() + lease);
                id >= 0;
                id = queue.claim("worker", millis() + lease)) {
              queue.complete(id, "worker");
              done++;
            }
            return done;
          });
    }
  }

  private static Run timed(int jobs, Body body) throws Exception {
    long cpu = THREADS.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    int done = body.run();
    long end = System.nanoTime();
    long cpuEnd = THREADS.getCurrentThreadCpuTime();
    if (done != jobs) {
      throw new IllegalStateException("completed " + done + " of " + jobs + " jobs");
    }
    return new Run(jobs, (end - start) / 1e9, (cpuEnd - cpu) / 1e9);
  }

  private static double batchEnqueue(Path dir, int total, int batchSize) {
    try (SqliteTaskQueue queue = SqliteTaskQueue.builder(dir.resolve("batch.db")).build()) {
      long start = System.nanoTime();
      for (int from = 0; from < total; from += batchSize) {
        List<TaskSpec> batch = new ArrayList<>(batchSize);
        for (int i = from; i < Math.min(total, from + batchSize); i++) {
          batch.add(TaskSpec.builder("batch job " + i).build());
        }
        queue.enqueueAll(batch);
      }
      long end = System.nanoTime();
      return total / ((end - start) / 1e9);
    }
  }

  private static long millis() {
    return System.currentTimeMillis();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double round2(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static List<Long> perWall(Run[] runs) {
    return Arrays.stream(runs).map(r -> Math.round(r.perWallSecond())).toList();
  }

  private static List<Long> perCpu(Run[] runs) {
    return Arrays.stream(runs).map(r -> Math.round(r.perCpuSecond())).toList();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
