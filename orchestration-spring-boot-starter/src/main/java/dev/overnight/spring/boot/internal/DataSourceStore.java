package dev.overnight.spring.boot.internal;

import dev.overnight.api.TimeSource;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.store.Store;
import dev.overnight.core.time.SystemTimeSource;
import dev.overnight.postgres.PostgresStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Overnight's store in the application's own PostgreSQL database, through its {@link DataSource}:
 * opened only when the config names no store of its own and the DataSource's database is
 * PostgreSQL; otherwise the runtime keeps its default (the SQLite file in the state folder). Task
 * times run on the runtime's clock, leases on the machine's real clock, as the store provider does.
 *
 * <p>Owns the store it opened: {@link #close()} closes it, after the runtime that used it.
 * Thread-safe.
 */
public final class DataSourceStore implements ApplicationStore {
  private static final Logger LOG = LoggerFactory.getLogger(DataSourceStore.class);

  private final Optional<PostgresStore> store;

  private DataSourceStore(Optional<PostgresStore> store) {
    this.store = store;
  }

  /** A holder of no store: the runtime opens its default. */
  public static DataSourceStore none() {
    return new DataSourceStore(Optional.empty());
  }

  /**
   * Opens the store on {@code dataSource} if it is right for {@code config}.
   *
   * @param time the runtime's clock, if the application gives one
   * @throws dev.overnight.api.queue.TaskQueueException if the database is PostgreSQL but cannot
   *     hold Overnight's schema
   */
  public static DataSourceStore open(
      DataSource dataSource, OrchestrationConfig config, Optional<TimeSource> time) {
    if (config.store().isPresent()) {
      LOG.info(
          "Overnight keeps its queue in the {} store its config names, not in the application's"
              + " DataSource",
          config.store().get().kind());
      return none();
    }
    String product = product(dataSource);
    if (!product.equals("PostgreSQL")) {
      LOG.info(
          "The application's DataSource is {}, not PostgreSQL: Overnight keeps its queue in its"
              + " default store",
          product);
      return none();
    }
    PostgresStore store =
        PostgresStore.builder(dataSource)
            .defaultMaxAttempts(config.maxAttempts())
            .clock(time.<java.time.InstantSource>map(t -> t).orElse(SystemTimeSource.shared()))
            .leaseClock(SystemTimeSource.shared())
            .build();
    LOG.info("Overnight keeps its queue in the application's PostgreSQL DataSource");
    return new DataSourceStore(Optional.of(store));
  }

  private static String product(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return c.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      throw new dev.overnight.api.queue.TaskQueueException(
          "Cannot read which database the application's DataSource is: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Store> store() {
    return store.map(s -> s);
  }

  @Override
  public void close() {
    store.ifPresent(PostgresStore::close);
  }
}
