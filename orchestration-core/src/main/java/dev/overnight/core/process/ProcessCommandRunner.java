package dev.overnight.core.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link CommandRunner} that starts real child processes: Overnight's one way to run one.
 *
 * <p>Both output streams are drained on daemon threads while the process runs (a full pipe would
 * otherwise stall it) and their last {@code maxOutput} bytes kept. Commands run with {@code
 * LC_ALL=C} so that their output parses the same in every locale.
 */
final class ProcessCommandRunner implements CommandRunner {
  static final ProcessCommandRunner INSTANCE = new ProcessCommandRunner(64 * 1024);

  private static final Duration DRAIN_GRACE = Duration.ofSeconds(1);

  private static final Executor DRAINERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "overnight-command-output");
            t.setDaemon(true);
            return t;
          });

  private final int maxOutput;

  ProcessCommandRunner(int maxOutput) {
    if (maxOutput < 1) {
      throw new IllegalArgumentException("maxOutput must be positive, was " + maxOutput);
    }
    this.maxOutput = maxOutput;
  }

  @Override
  public CommandResult run(List<String> command, Duration timeout) {
    return run(command, null, Map.of(), timeout);
  }

  @Override
  public CommandResult run(
      List<String> command, Path directory, Map<String, String> environment, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    builder.environment().put("LC_ALL", "C");
    environment.forEach(
        (name, value) -> {
          if (value == null) {
            builder.environment().remove(name);
          } else {
            builder.environment().put(name, value);
          }
        });
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      return CommandResult.notStarted(command, startFailure(command, e));
    }
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // The child already closed its end; nothing to tell it.
    }
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    boolean exited;
    try {
      exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exited = false;
    }
    if (!exited) {
      killTree(process);
      return CommandResult.timedOut(command, timeout, collect(out), collect(err));
    }
    return CommandResult.exited(command, process.exitValue(), collect(out), collect(err));
  }

  private static String startFailure(List<String> command, Exception e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("error=2") || message.contains("No such file")) {
      return "command not found: " + command.get(0);
    }
    if (message.contains("error=13")) {
      return "not executable: " + command.get(0);
    }
    return "could not start " + command.get(0) + ": " + message;
  }

  private static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads a stream to its end, keeping its last {@code maxOutput} bytes (the end matters most). */
  private CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          ByteArrayOutputStream kept = new ByteArrayOutputStream();
          byte[] buffer = new byte[8192];
          try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
              kept.write(buffer, 0, n);
              if (kept.size() > 2 * maxOutput) {
                kept = tail(kept);
              }
            }
          } catch (IOException e) {
            // The stream closed under us (process killed): keep what was read.
          }
          ByteArrayOutputStream last = kept.size() > maxOutput ? tail(kept) : kept;
          return last.toString(StandardCharsets.UTF_8);
        },
        DRAINERS);
  }

  private ByteArrayOutputStream tail(ByteArrayOutputStream all) {
    byte[] bytes = all.toByteArray();
    ByteArrayOutputStream tail = new ByteArrayOutputStream(maxOutput);
    tail.write(bytes, bytes.length - maxOutput, maxOutput);
    return tail;
  }

  private static String collect(CompletableFuture<String> output) {
    try {
      // A grandchild that inherited the pipe can keep it open after the process exits; the wait
      // is bounded so that such a grandchild cannot hold the caller.
      return output.get(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    } catch (ExecutionException | TimeoutException e) {
      return "";
    }
  }
}
