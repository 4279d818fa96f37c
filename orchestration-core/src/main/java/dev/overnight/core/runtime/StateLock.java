package dev.overnight.core.runtime;

import dev.overnight.api.OrchestrationException;
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
import java.util.OptionalLong;

/**
 * Keeps a second daemon off a state folder: an exclusive lock on {@code daemon.lock}, with the
 * holder's pid written inside so the refusal can name it.
 *
 * <p>The operating system releases the lock when the process dies, however it dies, so a crashed
 * daemon never leaves the folder locked. Thread-safe; {@link #close()} is idempotent.
 */
public final class StateLock implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private StateLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the folder's lock.
   *
   * @throws StateInUseException if another process holds it
   * @throws OrchestrationException if the folder cannot be created or the file written
   */
  public static StateLock acquire(StatePaths paths) {
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
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
          0);
      channel.force(true);
      return new StateLock(file, channel, lock);
    } catch (IOException e) {
      throw new OrchestrationException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  /** The pid written by whoever holds (or last held) the folder, if readable. */
  public static OptionalLong holderOf(StatePaths paths) {
    try {
      String text = Files.readString(paths.daemonLock()).trim();
      return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
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
    ByteBuffer buffer = ByteBuffer.allocate(32);
    channel.read(buffer, 0);
    String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
    try {
      return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
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
