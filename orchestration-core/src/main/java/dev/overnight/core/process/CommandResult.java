package dev.overnight.core.process;

import dev.overnight.core.time.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a child process run by a {@link CommandRunner} did.
 *
 * @param command the command line that was run
 * @param outcome whether it exited, overran its time limit, or never started
 * @param exitCode the exit code when it exited, {@code -1} otherwise
 * @param stdout what it printed on standard output (its last 64 KiB)
 * @param stderr what it printed on standard error (its last 64 KiB)
 * @param failure why it did not start or finish, empty when it exited
 * @since 0.1.0
 */
public record CommandResult(
    List<String> command,
    Outcome outcome,
    int exitCode,
    String stdout,
    String stderr,
    String failure) {

  /** How a run ended. */
  public enum Outcome {
    /** The process exited by itself; see {@link #exitCode()}. */
    EXITED,
    /** The process overran its time limit and was killed. */
    TIMED_OUT,
    /** The process could not be started (command not found, not executable). */
    NOT_STARTED
  }

  /** Validates the components and copies the command. */
  public CommandResult {
    command = List.copyOf(command);
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
    Objects.requireNonNull(failure, "failure");
  }

  /** A process that exited with {@code exitCode}. */
  public static CommandResult exited(
      List<String> command, int exitCode, String stdout, String stderr) {
    return new CommandResult(command, Outcome.EXITED, exitCode, stdout, stderr, "");
  }

  /** A process that was killed after {@code timeout}. */
  public static CommandResult timedOut(
      List<String> command, Duration timeout, String stdout, String stderr) {
    return new CommandResult(
        command,
        Outcome.TIMED_OUT,
        -1,
        stdout,
        stderr,
        "timed out after " + Durations.human(timeout));
  }

  /** A process that could not be started, because {@code why}. */
  public static CommandResult notStarted(List<String> command, String why) {
    return new CommandResult(command, Outcome.NOT_STARTED, -1, "", "", why);
  }

  /** Whether the process exited with code 0. */
  public boolean succeeded() {
    return outcome == Outcome.EXITED && exitCode == 0;
  }

  /** Standard output followed by standard error, for messages and reports. */
  public String output() {
    if (stderr.isEmpty()) {
      return stdout;
    }
    return stdout.isEmpty() || stdout.endsWith("\n") ? stdout + stderr : stdout + "\n" + stderr;
  }

  /** The last {@code n} lines of {@link #output()}. */
  public String tail(int n) {
    List<String> lines = output().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  /** The first non-blank line of standard output, trimmed, or {@code ""}. */
  public String firstLine() {
    return stdout.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
  }

  /**
   * A one-line explanation for a reason or a log line: {@code exit 1: Failed to connect to bus},
   * {@code timed out after 2 s}, {@code command not found: gh}.
   */
  public String describe() {
    switch (outcome) {
      case EXITED:
        String err =
            stderr
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .findFirst()
                .orElse(firstLine());
        return "exit " + exitCode + (err.isEmpty() ? "" : ": " + err);
      case TIMED_OUT:
      case NOT_STARTED:
      default:
        return failure;
    }
  }
}
