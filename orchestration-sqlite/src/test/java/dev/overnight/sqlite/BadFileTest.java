package dev.overnight.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.sqlite.internal.Migrator;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files Overnight must not use: each is refused with a {@link TaskQueueException} that names the
 * file and says what is wrong, and nothing is written to it.
 */
class BadFileTest {

  @TempDir Path dir;

  @Test
  void aFileThatIsNotAnSqliteDatabaseIsRefusedUntouched() throws Exception {
    Path file = dir.resolve("notes.db");
    Files.writeString(file, "These are my notes, not a database.\n".repeat(200));
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> SqliteStore.open(file))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("is not an SQLite database")
        .hasMessageContaining("Nothing was written");

    assertUntouched(file, before);
  }

  @Test
  void aCorruptDatabaseIsRefusedAtOpenUntouched() throws Exception {
    Path file = databaseWithTasks("corrupt.db", 400);
    scribble(file, 3 * 4096L, 2 * 4096);
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> SqliteStore.open(file))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("is corrupt")
        .hasMessageContaining("Nothing was written");

    assertUntouched(file, before);
  }

  @Test
  void aDatabaseWithAMangledSchemaIsRefused() throws Exception {
    Path file = databaseWithTasks("mangled.db", 10);
    scribble(file, 100, 3_000); // page 1: past the 100-byte header, into the schema table
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> SqliteStore.builder(file).verifyIntegrityOnOpen(false).build())
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("corrupt");

    assertUntouched(file, before);
  }

  @Test
  void corruptionFoundLaterFailsTheOperationNamingTheFileAndWritesNothing() throws Exception {
    Path file = databaseWithTasks("late.db", 400);
    scribble(file, 3 * 4096L, 2 * 4096);
    byte[] before = Files.readAllBytes(file);

    try (SqliteTaskQueue queue =
        SqliteTaskQueue.builder(file).verifyIntegrityOnOpen(false).build()) {
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 400; i++) {
                  queue.claimNext("w", Duration.ofMinutes(1));
                }
                queue.list(TaskFilter.all().page(0, 1000));
              })
          .isInstanceOf(TaskQueueException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("corrupt");
    }

    // The failed transactions were rolled back: the pages SQLite could read are as they were.
    assertThat(Files.size(file)).isEqualTo(before.length);
  }

  @Test
  void aReadOnlyDatabaseIsRefusedUntouched() throws Exception {
    Path file = databaseWithTasks("readonly.db", 5);
    byte[] before = Files.readAllBytes(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
    try {
      assertThatThrownBy(() -> SqliteStore.open(file))
          .isInstanceOf(TaskQueueException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("is read-only")
          .hasMessageContaining("r--r--r--")
          .hasMessageContaining("Nothing was written");
      assertUntouched(file, before);
    } finally {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  @Test
  void aDatabaseAnotherConnectionHoldsExclusivelyIsRefusedAfterTheBusyTimeout() throws Exception {
    Path file = databaseWithTasks("locked.db", 5);
    try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = holder.createStatement()) {
      s.execute("PRAGMA locking_mode = EXCLUSIVE");
      s.execute("BEGIN EXCLUSIVE");
      s.executeUpdate("UPDATE tasks SET title = title");

      assertThatThrownBy(
              () -> SqliteStore.builder(file).busyTimeout(Duration.ofMillis(200)).build())
          .isInstanceOf(TaskQueueException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("is locked by another connection or process")
          .hasMessageContaining("200 ms")
          .hasMessageContaining("Nothing was written");

      s.execute("ROLLBACK");
    }
    try (SqliteStore store = SqliteStore.open(file)) {
      assertThat(store.taskQueue().list(TaskFilter.all()).total()).isEqualTo(5);
    }
  }

  @Test
  void aWriteLockHeldElsewhereFailsAnEnqueueClearlyAndWritesNothing() throws Exception {
    Path file = dir.resolve("busy.db");
    try (SqliteTaskQueue queue =
            SqliteTaskQueue.builder(file).busyTimeout(Duration.ofMillis(200)).build();
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = other.createStatement()) {
      s.execute("BEGIN IMMEDIATE");

      assertThatThrownBy(() -> queue.enqueue(TaskSpec.builder("blocked").build()))
          .isInstanceOf(TaskQueueException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("is locked")
          .hasMessageContaining("Nothing was written");
      // Readers are not blocked by a writer in WAL mode.
      assertThat(queue.list(TaskFilter.all()).total()).isZero();

      s.execute("ROLLBACK");
      assertThat(queue.enqueue(TaskSpec.builder("blocked").build()).created()).isTrue();
      assertThat(queue.list(TaskFilter.all()).total()).isEqualTo(1);
    }
  }

  @Test
  void aDatabaseFromANewerOvernightIsRefusedUntouched() throws Exception {
    Path file = databaseWithTasks("newer.db", 3);
    sql(file, "PRAGMA user_version = 99");
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> SqliteStore.open(file))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("schema version 99")
        .hasMessageContaining(
            "newer than the newest this Overnight knows (" + Migrator.LATEST + ")")
        .hasMessageContaining("Nothing was written");

    assertUntouched(file, before);
  }

  @Test
  void anotherApplicationsDatabaseIsRefusedUntouched() throws Exception {
    Path file = dir.resolve("other-app.db");
    sql(file, "CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)");
    sql(file, "PRAGMA application_id = 12345");
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> SqliteStore.open(file))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("belongs to another application");

    assertUntouched(file, before);
  }

  @Test
  void aDatabaseOvernightDidNotCreateIsRefusedUntouched() throws Exception {
    Path file = dir.resolve("someone-elses.db");
    sql(file, "CREATE TABLE tasks (id INTEGER PRIMARY KEY, what TEXT)");
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> SqliteStore.open(file))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("was not created by Overnight")
        .hasMessageContaining("[tasks]");

    assertUntouched(file, before);
  }

  @Test
  void aFolderIsNotADatabase() {
    assertThatThrownBy(() -> SqliteStore.open(dir))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("is a folder");
  }

  @Test
  void anEmptyFileBecomesANewDatabase() throws Exception {
    Path file = Files.createFile(dir.resolve("empty.db"));
    try (SqliteStore store = SqliteStore.open(file)) {
      assertThat(store.schemaVersion()).isEqualTo(Migrator.LATEST);
    }
  }

  private Path databaseWithTasks(String name, int tasks) {
    Path file = dir.resolve(name);
    try (SqliteTaskQueue queue = SqliteTaskQueue.builder(file).build()) {
      queue.enqueueAll(
          IntStream.range(0, tasks)
              .mapToObj(i -> TaskSpec.builder("task " + i + " " + "x".repeat(200)).build())
              .toList());
    }
    return file;
  }

  private static void scribble(Path file, long offset, int length) throws IOException {
    byte[] junk = "garbage!".repeat(length / 8 + 1).getBytes(StandardCharsets.US_ASCII);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.write(junk, 0, length);
    }
  }

  private static void sql(Path file, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private void assertUntouched(Path file, byte[] before) throws IOException {
    assertThat(Files.readAllBytes(file)).as("the bytes of %s", file).isEqualTo(before);
    try (Stream<Path> siblings = Files.list(dir)) {
      List<String> names = siblings.map(p -> p.getFileName().toString()).toList();
      String name = file.getFileName().toString();
      assertThat(names)
          .as("files beside %s", file)
          .doesNotContain(name + "-wal", name + "-journal");
    }
  }
}
