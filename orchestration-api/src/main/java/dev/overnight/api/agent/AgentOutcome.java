package dev.overnight.api.agent;

import java.util.Objects;

/**
 * How a prompt turn ended.
 *
 * @param stopReason why the agent stopped
 * @param usage what the turn used, {@link Usage#NONE} when not reported
 * @since 0.1.0
 */
public record AgentOutcome(StopReason stopReason, Usage usage) {

  /** Validates the components. */
  public AgentOutcome {
    Objects.requireNonNull(stopReason, "stopReason");
    Objects.requireNonNull(usage, "usage");
  }
}
