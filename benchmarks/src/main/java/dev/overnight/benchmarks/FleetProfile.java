package dev.overnight.benchmarks;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.postgres.PostgresStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a job's time goes on PostgreSQL, ours against the raw {@code SKIP LOCKED} loop, one worker
 * on one connection so every figure is per job and nothing waits on anything else: wall time,
 * client CPU (the worker thread's and the whole JVM's), the server's execution time, statements the
 * server ran (from {@code pg_stat_statements}, {@code BEGIN} and {@code COMMIT} among them), round
 * trips (every statement but {@code BEGIN}, which the driver sends in the same message as the
 * statement after it), WAL bytes (from {@code pg_current_wal_lsn()}), and the statements themselves
 * by calls per job.
 */
final class FleetProfile {

  private static final String USER = "postgres";
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** One worker's job loop over {@code jobs} jobs. */
  private interface Loop {
    void run(int jobs) throws Exception;
  }

  public Result run(boolean quick) throws Exception {
    // More jobs give a profiler attached to this run more samples.
    int jobs = Integer.getInteger("fleet.profile.jobs", quick ? 1_000 : 4_000);
    try (EmbeddedPostgres server =
        EmbeddedPostgres.builder()
            .setServerConfig("shared_preload_libraries", "pg_stat_statements")
            .setServerConfig("pg_stat_statements.track_utility", "on")
            .setServerConfig("pg_stat_statements.track_planning", "on")
            .start()) {
      String url = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
      try (Connection c = DriverManager.getConnection(url, USER, null);
          Statement s = c.createStatement()) {
        s.execute("CREATE EXTENSION pg_stat_statements");
      }
      Map<String, Object> ours = profile(url, "ours", jobs, FleetProfile::oursLoop);
      Map<String, Object> raw = profile(url, "raw", jobs, FleetProfile::rawLoop);
      Map<String, Object> summary = new LinkedHashMap<>();
      for (String key :
          List.of(
              "round_trips",
              "wal_bytes",
              "client_cpu_us",
              "server_exec_us",
              "server_plan_us",
              "server_cpu_us",
              "wall_us")) {
        summary.put("ours_" + key, ours.get(key));
        summary.put("raw_" + key, raw.get(key));
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("jobs", jobs);
      details.put("ours", ours);
      details.put("raw", raw);
      return new Result(summary, details);
    }
  }

  private static Loop oursLoop(String schemaUrl) {
    return jobs -> {
      try (PostgresStore store = PostgresStore.builder(schemaUrl).user(USER).build()) {
        TaskQueue queue = store.taskQueue();
        for (int i = 0; i < jobs; i++) {
          queue.enqueue(TaskSpec.builder("job " + i).build());
        }
        for (Optional<Task> t = queue.claimNext("w", LEASE);
            t.isPresent();
            t = queue.claimNext("w", LEASE)) {
          queue.complete(t.get().id(), "w", "done", Map.of());
        }
      }
    };
  }

  private static Loop rawLoop(String schemaUrl) throws SQLException {
    RawPostgresQueue.createTable(schemaUrl, USER);
    return jobs -> {
      try (RawPostgresQueue queue = new RawPostgresQueue(schemaUrl, USER)) {
        for (int i = 0; i < jobs; i++) {
          queue.enqueue("job " + i);
        }
        long leaseUntil = System.currentTimeMillis() + LEASE.toMillis();
        for (long id = queue.claim("w", leaseUntil); id >= 0; id = queue.claim("w", leaseUntil)) {
          queue.complete(id, "w");
        }
      }
    };
  }

  private interface LoopFactory {
    Loop on(String schemaUrl) throws SQLException;
  }

  private static Map<String, Object> profile(String url, String name, int jobs, LoopFactory factory)
      throws Exception {
    String schemaUrl = freshSchema(url, name);
    Loop loop = factory.on(schemaUrl);
    loop.run(jobs); // warm-up: plans cached, code compiled
    String ddl = System.getProperty("fleet.profile." + name + ".ddl", "");
    if (!ddl.isBlank()) {
      // A schema change to measure before writing it as a migration.
      try (Connection c = DriverManager.getConnection(schemaUrl, USER, null);
          Statement s = c.createStatement()) {
        if (ddl.startsWith("@")) {
          // A script file, run as one: its functions' bodies hold semicolons of their own.
          s.execute(Files.readString(Path.of(ddl.substring(1))));
        } else {
          for (String statement : ddl.split(";")) {
            s.execute(statement);
          }
        }
      }
      System.out.println(name + " with: " + ddl);
    }
    CpuMeter meter = CpuMeter.of(url, USER);
    try (Connection c = DriverManager.getConnection(url, USER, null);
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_statements_reset()");
      long walBefore = lsn(s);
      double serverBefore = meter.serverSeconds();
      double jvmBefore = jvmSeconds();
      long threadBefore = THREADS.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      loop.run(jobs);
      long wall = System.nanoTime() - start;
      long thread = THREADS.getCurrentThreadCpuTime() - threadBefore;
      double jvmCpu = jvmSeconds() - jvmBefore;
      // The worker's backend has just ended; its time counts once the postmaster has reaped it.
      Thread.sleep(500);
      double serverCpu = meter.serverSeconds() - serverBefore;
      long wal = lsn(s) - walBefore;
      Map<String, Object> out = new LinkedHashMap<>();
      List<String> statements = new ArrayList<>();
      long calls = 0;
      long begins = 0;
      double execMs = 0;
      double planMs = 0;
      try (ResultSet rs =
          s.executeQuery(
              "SELECT calls, total_exec_time, query, plans, total_plan_time FROM pg_stat_statements"
                  + " WHERE query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE"
                  + " '%pg_current_wal_lsn%' ORDER BY calls DESC")) {
        while (rs.next()) {
          long n = rs.getLong(1);
          calls += n;
          execMs += rs.getDouble(2);
          planMs += rs.getDouble(5);
          String q = rs.getString(3).replaceAll("\\s+", " ");
          if (q.equalsIgnoreCase("BEGIN")) {
            begins += n;
          }
          if (n >= jobs / 10) {
            statements.add(
                String.format(
                    Locale.ROOT,
                    "%.2f/job %.1f us/call, %.2f plans/job %.1f us/plan: %s",
                    n / (double) jobs,
                    rs.getDouble(2) * 1000 / n,
                    rs.getLong(4) / (double) jobs,
                    rs.getLong(4) == 0 ? 0 : rs.getDouble(5) * 1000 / rs.getLong(4),
                    q.length() > 160 ? q.substring(0, 160) + "…" : q));
          }
        }
      }
      // pg_stat_statements leaves COMMIT out; every BEGIN has one, a round trip of its own.
      out.put("statements", round2((calls + begins) / (double) jobs));
      out.put("round_trips", round2(calls / (double) jobs));
      out.put("server_exec_us", Math.round(execMs * 1000 / jobs));
      out.put("server_plan_us", Math.round(planMs * 1000 / jobs));
      out.put("server_cpu_us", Math.round(serverCpu * 1e6 / jobs));
      out.put("wal_bytes", Math.round(wal / (double) jobs));
      out.put("wall_us", Math.round(wall / 1e3 / jobs));
      out.put("client_cpu_us", Math.round(thread / 1e3 / jobs));
      out.put("jvm_cpu_us", Math.round(jvmCpu * 1e6 / jobs));
      out.put("by_statement", statements);
      System.out.printf(Locale.ROOT, "%s: %s%n", name, out);
      return out;
    }
  }

  private static double jvmSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  private static long lsn(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static String freshSchema(String url, String prefix) throws SQLException {
    String schema = prefix + "_" + SCHEMAS.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url, USER, null);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return url + "?currentSchema=" + schema;
  }
}
