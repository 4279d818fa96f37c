package dev.overnight.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.store.StoreLostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database file deleted or replaced under an open store: the store notices at its next
 * transaction and stops, rather than writing on into a file no one else sees while new work lands
 * in the new one.
 */
class LostFileTest {
  @TempDir Path dir;

  @Test
  void aDeletedFileStopsTheStoreAndIsNotRecreated() throws Exception {
    Path file = dir.resolve("overnight.db");
    try (SqliteStore store = SqliteStore.open(file)) {
      SqliteTaskQueue queue = store.taskQueue();
      queue.enqueue(TaskSpec.builder("before").build());
      Task running = queue.claimNext("w", Duration.ofMinutes(5)).orElseThrow();

      deleteWithSiblings(file);

      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> queue.enqueue(TaskSpec.builder("after").build()))
            .isInstanceOf(StoreLostException.class)
            .hasMessageContaining(file.toString())
            .hasMessageContaining("it was deleted or moved away")
            .hasMessageContaining("restart Overnight");
      }
      assertThatThrownBy(() -> queue.complete(running.id(), "w", "done", Map.of()))
          .isInstanceOf(StoreLostException.class);
      assertThatThrownBy(() -> store.schedulerStateStore().recentCycles("nightly", 10))
          .isInstanceOf(StoreLostException.class);
      assertThat(file).doesNotExist();
    }
    assertThat(file).doesNotExist();
  }

  @Test
  void aReplacedFileStopsTheStoreAndTheNewFileIsLeftAsItIs() throws Exception {
    Path file = dir.resolve("overnight.db");
    Path restored = dir.resolve("backup/overnight.db");
    try (SqliteStore backup = SqliteStore.open(restored)) {
      backup.taskQueue().enqueue(TaskSpec.builder("from the backup").build());
    }
    try (SqliteStore store = SqliteStore.open(file)) {
      SqliteTaskQueue queue = store.taskQueue();
      queue.enqueue(TaskSpec.builder("before").build());

      deleteWithSiblings(file);
      Files.move(restored, file, StandardCopyOption.ATOMIC_MOVE);

      assertThatThrownBy(() -> queue.list(TaskFilter.all()))
          .isInstanceOf(StoreLostException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("it was replaced by another file");
      assertThatThrownBy(() -> queue.enqueue(TaskSpec.builder("after").build()))
          .isInstanceOf(StoreLostException.class);
    }
    // A restart opens the file that is there now, untouched by the store that lost its own.
    try (SqliteStore store = SqliteStore.open(file)) {
      assertThat(store.taskQueue().list(TaskFilter.all()).items())
          .extracting(Task::title)
          .containsExactly("from the backup");
    }
  }

  private static void deleteWithSiblings(Path file) throws Exception {
    try (Stream<Path> files = Files.list(file.getParent())) {
      for (Path p : files.toList()) {
        if (p.getFileName().toString().startsWith(file.getFileName().toString())) {
          Files.delete(p);
        }
      }
    }
  }
}
