package dev.overnight.postgres;

import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.testing.SchedulerStateStoreCompatibilityKit;
import org.junit.jupiter.api.AfterEach;

/** The scheduler state contract on a real PostgreSQL server, one fresh schema per test. */
class PostgresSchedulerStateStoreCompatibilityTest extends SchedulerStateStoreCompatibilityKit {

  private PostgresStore store;

  @Override
  protected SchedulerStateStore createStore() {
    store = TestDatabase.freshStore().build();
    return store.schedulerStateStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }
}
