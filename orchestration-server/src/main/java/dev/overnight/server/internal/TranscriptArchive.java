package dev.overnight.server.internal;

import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.TranscriptReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions recorded in a transcripts folder ({@code *.jsonl}, one file per session), read with
 * a {@link TranscriptReader}: the newest files it understands only, each read again only when it
 * changed.
 *
 * <p>Thread-safe (one lock, held while files are read); blocks on file I/O. A file that cannot be
 * read is left out.
 */
public final class TranscriptArchive {
  private static final Logger LOG = LoggerFactory.getLogger(TranscriptArchive.class);

  private final Path directory;
  private final TranscriptReader reader;
  private final int maxFiles;
  private final Map<Path, Read> cache = new HashMap<>();

  /**
   * An archive of {@code directory}, which need not exist yet.
   *
   * @param maxFiles how many of the most recently written transcripts are read
   */
  public TranscriptArchive(Path directory, TranscriptReader reader, int maxFiles) {
    this.directory = directory;
    this.reader = reader;
    this.maxFiles = maxFiles;
  }

  /** The recorded sessions, each its updates oldest first; the most recently active first. */
  public synchronized List<List<SessionEvent>> sessions() {
    Map<String, List<SessionEvent>> bySession = new LinkedHashMap<>();
    Map<Path, Read> seen = new HashMap<>();
    for (Path file : newestFiles()) {
      Read read = read(file);
      seen.put(file, read);
      for (SessionEvent e : read.events) {
        bySession.computeIfAbsent(e.sessionId(), id -> new ArrayList<>()).add(e);
      }
    }
    cache.keySet().retainAll(seen.keySet());
    return bySession.values().stream()
        .filter(events -> !events.isEmpty())
        .sorted(
            Comparator.comparing((List<SessionEvent> events) -> events.get(events.size() - 1).at())
                .reversed())
        .map(List::copyOf)
        .toList();
  }

  private List<Path> newestFiles() {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".jsonl") && Files.isRegularFile(f))
          .filter(reader::understands)
          .sorted(Comparator.comparing(TranscriptArchive::modified).reversed())
          .limit(maxFiles)
          .toList();
    } catch (IOException e) {
      LOG.debug("Cannot list the transcripts in {}: {}", directory, e.toString());
      return List.of();
    }
  }

  private Read read(Path file) {
    FileTime modified = modified(file);
    long size = size(file);
    Read cached = cache.get(file);
    if (cached != null && cached.modified.equals(modified) && cached.size == size) {
      return cached;
    }
    List<SessionEvent> events;
    try {
      events = List.copyOf(reader.read(file));
    } catch (IOException | RuntimeException e) {
      LOG.debug("Cannot read the transcript {}: {}", file, e.toString());
      events = List.of();
    }
    Read read = new Read(modified, size, events);
    cache.put(file, read);
    return read;
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  private record Read(FileTime modified, long size, List<SessionEvent> events) {}
}
