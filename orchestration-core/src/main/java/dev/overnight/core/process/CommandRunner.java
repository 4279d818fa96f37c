package dev.overnight.core.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs a command (a {@code busctl} query, {@code git push}, a verify command) and waits for it,
 * never longer than a given time.
 *
 * <p>The seam between checkers and the processes they start: tests pass a scripted runner, the
 * platform modules use {@link #system()}. Implementations are thread-safe and never throw for a
 * command that fails: the {@link CommandResult} says what happened.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CommandRunner {

  /**
   * Runs {@code command} (program and arguments, no shell) with an empty standard input and waits
   * at most {@code timeout}; a process still running then is killed with its descendants.
   */
  CommandResult run(List<String> command, Duration timeout);

  /**
   * Runs {@code command} in {@code directory} with {@code environment} applied to the inherited
   * environment (a {@code null} value removes the variable); otherwise as {@link #run(List,
   * Duration)}. The default ignores the directory and environment, which suits scripted runners in
   * tests.
   */
  default CommandResult run(
      List<String> command, Path directory, Map<String, String> environment, Duration timeout) {
    return run(command, timeout);
  }

  /** The runner that starts real processes, keeping the last 64 KiB of each output stream. */
  static CommandRunner system() {
    return ProcessCommandRunner.INSTANCE;
  }

  /**
   * The runner that starts real processes, keeping the last {@code maxOutputBytes} of each output
   * stream: for commands whose whole output is the answer ({@code git log}).
   */
  static CommandRunner system(int maxOutputBytes) {
    return new ProcessCommandRunner(maxOutputBytes);
  }
}
