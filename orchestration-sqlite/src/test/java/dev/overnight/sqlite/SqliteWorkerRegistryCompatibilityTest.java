package dev.overnight.sqlite;

import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.testing.WorkerRegistryCompatibilityKit;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The worker registry contract on a real SQLite file. */
class SqliteWorkerRegistryCompatibilityTest extends WorkerRegistryCompatibilityKit {

  @TempDir Path dir;
  private SqliteStore sqlite;

  @Override
  protected WorkerRegistry createRegistry() {
    sqlite = SqliteStore.open(dir.resolve("state.db"));
    return sqlite.workers();
  }

  @AfterEach
  void closeStore() {
    sqlite.close();
  }
}
