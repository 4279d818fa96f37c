package dev.overnight.core.coordinator;

import java.time.Duration;

/**
 * The quality gate's verdict on a task's worktree.
 *
 * @param command the verify command
 * @param passed whether it exited with 0 in time
 * @param exitCode its exit code (-1 on timeout)
 * @param outputTail the last lines of its output
 * @param duration how long it ran
 * @param attempts how many times it ran (retries after sending failures back to the agent)
 * @since 0.1.0
 */
public record GateResult(
    String command,
    boolean passed,
    int exitCode,
    String outputTail,
    Duration duration,
    int attempts) {

  /** One line for reports: {@code passed (mvn -q test, 42 s)}. */
  public String summary() {
    return (passed ? "passed" : "failed (exit " + exitCode + ")")
        + " — "
        + command
        + ", "
        + duration.toSeconds()
        + " s"
        + (attempts > 1 ? ", " + attempts + " runs" : "");
  }
}
