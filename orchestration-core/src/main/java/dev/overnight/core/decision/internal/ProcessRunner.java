package dev.overnight.core.decision.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a short read-only command (git) as a child process with a bounded wait: both output streams
 * are drained on their own threads so a chatty process never blocks on a full pipe, and a process
 * still running at the deadline is killed with its descendants.
 */
public final class ProcessRunner {
  private ProcessRunner() {}

  /** What a finished command printed. */
  public record Result(int exitCode, byte[] stdout, String stderr) {}

  /**
   * Runs {@code command} in {@code directory}, the environment adjusted by {@code environment} (a
   * null value removes the variable).
   *
   * @throws IOException when the command cannot be started
   * @throws TimeoutException when it did not finish within {@code timeout} (it has been killed)
   * @throws InterruptedException when the calling thread is interrupted (the process is killed)
   */
  public static Result run(
      List<String> command, Path directory, Map<String, String> environment, Duration timeout)
      throws IOException, TimeoutException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile());
    environment.forEach(
        (k, v) -> {
          if (v == null) {
            pb.environment().remove(k);
          } else {
            pb.environment().put(k, v);
          }
        });
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> out = drain(p.getInputStream(), "stdout");
    CompletableFuture<byte[]> err = drain(p.getErrorStream(), "stderr");
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(p);
        throw new TimeoutException(
            String.join(" ", command)
                + " did not finish within "
                + (timeout.toMillis() < 1000
                    ? timeout.toMillis() + " ms"
                    : timeout.toSeconds() + " s"));
      }
      byte[] stdout = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      byte[] stderr = err.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Result(p.exitValue(), stdout, new String(stderr, StandardCharsets.UTF_8).strip());
    } catch (InterruptedException e) {
      kill(p);
      throw e;
    } catch (ExecutionException e) {
      kill(p);
      throw new IOException("reading the output of " + command.get(0) + " failed", e.getCause());
    }
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private static CompletableFuture<byte[]> drain(InputStream in, String name) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (in) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                in.transferTo(buffer);
                result.complete(buffer.toByteArray());
              } catch (IOException | UncheckedIOException e) {
                result.completeExceptionally(e);
              }
            },
            "overnight-process-" + name);
    t.setDaemon(true);
    t.start();
    return result;
  }
}
