package dev.overnight.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.runtime.StatePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code serve.json} in the state folder while {@code overnight serve} shows it: the serving
 * process and its dashboard's address (without the token), which {@code status} prints. Serve
 * removes it when it stops; one left behind by a killed serve names a dead process and is ignored.
 *
 * @param pid the serving process
 * @param startedAt when it started serving
 * @param dashboard the dashboard's address
 */
record ServeInfo(long pid, Instant startedAt, String dashboard) {
  static Path file(StatePaths paths) {
    return paths.root().resolve("serve.json");
  }

  /** Writes the file; a folder that cannot take it only costs {@code status} the address. */
  void write(StatePaths paths) {
    ObjectNode n = OvernightJson.object();
    n.put("pid", pid);
    n.put("started_at", startedAt.toString());
    n.put("dashboard", dashboard);
    try {
      Files.writeString(file(paths), OvernightJson.writePretty(n) + "\n");
    } catch (IOException e) {
      // Informational only.
    }
  }

  /** Removes the file if it is still this process's (another serve may have started since). */
  void remove(StatePaths paths) {
    if (read(paths).filter(this::equals).isPresent()) {
      try {
        Files.deleteIfExists(file(paths));
      } catch (IOException e) {
        // A stale file names a dead process: readers ignore it.
      }
    }
  }

  /** The serve showing the folder now, if one does. */
  static Optional<ServeInfo> running(StatePaths paths) {
    return read(paths)
        .filter(s -> ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false));
  }

  private static Optional<ServeInfo> read(StatePaths paths) {
    try {
      JsonNode n = OvernightJson.mapper().readTree(file(paths).toFile());
      return Optional.of(
          new ServeInfo(
              n.path("pid").asLong(),
              Instant.parse(n.path("started_at").asText()),
              n.path("dashboard").asText()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
