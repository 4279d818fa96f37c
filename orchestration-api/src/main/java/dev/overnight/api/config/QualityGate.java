package dev.overnight.api.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A check run in the task's worktree after the agent finishes; its result is part of the task's
 * outcome and of the pull request's body.
 *
 * @param verifyCommand the shell command to run (exit code 0 passes); empty disables the gate
 * @param timeoutSec how long the command may run
 * @param retryWithAgent on failure, send the output back to the same agent session for more turns
 * @param maxRetries how many extra turns a failing gate may get
 * @since 0.1.0
 */
public record QualityGate(
    Optional<String> verifyCommand, int timeoutSec, boolean retryWithAgent, int maxRetries) {

  /** Validates the components. */
  public QualityGate {
    Objects.requireNonNull(verifyCommand, "verifyCommand");
  }

  /** No gate. */
  public static QualityGate none() {
    return new QualityGate(Optional.empty(), 600, true, 1);
  }
}
