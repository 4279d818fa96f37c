package dev.overnight.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The packaged {@code overnight} jar run as a real process, its output read line by line. */
final class OvernightProcess implements AutoCloseable {
  static final Path MODULE = Path.of(System.getProperty("overnight.moduleDir", "."));
  static final Path JAR = MODULE.resolve("target/overnight.jar").toAbsolutePath();
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  final Process process;
  private final Thread reader;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  private OvernightProcess(Process process) {
    this.process = process;
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // The process ended.
              }
            },
            "overnight-output");
    reader.setDaemon(true);
    reader.start();
  }

  static OvernightProcess start(String... args) throws IOException {
    return start(Map.of(), List.of(), args);
  }

  /** Starts with {@code environment} added to this one's and {@code jvmOptions} before the jar. */
  static OvernightProcess start(
      Map<String, String> environment, List<String> jvmOptions, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(JAVA));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    return new OvernightProcess(builder.start());
  }

  /** Runs to completion and returns exit code and output. */
  static Result run(String... args) throws Exception {
    return run(Map.of(), List.of(), args);
  }

  /** Runs to completion with {@code environment} and {@code jvmOptions}, as {@link #start}. */
  static Result run(Map<String, String> environment, List<String> jvmOptions, String... args)
      throws Exception {
    try (OvernightProcess p = start(environment, jvmOptions, args)) {
      int code = p.awaitExit();
      return new Result(code, String.join("\n", p.seen));
    }
  }

  record Result(int exitCode, String output) {}

  /** Waits for a line matching {@code wanted}; the timeout is only a safety net. */
  String await(Predicate<String> wanted, String what) throws InterruptedException {
    while (true) {
      String line = lines.poll(120, TimeUnit.SECONDS);
      assertThat(line)
          .as("waiting for " + what + "; output so far:\n" + String.join("\n", seen))
          .isNotNull();
      seen.add(line);
      if (wanted.test(line)) {
        return line;
      }
    }
  }

  /**
   * Waits for a line matching {@code wanted} until {@code deadline}: for a process that keeps
   * printing other lines, which the per-line safety net of {@link #await} would never end.
   */
  String await(Predicate<String> wanted, String what, Instant deadline)
      throws InterruptedException {
    while (true) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      String line = left > 0 ? lines.poll(left, TimeUnit.MILLISECONDS) : null;
      assertThat(line)
          .as(
              "waiting for "
                  + what
                  + " until "
                  + deadline
                  + "; output so far:\n"
                  + String.join("\n", seen))
          .isNotNull();
      seen.add(line);
      if (wanted.test(line)) {
        return line;
      }
    }
  }

  /**
   * Returns the first line already read that matches {@code wanted}, else waits for one as {@link
   * #await(Predicate, String, Instant)} does: for lines whose order between them is not fixed.
   */
  String awaitAny(Predicate<String> wanted, String what, Instant deadline)
      throws InterruptedException {
    drain();
    for (String line : seen) {
      if (wanted.test(line)) {
        return line;
      }
    }
    return await(wanted, what, deadline);
  }

  /** The lines read so far. */
  List<String> lines() {
    drain();
    return List.copyOf(seen);
  }

  void drain() {
    lines.drainTo(seen);
  }

  /** Waits for the process to exit and for its last output to be read; returns the exit code. */
  int awaitExit() throws InterruptedException {
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exited").isTrue();
    reader.join(TimeUnit.SECONDS.toMillis(30));
    drain();
    return process.exitValue();
  }

  String output() {
    drain();
    return String.join("\n", seen);
  }

  /**
   * Sends SIGTERM. Through the process handle, because {@link Process#destroy()} also closes the
   * pipes, and the daemon's last words would be lost.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  /** Sends SIGINT, as Ctrl-C in a terminal does. */
  void interrupt() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -INT " + process.pid() + " failed");
    }
  }

  /** Descendant processes still alive (agents). */
  List<ProcessHandle> liveDescendants() {
    return process.descendants().filter(ProcessHandle::isAlive).toList();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
