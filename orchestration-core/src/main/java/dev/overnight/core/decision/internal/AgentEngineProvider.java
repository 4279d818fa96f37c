package dev.overnight.core.decision.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionEngineProvider;
import dev.overnight.core.decision.AgentDecisionEngine;
import java.util.List;

/**
 * The engine that asks an agent for the night's plan ({@code decision.engine: "agent"}), planning
 * with the runtime's agent {@code decision.agent} on the runtime's clock, the state folder hidden
 * from it. Found through {@link java.util.ServiceLoader}.
 */
public final class AgentEngineProvider implements DecisionEngineProvider {
  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public AgentEngineProvider() {}

  @Override
  public String name() {
    return AgentDecisionEngine.NAME;
  }

  @Override
  public DecisionEngine create(ProviderContext context) {
    return new AgentDecisionEngine(
        context.config().decision().planning(),
        context::agent,
        context.timeSource(),
        List.of(context.stateDirectory()));
  }
}
