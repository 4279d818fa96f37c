package dev.overnight.sqlite;

import dev.overnight.api.queue.TaskQueue;
import dev.overnight.fakes.ManualTimeSource;
import dev.overnight.testing.TaskQueueCompatibilityKit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The queue contract on a real SQLite file, one fresh file per queue. */
class SqliteTaskQueueCompatibilityTest extends TaskQueueCompatibilityKit {

  @TempDir Path dir;

  @Override
  protected TaskQueue createQueue(ManualTimeSource clock, int defaultMaxAttempts) {
    try {
      Path file = Files.createTempFile(dir, "queue-", ".db");
      Files.delete(file);
      return SqliteTaskQueue.builder(file)
          .clock(clock)
          .defaultMaxAttempts(defaultMaxAttempts)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
