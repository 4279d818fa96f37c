package dev.overnight.core.decision.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.decision.SessionHistorySourceProvider;
import dev.overnight.core.decision.CodexHistory;

/**
 * Codex's local session history ({@code CODEX_HOME}, else {@code ~/.codex}). Found through {@link
 * java.util.ServiceLoader}.
 */
public final class CodexHistoryProvider implements SessionHistorySourceProvider {
  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public CodexHistoryProvider() {}

  @Override
  public String name() {
    return "codex";
  }

  @Override
  public SessionHistorySource create(ProviderContext context) {
    return CodexHistory.forUser(context.homeDirectory(), context.environment());
  }
}
