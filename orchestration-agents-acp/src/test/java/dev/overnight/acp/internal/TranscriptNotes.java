package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.core.secrets.Redactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real transcript in a test folder, and the notes Overnight wrote to it. */
final class TranscriptNotes {
  final Transcript transcript;
  private final Path directory;

  TranscriptNotes(Path directory, InstantSource clock) {
    this.directory = directory;
    this.transcript = new Transcript(directory, "agent", clock, Redactor.forEnvironment(Map.of()));
    transcript.sessionStarted("s1");
  }

  /** Every note written so far, of any event. */
  List<JsonNode> all() {
    List<JsonNode> notes = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(directory.resolve("agent-s1.jsonl"))) {
        JsonNode l = Json.MAPPER.readTree(line);
        if (l.path("from").asText().equals("overnight")) {
          notes.add(l.path("msg"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return notes;
  }

  /** The notes of one event. */
  List<JsonNode> of(String event) {
    List<JsonNode> notes = new ArrayList<>();
    for (JsonNode n : all()) {
      if (n.path("event").asText().equals(event)) {
        notes.add(n);
      }
    }
    return notes;
  }
}
