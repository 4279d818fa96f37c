package dev.overnight.api.decision;

import dev.overnight.api.agent.Usage;
import java.time.Duration;
import java.util.Objects;

/**
 * What deciding used of an agent: the tokens, cost and time of the planning runs of an engine that
 * asks an agent for its plan. The coordinator counts it in the night's limits like a task's use.
 *
 * @param usage tokens and cost, as the agent reported them
 * @param agentTime how long the agent worked
 * @since 0.1.0
 */
public record DecisionUsage(Usage usage, Duration agentTime) {

  /** Nothing used. */
  public static final DecisionUsage NONE = new DecisionUsage(Usage.NONE, Duration.ZERO);

  /** Validates the components. */
  public DecisionUsage {
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(agentTime, "agentTime");
  }

  /** The sum of this use and another. */
  public DecisionUsage plus(DecisionUsage other) {
    return new DecisionUsage(usage.plus(other.usage), agentTime.plus(other.agentTime));
  }

  /** Whether nothing was used. */
  public boolean isNone() {
    return usage.equals(Usage.NONE) && agentTime.isZero();
  }
}
