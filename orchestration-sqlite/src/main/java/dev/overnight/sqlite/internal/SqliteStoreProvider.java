package dev.overnight.sqlite.internal;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.ProviderContext;
import dev.overnight.api.store.Store;
import dev.overnight.api.store.StoreProvider;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.secrets.PrivateFiles;
import dev.overnight.core.time.SystemTimeSource;
import dev.overnight.sqlite.SqliteStore;
import java.io.IOException;

/**
 * Opens the runtime's store as the SQLite file {@code overnight.db} in its state folder, with the
 * config's {@code max_attempts}, the runtime's clock for task times and history, and the machine's
 * real clock for leases: other processes on the file (the next daemon, after a crash) judge a lease
 * by their own clock, so a runtime on virtual time must not write leases in it. Found through
 * {@link java.util.ServiceLoader}: with {@code orchestration-sqlite} on the class path, a runtime
 * given no queue persists its queue here.
 */
public final class SqliteStoreProvider implements StoreProvider {
  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public SqliteStoreProvider() {}

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public Store open(ProviderContext context) {
    StatePaths paths = new StatePaths(context.stateDirectory());
    try {
      PrivateFiles.createDirectories(paths.root());
    } catch (IOException e) {
      throw new OrchestrationException(
          "cannot create the state folder " + paths.root() + ": " + e.getMessage(), e);
    }
    return SqliteStore.builder(paths.database())
        .defaultMaxAttempts(context.config().maxAttempts())
        .clock(context.timeSource())
        .leaseClock(SystemTimeSource.shared())
        .build();
  }
}
