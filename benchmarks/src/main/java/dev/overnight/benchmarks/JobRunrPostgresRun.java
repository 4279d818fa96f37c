package dev.overnight.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.locks.LockSupport;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration.JobRunrConfigurationResult;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * JobRunr 8.3.1 (open source) on the fleet benchmark's PostgreSQL, in a schema of its own that its
 * {@link PostgresStorageProvider} fills with its tables (one schema for every run: JobRunr looks
 * its tables up by name in any schema, so a second one would confuse it), on a HikariCP pool as its
 * documentation shows: as many workers as the benchmark has, and the shortest poll interval it
 * accepts on a SQL store ({@link JobRunrRun#POLL_INTERVAL}). The benchmark's threads enqueue no-op
 * jobs ({@link JobRunrRun.NoOp}), then its background server processes them; a job is done when
 * JobRunr counts it succeeded.
 */
final class JobRunrPostgresRun {

  private JobRunrPostgresRun() {}

  /** Runs {@code jobs} no-op jobs with {@code workers} workers; returns the wall seconds. */
  static double run(String url, String user, int jobs, int workers) throws Exception {
    String schema = "jobrunr";
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    }
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url + "?currentSchema=" + schema);
    pool.setUsername(user);
    pool.setMaximumPoolSize(workers * 2 + 4); // workers, enqueuers, JobRunr's own threads
    try (HikariDataSource dataSource = new HikariDataSource(pool)) {
      StorageProvider storage = new PostgresStorageProvider(dataSource);
      BackgroundJobServerConfiguration serverConfig =
          BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
              .andPollInterval(JobRunrRun.POLL_INTERVAL)
              .andWorkerCount(workers);
      JobRunrConfigurationResult jobRunr =
          JobRunr.configure()
              .useJsonMapper(new JacksonJsonMapper())
              .useStorageProvider(storage)
              .useBackgroundJobServer(serverConfig, false)
              .initialize();
      JobRequestScheduler scheduler = jobRunr.getJobRequestScheduler();
      BackgroundJobServer server = JobRunr.getBackgroundJobServer();
      try {
        long before = storage.getJobStats().getSucceeded();
        long start = System.nanoTime();
        Parallel.run(
            workers,
            w -> {
              for (int i = w; i < jobs; i += workers) {
                scheduler.enqueue(new JobRunrRun.NoOp(i));
              }
            });
        server.start();
        while (storage.getJobStats().getSucceeded() - before < jobs) {
          LockSupport.parkNanos(5_000_000);
        }
        return (System.nanoTime() - start) / 1e9;
      } finally {
        JobRunr.destroy();
      }
    }
  }
}
