package dev.overnight.api.agent;

import java.util.List;

/**
 * The agents Overnight knows by id without any configuration. A configuration may name them in
 * {@code agent_preferences} and tune them under {@code agents}; the module that runs them ({@code
 * orchestration-agents-acp}) provides them.
 *
 * @since 0.1.0
 */
public final class BuiltInAgents {
  /** Claude Code, through the {@code claude-agent-acp} adapter. */
  public static final String CLAUDE_CODE = "claude-code";

  /** Codex, through the {@code codex-acp} adapter. */
  public static final String CODEX = "codex";

  /** Gemini CLI, in its ACP mode. */
  public static final String GEMINI = "gemini";

  /** Every built-in id, in the order Overnight prefers them by default. */
  public static final List<String> IDS = List.of(CLAUDE_CODE, CODEX, GEMINI);

  /** The Maven coordinates of the module that provides them. */
  public static final String MODULE = "dev.overnight:orchestration-agents-acp";

  private BuiltInAgents() {}
}
