package dev.overnight.api.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether an agent judges each task's result after the quality gate ({@code review}), and how. The
 * reviewer works in a read-only session on the task's worktree; its verdict goes into the task's
 * facts, the report, the dashboard and the pull request. "Did nothing" and "harmful" open no pull
 * request and end the task with that reason; "partial" sends the reviewer's notes to the working
 * agent for another turn, at most {@link #partialTurns()} times.
 *
 * @param enabled whether results are reviewed
 * @param agent the reviewing agent, by id; empty means the agent that did the task
 * @param partialTurns how many more turns a "partial" verdict may give the working agent, 0–3
 * @param timeSec how long one review may take
 * @since 0.1.0
 */
public record ReviewSettings(
    boolean enabled, Optional<String> agent, int partialTurns, int timeSec) {

  /** Default for {@link #partialTurns()}: one more turn, like the gate's retry. */
  public static final int DEFAULT_PARTIAL_TURNS = 1;

  /** The most turns {@link #partialTurns()} may give. */
  public static final int MAX_PARTIAL_TURNS = 3;

  /** Default for {@link #timeSec()}: five minutes. */
  public static final int DEFAULT_TIME_SEC = 300;

  /** Validates the components. */
  public ReviewSettings {
    Objects.requireNonNull(agent, "agent");
    if (partialTurns < 0 || partialTurns > MAX_PARTIAL_TURNS) {
      throw new IllegalArgumentException(
          "partialTurns must be within 0.." + MAX_PARTIAL_TURNS + ", was " + partialTurns);
    }
    if (timeSec < 1) {
      throw new IllegalArgumentException("timeSec must be positive, was " + timeSec);
    }
  }

  /** No review. */
  public static ReviewSettings disabled() {
    return new ReviewSettings(false, Optional.empty(), DEFAULT_PARTIAL_TURNS, DEFAULT_TIME_SEC);
  }

  /** Review by {@code agent} (empty: the task's own), with the default bounds. */
  public static ReviewSettings by(Optional<String> agent) {
    return new ReviewSettings(true, agent, DEFAULT_PARTIAL_TURNS, DEFAULT_TIME_SEC);
  }
}
