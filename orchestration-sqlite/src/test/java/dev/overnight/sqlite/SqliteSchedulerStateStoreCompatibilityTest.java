package dev.overnight.sqlite;

import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.testing.SchedulerStateStoreCompatibilityKit;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler state contract on a real SQLite file. */
class SqliteSchedulerStateStoreCompatibilityTest extends SchedulerStateStoreCompatibilityKit {

  @TempDir Path dir;
  private SqliteStore sqlite;

  @Override
  protected SchedulerStateStore createStore() {
    sqlite = SqliteStore.open(dir.resolve("state.db"));
    return sqlite.schedulerStateStore();
  }

  @AfterEach
  void closeStore() {
    sqlite.close();
  }
}
