package dev.overnight.acp;

import dev.overnight.acp.internal.TranscriptUpdates;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.TranscriptReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads back the transcripts Overnight's ACP client writes (one {@code <agent>-<session id>.jsonl}
 * file per session in the state folder's {@code transcripts/}): the updates the agent sent, parsed
 * as the live session parsed them. Found by the runtime's discovery; what a dashboard shows of a
 * night when no daemon is there to stream it.
 *
 * <p>Stateless and thread-safe; {@link #read} blocks on file I/O.
 *
 * @since 0.1.0
 */
public final class AcpTranscripts implements TranscriptReader {

  /** The reader; it holds nothing. */
  public AcpTranscripts() {}

  /**
   * The updates the agent sent in the session the transcript records, oldest first, numbered from
   * 1. Lines that are not the agent's updates (the client's messages, Overnight's notes) are
   * skipped, and so is a last line a crash cut short.
   *
   * @throws IOException if the file cannot be read
   */
  @Override
  public List<SessionEvent> read(Path transcript) throws IOException {
    return TranscriptUpdates.read(transcript);
  }

  /** The client's transcripts are JSON Lines files. */
  @Override
  public boolean understands(Path file) {
    return file.getFileName() != null && file.getFileName().toString().endsWith(".jsonl");
  }
}
