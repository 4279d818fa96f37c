package dev.overnight.fakes;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small file system of its own, a Linux {@code tmpfs}, that a test fills up and frees again: for
 * showing what a full disk does to whatever keeps its files there (a database, a state folder).
 *
 * <p>Mounting needs Linux and root (as CI runs). Where that is not so, {@link #mount} fails with a
 * message saying so, rather than letting the test pass without having run. {@link #close()}
 * unmounts (lazily when files are still open) and removes the mount point.
 *
 * <p>Not thread-safe; {@link #fill()} and {@link #free()} block on file I/O only.
 *
 * @since 0.1.0
 */
public final class SmallDisk implements AutoCloseable {
  private static final String FILLER = ".filler";

  private final Path root;
  private boolean mounted;

  private SmallDisk(Path root) {
    this.root = root;
    this.mounted = true;
  }

  /**
   * Mounts a {@code tmpfs} of {@code bytes} at {@code mountPoint} (created if absent).
   *
   * @throws IllegalStateException if it cannot be mounted, saying why and what the test needs
   */
  public static SmallDisk mount(Path mountPoint, long bytes) {
    Path root = mountPoint.toAbsolutePath().normalize();
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String size = "size=" + Math.max(1, bytes / 1024) + "k";
    Result r =
        run(List.of("mount", "-t", "tmpfs", "-o", size, "overnight-small-disk", root.toString()));
    if (r.code != 0) {
      throw new IllegalStateException(
          "cannot mount a "
              + size
              + " tmpfs at "
              + root
              + " (mount exited "
              + r.code
              + ": "
              + r.output.strip()
              + "): this test fills a disk of its own, which needs Linux and root (as CI runs it,"
              + " see .ci/run); run it as root, or in the CI container");
    }
    return new SmallDisk(root);
  }

  /** The mounted folder. */
  public Path root() {
    return root;
  }

  /**
   * Fills the disk to the last page with a file of its own.
   *
   * @return the bytes written
   */
  public long fill() {
    long written = 0;
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(root.resolve(FILLER))) {
      for (int size = chunk.length; size >= 512; ) {
        try {
          out.write(chunk, 0, size);
          out.flush();
          written += size;
        } catch (IOException full) {
          size /= 2; // the last pages, in smaller writes
        }
      }
    } catch (IOException e) {
      // Closing a file on a full tmpfs does not fail; if it did, the disk is full all the same.
    }
    if (freeBytes() >= 64 * 1024) {
      throw new IllegalStateException(
          "the small disk at " + root + " still has " + freeBytes() + " bytes free after filling");
    }
    return written;
  }

  /** Deletes what {@link #fill()} wrote. */
  public void free() {
    try {
      Files.deleteIfExists(root.resolve(FILLER));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Makes the disk read-only, as a disk mounted read-only or failing is: nothing can be written to
   * it, not even by root, whom file permissions do not stop.
   *
   * @throws IllegalStateException if it cannot be remounted
   */
  public void readOnly() {
    Result r = run(List.of("mount", "-o", "remount,ro", root.toString()));
    if (r.code != 0) {
      throw new IllegalStateException(
          "cannot remount " + root + " read-only (mount exited " + r.code + ": " + r.output + ")");
    }
  }

  /** The bytes free on the disk now. */
  public long freeBytes() {
    try {
      return Files.getFileStore(root).getUsableSpace();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Unmounts the disk (lazily when files on it are still open) and removes the mount point. */
  @Override
  public void close() {
    if (!mounted) {
      return;
    }
    mounted = false;
    Result r = run(List.of("umount", root.toString()));
    if (r.code != 0) {
      r = run(List.of("umount", "-l", root.toString()));
    }
    if (r.code != 0) {
      throw new IllegalStateException("cannot unmount " + root + ": " + r.output.strip());
    }
    try {
      Files.deleteIfExists(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "SmallDisk[" + root + "]";
  }

  private record Result(int code, String output) {}

  private static Result run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, String.join(" ", command) + " did not finish");
      }
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
