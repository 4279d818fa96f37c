package dev.overnight.core.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("LC_ALL", "C");
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

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          ByteArrayOutputStream kept = new ByteArrayOutputStream();
          byte[] buffer = new byte[8192];
          try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
              int room = MAX_OUTPUT - kept.size();
              if (room > 0) {
                kept.write(buffer, 0, Math.min(room, n));
              }
            }
          } catch (IOException e) {
            // The stream closed under us (process killed): keep what was read.
          }
          return kept.toString(StandardCharsets.UTF_8);
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
