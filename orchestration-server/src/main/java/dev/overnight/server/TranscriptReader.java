package dev.overnight.server;

import dev.overnight.api.agent.SessionEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads one session transcript file back into the updates it records, oldest first, as {@code
 * dev.overnight.acp.AcpTranscripts::read} does for the transcripts Overnight's ACP client writes. A
 * dashboard over a state folder uses it to show the night's sessions when no daemon streams them.
 *
 * <p>Implementations are thread-safe and may block on file I/O.
 */
@FunctionalInterface
public interface TranscriptReader {
  /**
   * The updates in {@code file}; a line that is not an update is skipped.
   *
   * @throws IOException if the file cannot be read
   */
  List<SessionEvent> read(Path file) throws IOException;
}
