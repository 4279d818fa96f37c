package dev.overnight.api.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Caps on what agents may use, over a night or per task. An empty component is unbounded.
 *
 * @param tokens total tokens (input plus output) reported by the agents
 * @param costUsd cost reported by the agents, in US dollars
 * @param agentSeconds wall-clock seconds agents have run
 * @since 0.1.0
 */
public record SpendingLimit(
    Optional<Long> tokens, Optional<Double> costUsd, Optional<Long> agentSeconds) {

  /** Validates the components. */
  public SpendingLimit {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(costUsd, "costUsd");
    Objects.requireNonNull(agentSeconds, "agentSeconds");
  }

  /** No cap. */
  public static SpendingLimit unbounded() {
    return new SpendingLimit(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Whether any cap is set. */
  public boolean isBounded() {
    return tokens.isPresent() || costUsd.isPresent() || agentSeconds.isPresent();
  }
}
