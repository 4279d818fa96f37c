package dev.overnight.postgres;

import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.testing.WorkerRegistryCompatibilityKit;
import org.junit.jupiter.api.AfterEach;

/** The worker registry contract on a real PostgreSQL server, one fresh schema per test. */
class PostgresWorkerRegistryCompatibilityTest extends WorkerRegistryCompatibilityKit {

  private PostgresStore store;

  @Override
  protected WorkerRegistry createRegistry() {
    store = TestDatabase.freshStore().build();
    return store.workers();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }
}
