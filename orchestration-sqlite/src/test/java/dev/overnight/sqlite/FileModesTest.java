package dev.overnight.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.store.Store;
import dev.overnight.fakes.ManualTimeSource;
import dev.overnight.sqlite.internal.SqliteStoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database holds every prompt, error and fact of the queue: its folder and its files (with
 * SQLite's -wal and -shm beside it) are for their owner only, whatever the umask.
 */
class FileModesTest {
  @TempDir Path dir;

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static Path sibling(Path db, String suffix) {
    return db.resolveSibling(db.getFileName() + suffix);
  }

  @Test
  void aNewStateFolderAndDatabaseWithItsWalAndShmAreTheOwnersOnly() throws Exception {
    Path state = dir.resolve("home/.local/state/overnight/nightly");
    OrchestrationConfig config = OrchestrationConfig.builder(ConfigValue.of("/repo")).build();
    ProviderContext context =
        ProviderContext.builder(config)
            .timeSource(new ManualTimeSource(Instant.parse("2026-11-25T01:00:00Z")))
            .stateDirectory(state)
            .build();

    try (Store store = new SqliteStoreProvider().open(context)) {
      store.taskQueue().enqueue(TaskSpec.builder("Use the key in .env").build());
      Path db = state.resolve("overnight.db");

      assertThat(mode(dir.resolve("home/.local"))).isEqualTo("rwx------");
      assertThat(mode(state)).isEqualTo("rwx------");
      assertThat(mode(db)).isEqualTo("rw-------");
      assertThat(sibling(db, "-wal")).exists();
      assertThat(mode(sibling(db, "-wal"))).isEqualTo("rw-------");
      assertThat(mode(sibling(db, "-shm"))).isEqualTo("rw-------");
    }
  }

  @Test
  void aDatabaseAnOlderOvernightLeftReadableByAllIsNarrowedToItsOwner() throws Exception {
    Path db = dir.resolve("overnight.db");
    try (SqliteStore store = SqliteStore.open(db)) {
      store.taskQueue().enqueue(TaskSpec.builder("First").build());
    }
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

    try (SqliteStore store = SqliteStore.open(db)) {
      store.taskQueue().enqueue(TaskSpec.builder("Second").build());

      assertThat(mode(db)).isEqualTo("rw-------");
      assertThat(mode(sibling(db, "-wal"))).isEqualTo("rw-------");
      assertThat(mode(sibling(db, "-shm"))).isEqualTo("rw-------");
    }
  }
}
