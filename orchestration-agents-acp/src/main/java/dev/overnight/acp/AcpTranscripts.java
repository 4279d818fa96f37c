package dev.overnight.acp;

import dev.overnight.acp.internal.TranscriptUpdates;
import dev.overnight.api.agent.SessionEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The sessions an ACP agent had, read back from the transcripts Overnight writes (one {@code
 * <agent>-<session id>.jsonl} file per session in the state folder's {@code transcripts/}): what a
 * dashboard shows of a night when no daemon is there to stream it.
 *
 * <p>Stateless and thread-safe; {@link #read} blocks on file I/O.
 */
public final class AcpTranscripts {
  private AcpTranscripts() {}

  /**
   * The updates the agent sent in the session one transcript file records, oldest first, numbered
   * from 1 and parsed as the live session parsed them. Lines that are not the agent's updates are
   * skipped, so a transcript cut short by a crash reads up to where it ends.
   *
   * @throws IOException if the file cannot be read
   */
  public static List<SessionEvent> read(Path transcript) throws IOException {
    return TranscriptUpdates.read(transcript);
  }
}
