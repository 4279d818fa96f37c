package dev.overnight.core.process;

import dev.overnight.api.OrchestrationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion with a time limit and an output limit, killing its whole process
 * tree when it overruns.
 *
 * <p>Output is read on a separate thread so a chatty command never blocks on a full pipe; only the
 * last {@code outputLimit} bytes are kept, so a runaway command cannot exhaust memory. The child
 * inherits the parent's environment and only gains {@code env}. Thread-safe; {@link #run} blocks
 * for at most the timeout (plus a moment to collect output).
 */
public final class Commands {
  private Commands() {}

  /** Runs {@code command} in {@code dir}, 64 KiB of output kept. */
  public static CommandResult run(List<String> command, Path dir, Duration timeout) {
    return run(command, dir, Map.of(), timeout, 64 * 1024);
  }

  /**
   * Runs {@code command} in {@code dir} with {@code env} added to the inherited environment.
   *
   * @return the result; a command that cannot start gives exit code -1 and the reason as output
   */
  public static CommandResult run(
      List<String> command, Path dir, Map<String, String> env, Duration timeout, int outputLimit) {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    long started = System.nanoTime();
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return new CommandResult(
          command, -1, "cannot start: " + e.getMessage(), false, false, Duration.ZERO);
    }
    try {
      process.getOutputStream().close(); // nothing to say: a command waiting for input gets EOF
    } catch (IOException e) {
      // The command exited before we closed its input; nothing was lost.
    }
    TailBuffer tail = new TailBuffer(outputLimit);
    Thread reader =
        new Thread(() -> tail.drain(process.getInputStream()), "overnight-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      killTree(process.toHandle());
      Thread.currentThread().interrupt();
      throw new OrchestrationException("interrupted while running " + command.get(0), e);
    }
    if (!finished) {
      killTree(process.toHandle());
    }
    try {
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    int exit = finished ? process.exitValue() : -1;
    return new CommandResult(command, exit, tail.text(), tail.truncated(), !finished, took);
  }

  /** Kills a process and every descendant, children first. */
  public static void killTree(ProcessHandle root) {
    List<ProcessHandle> all = new ArrayList<>();
    root.descendants().forEach(all::add);
    all.forEach(ProcessHandle::destroyForcibly);
    root.destroyForcibly();
  }

  /** Keeps the last bytes written to it. */
  private static final class TailBuffer {
    private final int limit;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private boolean truncated;

    TailBuffer(int limit) {
      this.limit = limit;
    }

    void drain(InputStream in) {
      byte[] chunk = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(chunk)) >= 0) {
          append(chunk, n);
        }
      } catch (IOException e) {
        // The process was killed mid-write; what was read so far is the output.
      }
    }

    private synchronized void append(byte[] chunk, int n) {
      buffer.write(chunk, 0, n);
      if (buffer.size() > 2 * limit) {
        byte[] all = buffer.toByteArray();
        buffer.reset();
        buffer.write(all, all.length - limit, limit);
        truncated = true;
      }
    }

    synchronized String text() {
      byte[] all = buffer.toByteArray();
      if (all.length > limit) {
        truncated = true;
        return new String(all, all.length - limit, limit, StandardCharsets.UTF_8);
      }
      return new String(all, StandardCharsets.UTF_8);
    }

    synchronized boolean truncated() {
      return truncated;
    }
  }
}
