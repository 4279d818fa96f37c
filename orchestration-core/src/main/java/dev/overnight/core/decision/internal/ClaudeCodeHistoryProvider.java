package dev.overnight.core.decision.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.decision.SessionHistorySourceProvider;
import dev.overnight.core.decision.ClaudeCodeHistory;

/**
 * Claude Code's local session history ({@code CLAUDE_CONFIG_DIR}, else {@code ~/.claude}). Found
 * through {@link java.util.ServiceLoader}.
 */
public final class ClaudeCodeHistoryProvider implements SessionHistorySourceProvider {
  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public ClaudeCodeHistoryProvider() {}

  @Override
  public String name() {
    return "claude-code";
  }

  @Override
  public SessionHistorySource create(ProviderContext context) {
    return ClaudeCodeHistory.forUser(context.homeDirectory(), context.environment());
  }
}
