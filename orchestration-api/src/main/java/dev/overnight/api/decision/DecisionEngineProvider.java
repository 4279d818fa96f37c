package dev.overnight.api.decision;

import dev.overnight.api.ProviderContext;

/**
 * ServiceLoader SPI that contributes a {@link DecisionEngine} under a name; the config's {@code
 * decision.engine} chooses it ({@code heuristic} by default). An engine given explicitly to the
 * runtime's builder wins over any discovered one.
 *
 * <p>Implementations must have a public no-argument constructor and be cheap to construct.
 *
 * @since 0.1.0
 */
public interface DecisionEngineProvider {

  /** The name the config uses, e.g. {@code heuristic}. */
  String name();

  /** Precedence among providers of one name; lower wins. */
  default int order() {
    return 0;
  }

  /** Creates the engine for a runtime. */
  DecisionEngine create(ProviderContext context);
}
