package dev.overnight.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * db-scheduler 16.7.1 on the fleet benchmark's PostgreSQL, in a schema of its own with the table
 * its documentation gives for PostgreSQL, set up as its README advises for throughput: the
 * lock-and-fetch polling strategy ({@code SELECT … FOR UPDATE SKIP LOCKED}, which it recommends on
 * PostgreSQL), as many executor threads as the benchmark has workers, a short polling interval and
 * a HikariCP pool large enough for every thread. The benchmark's threads schedule no-op one-time
 * tasks through a {@link SchedulerClient} (one instance each, due now), then the scheduler runs
 * them; a task is done when db-scheduler has removed its row.
 */
final class DbSchedulerRun {

  /**
   * How often an idle scheduler looks for due executions. db-scheduler's default is 10 s; it polls
   * again at once while a fetch comes back full, so under load this only bounds the idle gaps.
   */
  static final Duration POLLING_INTERVAL = Duration.ofMillis(100);

  /**
   * One way to set db-scheduler up: its lock-and-fetch limits (it fetches when its queue falls
   * below {@code lower} times the threads, up to {@code upper} times the threads) and its polling
   * interval. The benchmark runs each and counts db-scheduler's best.
   */
  record Polling(double lower, double upper, Duration interval) {
    @Override
    public String toString() {
      return "lock-and-fetch " + lower + "x/" + upper + "x, every " + interval.toMillis() + " ms";
    }
  }

  /**
   * The settings tried: the README's example (limits 0.5x/1x) at a 100 ms interval, and deeper
   * fetches (1x/4x: fewer polls per job) at a 10 ms interval (shorter idle gaps).
   */
  static final List<Polling> POLLINGS =
      List.of(
          new Polling(0.5, 1.0, POLLING_INTERVAL), new Polling(1.0, 4.0, Duration.ofMillis(10)));

  private DbSchedulerRun() {}

  /** Runs {@code jobs} no-op tasks with {@code workers} threads; returns the wall seconds. */
  static double run(String url, String user, int jobs, int workers) throws Exception {
    return run(url, user, jobs, workers, POLLINGS.get(0));
  }

  /** As {@link #run(String, String, int, int)}, polling as {@code polling} says. */
  static double run(String url, String user, int jobs, int workers, Polling polling)
      throws Exception {
    String schema = "dbscheduler_" + workers + "_" + System.nanoTime();
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      s.execute("SET search_path TO " + schema);
      s.execute(
          "CREATE TABLE scheduled_tasks (task_name text NOT NULL, task_instance text NOT NULL,"
              + " task_data bytea, execution_time timestamp with time zone NOT NULL,"
              + " picked boolean NOT NULL, picked_by text,"
              + " last_success timestamp with time zone, last_failure timestamp with time zone,"
              + " consecutive_failures int, last_heartbeat timestamp with time zone,"
              + " version bigint NOT NULL, priority smallint,"
              + " PRIMARY KEY (task_name, task_instance))");
      s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
      s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
      s.execute(
          "CREATE INDEX priority_execution_time_idx ON scheduled_tasks"
              + " (priority DESC, execution_time ASC)");
    }
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url + "?currentSchema=" + schema);
    pool.setUsername(user);
    pool.setMaximumPoolSize(workers * 2 + 4); // executors, enqueuers, the scheduler's own threads
    try (HikariDataSource dataSource = new HikariDataSource(pool)) {
      CountDownLatch ran = new CountDownLatch(jobs);
      OneTimeTask<Void> noOp =
          Tasks.oneTime("no-op").execute((instance, context) -> ran.countDown());
      Scheduler scheduler =
          Scheduler.create(dataSource, noOp)
              .threads(workers)
              .pollingInterval(polling.interval())
              .pollUsingLockAndFetch(polling.lower(), polling.upper())
              .build();
      SchedulerClient client = SchedulerClient.Builder.create(dataSource, noOp).build();
      try {
        long start = System.nanoTime();
        Parallel.run(
            workers,
            w -> {
              for (int i = w; i < jobs; i += workers) {
                client.scheduleIfNotExists(noOp.instance("job-" + i), Instant.now());
              }
            });
        scheduler.start();
        if (!ran.await(10, TimeUnit.MINUTES)) {
          throw new IllegalStateException("db-scheduler ran " + (jobs - ran.getCount()) + " jobs");
        }
        // A one-time task is done once its row is gone, as ours is once completed.
        while (remaining(dataSource) > 0) {
          LockSupport.parkNanos(1_000_000);
        }
        return (System.nanoTime() - start) / 1e9;
      } finally {
        scheduler.stop();
      }
    }
  }

  private static long remaining(HikariDataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM scheduled_tasks")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
