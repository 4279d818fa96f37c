package dev.overnight.acp;

import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentProviderFactory;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.OrchestrationConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Contributes the ACP agents for a configuration: {@code claude-code}, {@code codex} and {@code
 * gemini} (an {@code agents} entry with one of these ids replaces its default command), plus one
 * plain ACP agent per other {@code agents} entry. A session that stays silent for the config's
 * {@code stuck_after_sec} during a turn is cancelled. Found through {@link
 * java.util.ServiceLoader}; creating providers starts nothing.
 */
public final class AcpAgentProviderFactory implements AgentProviderFactory {
  private static final List<String> BUILT_IN = List.of("claude-code", "codex", "gemini");

  /** Creates the factory (for {@link java.util.ServiceLoader}). */
  public AcpAgentProviderFactory() {}

  @Override
  public String name() {
    return "acp";
  }

  @Override
  public List<AgentProvider> create(OrchestrationConfig config) {
    Map<String, AgentCommand> agents = config.agents();
    List<AgentProvider> providers = new ArrayList<>();
    for (String id : BUILT_IN) {
      providers.add(provider(id, agents.get(id), config));
    }
    for (Map.Entry<String, AgentCommand> e : agents.entrySet()) {
      if (!BUILT_IN.contains(e.getKey())) {
        providers.add(provider(e.getKey(), e.getValue(), config));
      }
    }
    return providers;
  }

  private static AgentProvider provider(String id, AgentCommand command, OrchestrationConfig c) {
    AcpAgentProvider.Builder b = AcpAgentProvider.builder(id);
    if (command != null) {
      b.agentCommand(command);
    }
    if (c.limits().stuckAfterSec() > 0) {
      b.silenceTimeout(Duration.ofSeconds(c.limits().stuckAfterSec()));
    }
    return b.build();
  }
}
