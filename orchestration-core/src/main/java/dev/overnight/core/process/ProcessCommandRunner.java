package dev.overnight.core.process;

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
 * The {@link CommandRunner} that starts real child processes.
 *
 * <p>Both output streams are drained on daemon threads while the process runs (a full pipe would
 * otherwise stall it) and kept up to 64 KiB each. Commands run with {@code LC_ALL=C} so that their
 * output parses the same in every locale.
 */
final class ProcessCommandRunner implements CommandRunner {
  static final ProcessCommandRunner INSTANCE = new ProcessCommandRunner();

  private static final int MAX_OUTPUT = 64 * 1024;
  private static final Duration DRAIN_GRACE = Duration.ofSeconds(1);

  private static final Executor DRAINERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "overnight-command-output");
            t.setDaemon(true);
            return t;
          });

  private ProcessCommandRunner() {}

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
    builder.environment().putAll(environment);
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

  /**
   * Reads a stream to its end, keeping its last {@code MAX_OUTPUT} bytes (the end matters most).
   */
  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          byte[] ring = new byte[MAX_OUTPUT];
          long total = 0;
          byte[] buffer = new byte[8192];
          try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
              for (int i = 0; i < n; i++) {
                ring[(int) ((total + i) % MAX_OUTPUT)] = buffer[i];
              }
              total += n;
            }
          } catch (IOException e) {
            // The stream closed under us (process killed): keep what was read.
          }
          if (total <= MAX_OUTPUT) {
            return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
          }
          int start = (int) (total % MAX_OUTPUT);
          byte[] ordered = new byte[MAX_OUTPUT];
          System.arraycopy(ring, start, ordered, 0, MAX_OUTPUT - start);
          System.arraycopy(ring, 0, ordered, MAX_OUTPUT - start, start);
          return new String(ordered, StandardCharsets.UTF_8);
        },
        DRAINERS);
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
