package dev.overnight.api.decision;

import dev.overnight.api.ProviderContext;

/**
 * ServiceLoader SPI that contributes a {@link SessionHistorySource} under the name the config's
 * {@code decision.history_sources} lists ({@code overnight}, {@code claude_code}, {@code codex}, or
 * a plugin's own). A source given explicitly to the runtime's builder wins over a discovered one of
 * the same name.
 *
 * <p>Implementations must have a public no-argument constructor and be cheap to construct.
 *
 * @since 0.1.0
 */
public interface SessionHistorySourceProvider {

  /** The name the config uses; the same as the created source's {@code name()}. */
  String name();

  /** Precedence among providers of one name; lower wins. */
  default int order() {
    return 0;
  }

  /**
   * Creates the source for a runtime: where its files are comes from the context (home folder,
   * environment, state folder).
   */
  SessionHistorySource create(ProviderContext context);
}
