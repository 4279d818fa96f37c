package dev.overnight.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.secrets.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code daemon.json} in the state folder: which configuration the folder belongs to (its id and
 * workspace), and, while a daemon runs, its pid and dashboard address — what {@code status}, {@code
 * serve} and {@code doctor} read.
 *
 * @param configId the configuration's id
 * @param workspace the configuration's workspace, if known
 * @param configFile the configuration file, if known
 * @param pid the daemon's pid
 * @param startedAt when it started
 * @param dashboard the dashboard's address (without the token), if served
 */
record DaemonInfo(
    String configId,
    Optional<String> workspace,
    Optional<String> configFile,
    long pid,
    Instant startedAt,
    Optional<String> dashboard) {
  static Path file(StatePaths paths) {
    return paths.daemonInfo();
  }

  void write(StatePaths paths) {
    ObjectNode n = OvernightJson.object();
    n.put("config_id", configId);
    workspace.ifPresent(w -> n.put("workspace_root", w));
    configFile.ifPresent(f -> n.put("config_file", f));
    n.put("pid", pid);
    n.put("started_at", startedAt.toString());
    dashboard.ifPresent(d -> n.put("dashboard", d));
    try {
      PrivateFiles.writeString(file(paths), OvernightJson.writePretty(n) + "\n");
    } catch (IOException e) {
      // Informational only: status falls back to what the database says.
    }
  }

  static Optional<DaemonInfo> read(StatePaths paths) {
    try {
      JsonNode n = OvernightJson.mapper().readTree(file(paths).toFile());
      return Optional.of(
          new DaemonInfo(
              n.path("config_id").asText(),
              Optional.ofNullable(n.get("workspace_root")).map(JsonNode::asText),
              Optional.ofNullable(n.get("config_file")).map(JsonNode::asText),
              n.path("pid").asLong(),
              Instant.parse(n.path("started_at").asText()),
              Optional.ofNullable(n.get("dashboard")).map(JsonNode::asText)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
