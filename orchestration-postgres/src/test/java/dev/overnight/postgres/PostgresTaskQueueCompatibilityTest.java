package dev.overnight.postgres;

import dev.overnight.api.queue.TaskQueue;
import dev.overnight.fakes.ManualTimeSource;
import dev.overnight.testing.TaskQueueCompatibilityKit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The queue contract on a real PostgreSQL server, one fresh schema per queue. */
class PostgresTaskQueueCompatibilityTest extends TaskQueueCompatibilityKit {

  private final List<PostgresStore> stores = new ArrayList<>();

  @Override
  protected TaskQueue createQueue(ManualTimeSource clock, int defaultMaxAttempts) {
    PostgresStore store =
        TestDatabase.freshStore().clock(clock).defaultMaxAttempts(defaultMaxAttempts).build();
    stores.add(store);
    return store.taskQueue();
  }

  @AfterEach
  void closeStores() {
    stores.forEach(PostgresStore::close);
  }
}
