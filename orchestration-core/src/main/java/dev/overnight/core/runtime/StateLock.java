package dev.overnight.core.runtime;

import dev.overnight.api.OrchestrationException;
import dev.overnight.core.process.ProcessIdentity;
import dev.overnight.core.secrets.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Keeps a second daemon off a state folder: an exclusive lock on {@code daemon.lock}, with the
 * holder written inside — its pid on the first line (so a refusal can name it), then when it
 * started and the worker id its tasks are claimed under.
 *
 * <p>The operating system releases the lock when the process dies, however it dies, so a crashed
 * daemon never leaves the folder locked; and what it wrote tells the next holder whose tasks and
 * agents it left behind ({@link #previousHolder()}). Thread-safe; {@link #close()} is idempotent.
 *
 * @since 0.1.0
 */
public final class StateLock implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final Optional<Holder> previous;

  private StateLock(Path file, FileChannel channel, FileLock lock, Optional<Holder> previous) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.previous = previous;
  }

  /**
   * Who held a state folder.
   *
   * @param process the holding process
   * @param workerId the worker id its tasks were claimed under, when it wrote one
   */
  public record Holder(ProcessIdentity process, Optional<String> workerId) {
    /** Validates the components. */
    public Holder {
      Objects.requireNonNull(process, "process");
      Objects.requireNonNull(workerId, "workerId");
    }

    /** The worker id: the one written, else {@code overnight-PID}, Overnight's default. */
    public String worker() {
      return workerId.orElse("overnight-" + process.pid());
    }

    String write() {
      return process.pid()
          + "\n"
          + process.started().map(s -> "started=" + s + "\n").orElse("")
          + workerId.map(w -> "worker=" + w + "\n").orElse("");
    }

    static Optional<Holder> parse(String text) {
      String[] lines = text.strip().split("\n");
      long pid;
      try {
        pid = Long.parseLong(lines[0].strip());
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      if (pid <= 0) {
        return Optional.empty();
      }
      Optional<Instant> started = Optional.empty();
      Optional<String> worker = Optional.empty();
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i].strip();
        try {
          if (line.startsWith("started=")) {
            started = Optional.of(Instant.parse(line.substring("started=".length())));
          }
        } catch (DateTimeParseException e) {
          // Unknown start: the holder counts as alive while its pid is, which is the safe side.
        }
        if (line.startsWith("worker=") && line.length() > "worker=".length()) {
          worker = Optional.of(line.substring("worker=".length()));
        }
      }
      return Optional.of(new Holder(new ProcessIdentity(pid, started), worker));
    }
  }

  /**
   * Takes the folder's lock, recording this process under {@code overnight-PID}.
   *
   * @throws StateInUseException if another process holds it
   * @throws OrchestrationException if the folder cannot be created or the file written
   */
  public static StateLock acquire(StatePaths paths) {
    return acquire(paths, "overnight-" + ProcessHandle.current().pid());
  }

  /**
   * Takes the folder's lock, recording this process and the worker id its tasks are claimed under.
   *
   * @throws StateInUseException if another process holds it
   * @throws OrchestrationException if the folder cannot be created or the file written
   */
  public static StateLock acquire(StatePaths paths, String workerId) {
    Path file = paths.daemonLock();
    try {
      PrivateFiles.createFile(file);
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        OptionalLong pid = holder(channel);
        channel.close();
        throw new StateInUseException(
            "the state folder "
                + paths.root()
                + " is in use by another Overnight"
                + pid.stream().mapToObj(p -> " (pid " + p + ")").findFirst().orElse("")
                + "; stop it first, or use another --state-dir",
            pid);
      }
      Optional<Holder> previous = Holder.parse(read(channel));
      Holder me = new Holder(ProcessIdentity.current(), Optional.of(workerId));
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(me.write().getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      return new StateLock(file, channel, lock, previous);
    } catch (IOException e) {
      throw new OrchestrationException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  /** The pid written by whoever holds (or last held) the folder, if readable. */
  public static OptionalLong holderOf(StatePaths paths) {
    try {
      return Holder.parse(Files.readString(paths.daemonLock()))
          .map(h -> OptionalLong.of(h.process().pid()))
          .orElse(OptionalLong.empty());
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Who held the folder before this lock was taken, as it wrote itself: a process that has since
   * ended (it released the lock by exiting, cleanly or killed) or, rarely, one that released it and
   * lives on. Empty for a new folder, or a lock file no one could read.
   */
  public Optional<Holder> previousHolder() {
    return previous;
  }

  /** Whether some process holds the folder's lock right now. */
  public static boolean isHeld(StatePaths paths) {
    if (!Files.exists(paths.daemonLock())) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(paths.daemonLock(), StandardOpenOption.WRITE)) {
      FileLock probe = channel.tryLock();
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static OptionalLong holder(FileChannel channel) throws IOException {
    return Holder.parse(read(channel))
        .map(h -> OptionalLong.of(h.process().pid()))
        .orElse(OptionalLong.empty());
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
      // Read on: the holder's record is a few short lines.
    }
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  /** Releases the folder. */
  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      // Closing the channel releases the lock in any case.
    }
  }
}
