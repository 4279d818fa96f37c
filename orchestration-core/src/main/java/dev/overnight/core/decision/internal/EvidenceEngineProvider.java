package dev.overnight.core.decision.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionEngineProvider;
import dev.overnight.core.decision.EvidenceDecisionEngine;

/**
 * The engine that ranks the candidate sources' evidence ({@code decision.engine: "evidence"}).
 * Found through {@link java.util.ServiceLoader}.
 */
public final class EvidenceEngineProvider implements DecisionEngineProvider {
  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public EvidenceEngineProvider() {}

  @Override
  public String name() {
    return EvidenceDecisionEngine.NAME;
  }

  @Override
  public DecisionEngine create(ProviderContext context) {
    return new EvidenceDecisionEngine();
  }
}
