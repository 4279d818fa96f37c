package dev.overnight.core.decision.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionEngineProvider;
import dev.overnight.core.decision.HeuristicDecisionEngine;

/**
 * The built-in heuristics: the most-touched file and the goals decide between a refactor, tests and
 * exploration. Found through {@link java.util.ServiceLoader}.
 */
public final class HeuristicEngineProvider implements DecisionEngineProvider {
  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public HeuristicEngineProvider() {}

  @Override
  public String name() {
    return "heuristic";
  }

  @Override
  public DecisionEngine create(ProviderContext context) {
    return new HeuristicDecisionEngine();
  }
}
