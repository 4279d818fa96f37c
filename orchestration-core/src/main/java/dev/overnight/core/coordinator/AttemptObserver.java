package dev.overnight.core.coordinator;

import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.queue.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Watches every attempt at a task from its start to its end, with the agent's turns and quality
 * gate runs in between: what metrics and traces need and {@link CoordinatorEvent}s do not carry
 * (the agent of every attempt, its usage and duration, each turn, each gate run), and the one
 * chance to add variables to the agent process's environment (a {@code TRACEPARENT}, say).
 *
 * <p>Every method has a do-nothing default, so an observer implements only what it uses. {@link
 * #attemptStarted} is called on the attempt's own thread, before the agent process starts; the
 * returned {@link Attempt} is then called on that same thread only, in the order things happen,
 * ending with exactly one call of {@link Attempt#ended} or {@link Attempt#failed}. Several attempts
 * run at once when tasks run concurrently, so an observer is called from several threads. Calls
 * must return quickly and should not block. An exception thrown by an observer is logged and
 * ignored: observing never changes what Overnight does.
 *
 * <p>Times are the runtime's, from its {@link dev.overnight.api.TimeSource}: virtual in tests.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface AttemptObserver {

  /**
   * An attempt at a task begins: its worktree is about to be prepared and its agent started.
   *
   * @return what watches this attempt; {@link Attempt#NONE} to ignore it
   */
  Attempt attemptStarted(Start start);

  /**
   * How an attempt began.
   *
   * @param at when
   * @param task the task as claimed (its {@link Task#attempts()} counts this attempt)
   * @param agentId the agent that works on it
   * @param cycleId the cycle it runs in
   */
  record Start(Instant at, Task task, String agentId, String cycleId) {
    /** Validates the components. */
    public Start {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(agentId, "agentId");
      Objects.requireNonNull(cycleId, "cycleId");
    }
  }

  /**
   * One prompt turn of the attempt's agent session.
   *
   * @param at when the prompt was sent
   * @param index 0 for the task's own prompt; 1, 2, … for follow-ups in the same session (a failed
   *     quality gate sent back to the agent)
   * @param sessionId the agent session's id
   * @param model the model the session runs on, when the agent said
   */
  record Turn(Instant at, int index, String sessionId, Optional<String> model) {
    /** Validates the components. */
    public Turn {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(sessionId, "sessionId");
      Objects.requireNonNull(model, "model");
      if (index < 0) {
        throw new IllegalArgumentException("index must be >= 0, was " + index);
      }
    }

    /** Whether this turn follows up on an earlier one in the same session. */
    public boolean followUp() {
      return index > 0;
    }
  }

  /**
   * How an attempt ended.
   *
   * @param at when
   * @param task the task afterwards, as the queue has it
   * @param outcome how the attempt ended
   * @param reason why, in words (empty when it completed)
   * @param usage what the agent used over the whole attempt (its session's cost when reported)
   * @param duration how long the attempt took, worktree and gate included
   */
  record End(
      Instant at,
      Task task,
      AttemptOutcome outcome,
      String reason,
      Usage usage,
      Duration duration) {
    /** Validates the components. */
    public End {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(usage, "usage");
      Objects.requireNonNull(duration, "duration");
    }
  }

  /** Watches one attempt. Called on the attempt's thread only; see {@link AttemptObserver}. */
  interface Attempt {
    /** Watches nothing. */
    Attempt NONE = new Attempt() {};

    /**
     * Variables to add to the environment of the agent process, asked once, right before it starts.
     * They win over the inherited environment and the config's agent {@code env}.
     */
    default Map<String, String> agentEnvironment() {
      return Map.of();
    }

    /**
     * A prompt was sent to the agent.
     *
     * @return what watches the turn; {@link TurnWatch#NONE} to ignore it
     */
    default TurnWatch turnStarted(Turn turn) {
      return TurnWatch.NONE;
    }

    /** The quality gate ran in the attempt's worktree. */
    default void gateChecked(Instant at, GateResult result) {}

    /** The attempt ended; the last call. */
    default void ended(End end) {}

    /** The attempt failed unexpectedly (a defect, not an agent's failure); the last call. */
    default void failed(Instant at, Throwable error) {}
  }

  /** Watches one prompt turn. Exactly one of its methods is called, once. */
  interface TurnWatch {
    /** Watches nothing. */
    TurnWatch NONE = new TurnWatch() {};

    /** The turn ended with this outcome. */
    default void ended(Instant at, AgentOutcome outcome) {}

    /** The turn failed: the agent crashed, timed out or answered with an error. */
    default void failed(Instant at, Throwable error) {}
  }
}
