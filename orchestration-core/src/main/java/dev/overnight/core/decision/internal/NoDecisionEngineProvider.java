package dev.overnight.core.decision.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionEngineProvider;
import java.util.Optional;

/**
 * {@code decision.engine: "none"}: never proposes work, so a night runs only what was queued — for
 * users who fill the queue themselves. Found through {@link java.util.ServiceLoader}.
 */
public final class NoDecisionEngineProvider implements DecisionEngineProvider {
  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public NoDecisionEngineProvider() {}

  @Override
  public String name() {
    return "none";
  }

  @Override
  public DecisionEngine create(ProviderContext context) {
    return c -> Optional.empty();
  }
}
