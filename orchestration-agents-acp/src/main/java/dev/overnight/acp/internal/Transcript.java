package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.core.secrets.PrivateFiles;
import dev.overnight.core.secrets.Redactor;
import dev.overnight.core.time.SystemTimeSource;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's record: every message in both directions, plus notes (permission decisions, turn
 * ends, process exit), one JSON object per line, secrets redacted.
 *
 * <p>Lines look like {@code {"at":"…","from":"agent","msg":{…}}}; {@code from} is {@code agent},
 * {@code client} or {@code overnight} (notes). The file is {@code <agent>-<session id>.jsonl} in
 * the transcript folder, appended to when a session is loaded again; lines written before the agent
 * named the session are held in memory until it does (or go to a {@code <agent>-startup-…jsonl}
 * file when start-up fails). Every line is flushed as it is written: the transcript is the record
 * of a night nobody watched. The folder and the files are created for their owner only ({@link
 * PrivateFiles}). Thread-safe.
 */
class Transcript implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Transcript.class);
  private static final int RAW_PREVIEW_CHARS = 4096;

  /** A transcript that records nothing. */
  static final Transcript NONE = new Transcript(null, "", SystemTimeSource.shared(), null);

  private final Path directory;
  private final String agentId;
  private final InstantSource clock;
  private final Redactor redactor;
  private final List<String> early = new ArrayList<>();
  private Writer writer;
  private Path file;
  private boolean closed;

  Transcript(Path directory, String agentId, InstantSource clock, Redactor redactor) {
    this.directory = directory;
    this.agentId = agentId;
    this.clock = clock;
    this.redactor = redactor;
  }

  /** The file written to, once the session is named. */
  synchronized Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  void client(byte[] bytes, int offset, int length) {
    if (directory != null) {
      record("client", new String(bytes, offset, length, StandardCharsets.UTF_8));
    }
  }

  void agent(byte[] bytes, int offset, int length) {
    if (directory != null) {
      record("agent", new String(bytes, offset, length, StandardCharsets.UTF_8));
    }
  }

  /**
   * A line from the agent that is not JSON: kept as a string preview with its size, redacted as
   * every other line (an agent's debug print may hold its key).
   */
  void agentRaw(byte[] bytes, int offset, int length) {
    if (directory != null) {
      String text =
          new String(
              bytes, offset, Math.min(length, RAW_PREVIEW_CHARS * 4), StandardCharsets.UTF_8);
      ObjectNode raw = Json.object();
      raw.put("raw", Json.preview(text, RAW_PREVIEW_CHARS));
      raw.put("bytes", length);
      record("agent", raw.toString());
    }
  }

  /** A new note of {@code event}, for the caller to add its fields to and pass to {@link #note}. */
  static ObjectNode noteOf(String event) {
    ObjectNode note = Json.object();
    note.put("event", event);
    return note;
  }

  /** A note from Overnight: a decision, an outcome, an exit. */
  void note(ObjectNode note) {
    if (directory != null) {
      record("overnight", note.toString());
    }
  }

  /** The agent named the session: from now on lines go to its file. */
  synchronized void sessionStarted(String sessionId) {
    if (directory == null || closed || writer != null) {
      return;
    }
    open(agentId + "-" + sanitize(sessionId) + ".jsonl");
  }

  /** Start-up failed before the session was named: what was seen goes to a file of its own. */
  synchronized void startupFailed() {
    if (directory == null || closed || writer != null || early.isEmpty()) {
      return;
    }
    String stamp = clock.instant().toString().replace(":", "").replace("-", "");
    String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    open(agentId + "-startup-" + stamp + "-" + suffix + ".jsonl");
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    if (writer == null && !early.isEmpty()) {
      startupFailed();
    }
    closed = true;
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException e) {
        LOG.warn("Closing the transcript {} failed: {}", file, e.toString());
      }
    }
  }

  private void record(String from, String json) {
    String body = redactor.redact(json);
    String line =
        "{\"at\":\"" + clock.instant() + "\",\"from\":\"" + from + "\",\"msg\":" + body + "}\n";
    synchronized (this) {
      if (closed) {
        return;
      }
      if (writer == null) {
        early.add(line);
        return;
      }
      write(line);
    }
  }

  private void open(String name) {
    try {
      PrivateFiles.createDirectories(directory);
      file = directory.resolve(name);
      // Owner-only: what the agent read, ran and said is the user's alone.
      PrivateFiles.createFile(file);
      writer =
          Files.newBufferedWriter(
              file,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE);
      for (String line : early) {
        writer.write(line);
      }
      early.clear();
      writer.flush();
    } catch (IOException e) {
      LOG.warn("Cannot write the transcript to {}: {}", directory, e.toString());
      closed = true;
    }
  }

  private void write(String line) {
    try {
      writer.write(line);
      writer.flush();
    } catch (IOException e) {
      LOG.warn("Writing the transcript {} failed; it stops here: {}", file, e.toString());
      closed = true;
    }
  }

  private static String sanitize(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
