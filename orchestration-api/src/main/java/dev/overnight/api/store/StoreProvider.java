package dev.overnight.api.store;

import dev.overnight.api.ProviderContext;

/**
 * ServiceLoader SPI that opens a {@link Store}: the SQLite file in the state folder, a database
 * server, or one of your own. A runtime that is given no queue opens the store of the supported
 * provider with the lowest {@link #order()}; with none, it keeps its queue in memory.
 *
 * <p>Implementations must have a public no-argument constructor and be cheap to construct; {@link
 * #open} may block on I/O.
 *
 * @since 0.1.0
 */
public interface StoreProvider {

  /** A stable name, e.g. {@code sqlite}. */
  String name();

  /** Precedence among supported providers; lower wins. */
  default int order() {
    return 0;
  }

  /** Whether this provider can work here. Never throws. */
  default boolean isSupported() {
    return true;
  }

  /**
   * Opens (creating or migrating as needed) the store for a runtime.
   *
   * @throws dev.overnight.api.OrchestrationException if it cannot be opened, saying why and what to
   *     do
   */
  Store open(ProviderContext context);
}
