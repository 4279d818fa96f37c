package dev.overnight.core.platform;

import java.time.Duration;
import java.util.List;

/**
 * Runs a short command (a {@code busctl} query, {@code git --version}) and waits for it, never
 * longer than a given time.
 *
 * <p>The seam between checkers and the processes they start: tests pass a scripted runner, the
 * platform modules use {@link #system()}. Implementations are thread-safe and never throw for a
 * command that fails: the {@link CommandResult} says what happened.
 */
@FunctionalInterface
public interface CommandRunner {

  /**
   * Runs {@code command} (program and arguments, no shell) with an empty standard input and waits
   * at most {@code timeout}; a process still running then is killed with its descendants.
   */
  CommandResult run(List<String> command, Duration timeout);

  /** The runner that starts real processes. */
  static CommandRunner system() {
    return ProcessCommandRunner.INSTANCE;
  }
}
