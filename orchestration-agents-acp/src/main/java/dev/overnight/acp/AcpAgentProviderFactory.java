package dev.overnight.acp;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentProviderFactory;
import dev.overnight.api.agent.BuiltInAgents;
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
 * {@code stuck_after_sec} during a turn is cancelled. Agents' commands run in the sandbox {@code
 * permissions.sandbox} asks for, with the network if {@code permissions.allow_network} allows it,
 * and never see the runtime's state folder. The providers take time from the runtime's time source
 * and start agents with the runtime's environment. Found through {@link java.util.ServiceLoader};
 * creating providers starts nothing.
 *
 * @since 0.1.0
 */
public final class AcpAgentProviderFactory implements AgentProviderFactory {
  /** Creates the factory (for {@link java.util.ServiceLoader}). */
  public AcpAgentProviderFactory() {}

  @Override
  public String name() {
    return "acp";
  }

  @Override
  public List<AgentProvider> create(ProviderContext context) {
    Map<String, AgentCommand> agents = context.config().agents();
    List<AgentProvider> providers = new ArrayList<>();
    for (String id : BuiltInAgents.IDS) {
      providers.add(provider(id, agents.get(id), context));
    }
    for (Map.Entry<String, AgentCommand> e : agents.entrySet()) {
      if (!BuiltInAgents.IDS.contains(e.getKey())) {
        providers.add(provider(e.getKey(), e.getValue(), context));
      }
    }
    return providers;
  }

  private static AgentProvider provider(String id, AgentCommand command, ProviderContext context) {
    OrchestrationConfig c = context.config();
    AcpAgentProvider.Builder b =
        AcpAgentProvider.builder(id)
            .timeSource(context.timeSource())
            .baseEnvironment(context.environment())
            .sandboxMode(c.permissions().sandbox())
            .allowNetwork(c.permissions().allowNetwork())
            .hiddenPath(context.stateDirectory());
    if (command != null) {
      b.agentCommand(command);
    }
    if (c.limits().stuckAfterSec() > 0) {
      b.silenceTimeout(Duration.ofSeconds(c.limits().stuckAfterSec()));
    }
    return b.build();
  }
}
