package dev.overnight.core.process;

import java.time.Duration;
import java.util.List;

/**
 * What a finished command did.
 *
 * @param command the command line, for messages
 * @param exitCode its exit code; -1 when it timed out or could not start
 * @param output standard output and error, interleaved, cut to the last bytes of the limit
 * @param truncated whether output was cut
 * @param timedOut whether it was killed for running too long
 * @param duration how long it ran
 */
public record CommandResult(
    List<String> command,
    int exitCode,
    String output,
    boolean truncated,
    boolean timedOut,
    Duration duration) {

  /** Copies the command. */
  public CommandResult {
    command = List.copyOf(command);
  }

  /** Whether it exited with 0 in time. */
  public boolean ok() {
    return exitCode == 0 && !timedOut;
  }

  /** The last {@code n} lines of output, for reports. */
  public String tail(int n) {
    List<String> lines = output.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  /** A one-line description: {@code "git push" exited with 1: <last line>}. */
  public String describe() {
    String name = String.join(" ", command.subList(0, Math.min(2, command.size())));
    if (timedOut) {
      return "\"" + name + "\" timed out after " + duration.toSeconds() + " s";
    }
    String last = output.lines().reduce((a, b) -> b).orElse("").trim();
    return "\"" + name + "\" exited with " + exitCode + (last.isEmpty() ? "" : ": " + last);
  }
}
