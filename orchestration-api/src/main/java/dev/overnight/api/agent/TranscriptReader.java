package dev.overnight.api.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a session transcript, as an agent client writes them in the state folder's {@code
 * transcripts/}, back into the updates it records: what a dashboard shows of a night that no daemon
 * streams. ServiceLoader SPI; Overnight's ACP module provides one for the transcripts its client
 * writes, and the runtime's discovery gives each file to the first reader that {@link #understands}
 * it.
 *
 * <p>Implementations have a public no-argument constructor and are thread-safe; {@link #read}
 * blocks on file I/O.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TranscriptReader {

  /**
   * The updates {@code file} records, oldest first, numbered from 1. A line that is not an update
   * is skipped, so a transcript cut short by a crash reads up to where it ends.
   *
   * @throws IOException if the file cannot be read
   */
  List<SessionEvent> read(Path file) throws IOException;

  /**
   * Whether {@code file} is a transcript this reader reads, judged without reading it. Default:
   * every file; a reader of one format among others narrows it. Never throws.
   */
  default boolean understands(Path file) {
    return true;
  }
}
