package dev.overnight.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration.JobRunrConfigurationResult;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.sqlite.SqLiteStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * JobRunr (open source) on its SQLite storage, set up as its documentation shows (a HikariCP pool
 * on the file) with the queue's settings (WAL, synchronous=NORMAL, busy timeout 5 s): enqueue no-op
 * jobs one at a time, then let its background server process them.
 *
 * <p>JobRunr's server polls the store; it refuses a poll interval under 5 s on SQL stores, and
 * fetches about as many jobs per poll as it has free workers, so its throughput grows with the
 * worker count. The benchmark gives it the shortest interval allowed and 256 workers, the best of
 * the counts tried on this machine (its default is 8 per core).
 */
final class JobRunrRun {

  static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
  static final int WORKERS = 256;

  private JobRunrRun() {}

  /** A job that does nothing. */
  public static final class NoOp implements JobRequest {
    /** Which job, so that no two are equal. */
    public int number;

    /** For Jackson. */
    public NoOp() {}

    NoOp(int number) {
      this.number = number;
    }

    @Override
    public Class<NoOpHandler> getJobRequestHandler() {
      return NoOpHandler.class;
    }
  }

  /** Runs {@link NoOp}: nothing. */
  public static final class NoOpHandler implements JobRequestHandler<NoOp> {
    /** For JobRunr's activator. */
    public NoOpHandler() {}

    @Override
    public void run(NoOp request) {
      // a no-op job
    }
  }

  /** Figures of one run. */
  record Figures(int jobs, double seconds, double enqueueSeconds, int workers) {
    double jobsPerSecond() {
      return jobs / seconds;
    }

    double enqueuePerSecond() {
      return jobs / enqueueSeconds;
    }
  }

  static Figures run(Path file, int jobs) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(
        "jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000");
    try (HikariDataSource dataSource = new HikariDataSource(pool)) {
      StorageProvider storage = new SqLiteStorageProvider(dataSource);
      BackgroundJobServerConfiguration serverConfig =
          BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
              .andPollInterval(POLL_INTERVAL)
              .andWorkerCount(WORKERS);
      JobRunrConfigurationResult jobRunr =
          JobRunr.configure()
              // JobRunr's own mapper, configured for its job model: the peer runs as shipped.
              .useJsonMapper(new JacksonJsonMapper())
              .useStorageProvider(storage)
              .useBackgroundJobServer(serverConfig, false)
              .initialize();
      JobRequestScheduler scheduler = jobRunr.getJobRequestScheduler();
      BackgroundJobServer server = JobRunr.getBackgroundJobServer();
      try {
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
          scheduler.enqueue(new NoOp(i));
        }
        long enqueued = System.nanoTime();
        server.start();
        while (storage.getJobStats().getSucceeded() < jobs) {
          LockSupport.parkNanos(5_000_000);
        }
        long done = System.nanoTime();
        return new Figures(jobs, (done - start) / 1e9, (enqueued - start) / 1e9, WORKERS);
      } finally {
        JobRunr.destroy();
      }
    }
  }
}
