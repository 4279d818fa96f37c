package dev.overnight.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.fakes.SmallDisk;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database on a disk that fills up while it is open (a 2 MiB tmpfs of the test's own): every
 * call fails, saying the disk is full, instead of wedging the store for good; once space is freed
 * the same open store carries on, and other processes can open (and migrate) the file again.
 */
class DiskFullTest {
  private static final Duration LEASE = Duration.ofMinutes(5);

  @TempDir Path dir;
  SmallDisk disk;
  Path file;

  @BeforeEach
  void mountASmallDisk() {
    disk = SmallDisk.mount(dir.resolve("disk"), 2 * 1024 * 1024);
    file = disk.root().resolve("overnight.db");
  }

  @AfterEach
  void unmount() {
    disk.close();
  }

  @Test
  void everyCallOnAFullDiskSaysSoAndTheStoreCarriesOnOnceSpaceIsFreed() throws Exception {
    try (SqliteStore store = SqliteStore.open(file)) {
      SqliteTaskQueue queue = store.taskQueue();
      queue.enqueue(TaskSpec.builder("first").build());
      queue.enqueue(TaskSpec.builder("second").build());
      Task running = queue.claimNext("w", LEASE).orElseThrow();

      disk.fill();
      // Big enough to need new pages whatever SQLite had spare.
      TaskSpec big = TaskSpec.builder("x".repeat(TaskSpec.MAX_PROMPT_LENGTH)).title("big").build();
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> queue.enqueue(big))
            .isInstanceOf(TaskQueueException.class)
            .hasMessageContaining(file.toString())
            .hasMessageContaining("the disk is full")
            .hasMessageContaining("Nothing was written");
      }

      disk.free();
      assertThat(queue.enqueue(big).created()).isTrue();
      queue.heartbeat(running.id(), "w", LEASE);
      queue.complete(running.id(), "w", "done", Map.of());
      store
          .schedulerStateStore()
          .record(
              new CycleRecord(
                  "c1",
                  "nightly",
                  Instant.EPOCH,
                  Optional.of(Instant.EPOCH),
                  Optional.of(Instant.EPOCH),
                  CycleOutcome.COMPLETED,
                  Optional.empty(),
                  List.of(),
                  false));
      assertThat(queue.list(TaskFilter.all()).items())
          .extracting(Task::title, Task::status)
          .containsExactlyInAnyOrder(
              tuple("first", TaskStatus.COMPLETED),
              tuple("second", TaskStatus.PENDING),
              tuple("big", TaskStatus.PENDING));
    }
    assertThat(integrityCheck()).isEqualTo("ok");
  }

  @Test
  void aFullDiskLeavesNoTransactionOpenSoAnotherProcessCanOpenTheFile() throws Exception {
    try (SqliteStore store = SqliteStore.open(file)) {
      SqliteTaskQueue queue = store.taskQueue();
      queue.enqueue(TaskSpec.builder("running").build());
      Task running = queue.claimNext("w", LEASE).orElseThrow();

      disk.fill();
      TaskSpec big = TaskSpec.builder("x".repeat(TaskSpec.MAX_PROMPT_LENGTH)).title("big").build();
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> queue.enqueue(big)).isInstanceOf(TaskQueueException.class);
        assertThatThrownBy(() -> queue.fail(running.id(), "w", "x".repeat(200_000), Retry.NEVER))
            .isInstanceOf(TaskQueueException.class);
      }
      disk.free();

      // What the command line does beside a running daemon: open the file, migrations included,
      // which takes the write lock.
      try (SqliteStore other =
          SqliteStore.builder(file).busyTimeout(Duration.ofMillis(500)).build()) {
        assertThat(other.taskQueue().get(running.id()).orElseThrow().status())
            .isEqualTo(TaskStatus.IN_PROGRESS);
        other.taskQueue().enqueue(TaskSpec.builder("from the command line").build());
      }
      assertThat(queue.list(TaskFilter.all()).total()).isEqualTo(2);
    }
  }

  @Test
  void openingAFileOnAFullDiskSaysTheDiskIsFull() throws Exception {
    try (SqliteStore store = SqliteStore.open(file)) {
      store.taskQueue().enqueue(TaskSpec.builder("kept").build());
    }
    disk.fill();

    assertThatThrownBy(() -> SqliteStore.open(file))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("the disk is full")
        .hasMessageContaining("Free some space");

    disk.free();
    try (SqliteStore store = SqliteStore.open(file)) {
      assertThat(store.taskQueue().list(TaskFilter.all()).total()).isEqualTo(1);
    }
  }

  private String integrityCheck() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
