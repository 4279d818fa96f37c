package dev.overnight.api.agent;

import dev.overnight.api.ProviderContext;
import java.util.List;

/**
 * ServiceLoader SPI that contributes {@link AgentProvider}s for a runtime: the built-in agents of a
 * module, and one per entry of the config's {@code agents} section it understands.
 *
 * <p>Implementations must have a public no-argument constructor and be cheap; {@link #create} must
 * not start processes. Providers they create take time from {@link ProviderContext#timeSource()}.
 *
 * @since 0.1.0
 */
public interface AgentProviderFactory {

  /** A name for diagnostics, e.g. {@code acp}. */
  String name();

  /** The providers this factory offers for the runtime's configuration. */
  List<AgentProvider> create(ProviderContext context);
}
