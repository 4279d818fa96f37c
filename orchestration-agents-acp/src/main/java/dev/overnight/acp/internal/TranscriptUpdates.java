package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.agent.SessionEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads back the session updates a {@link Transcript} recorded: every {@code session/update} the
 * agent sent, parsed as the live session parsed it. Lines that are not such an update (the client's
 * messages, Overnight's notes, non-JSON output, a line cut short by a crash) are skipped. Stateless
 * and thread-safe; blocks on file I/O.
 */
public final class TranscriptUpdates {
  private TranscriptUpdates() {}

  /**
   * The updates of the transcript {@code file}, oldest first, numbered from 1. The agent is the
   * file name's prefix before the session id ({@code <agent>-<session id>.jsonl}).
   *
   * @throws IOException if the file cannot be read
   */
  public static List<SessionEvent> read(Path file) throws IOException {
    String name = file.getFileName().toString();
    List<SessionEvent> events = new ArrayList<>();
    try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = lines.readLine()) != null) {
        update(line)
            .ifPresent(
                u ->
                    events.add(
                        new SessionEvent(
                            u.sessionId,
                            agentOf(name, u.sessionId),
                            Optional.empty(),
                            events.size() + 1L,
                            u.at,
                            UpdateParser.parse(u.update))));
      }
    }
    return events;
  }

  private record Update(String sessionId, Instant at, JsonNode update) {}

  private static Optional<Update> update(String line) {
    try {
      JsonNode n = Json.MAPPER.readTree(line);
      JsonNode msg = n.path("msg");
      JsonNode params = msg.path("params");
      if (!"agent".equals(n.path("from").asText())
          || !"session/update".equals(msg.path("method").asText())
          || !params.path("sessionId").isTextual()
          || !params.path("update").isObject()) {
        return Optional.empty();
      }
      return Optional.of(
          new Update(
              params.get("sessionId").asText(),
              Instant.parse(n.path("at").asText()),
              params.get("update")));
    } catch (IOException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** {@code claude-code} of {@code claude-code-abc123.jsonl} for session {@code abc123}. */
  private static String agentOf(String fileName, String sessionId) {
    String base =
        fileName.endsWith(".jsonl") ? fileName.substring(0, fileName.length() - 6) : fileName;
    String suffix = "-" + sessionId.replaceAll("[^A-Za-z0-9._-]", "_");
    if (base.endsWith(suffix) && base.length() > suffix.length()) {
      return base.substring(0, base.length() - suffix.length());
    }
    int dash = base.indexOf('-');
    return dash > 0 ? base.substring(0, dash) : base;
  }
}
