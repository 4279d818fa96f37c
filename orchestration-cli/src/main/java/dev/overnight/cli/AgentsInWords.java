package dev.overnight.cli;

import dev.overnight.api.Availability;
import dev.overnight.api.config.OrchestrationConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The agents' availability said for people, one agent after another, never as a Java map. */
final class AgentsInWords {
  private AgentsInWords() {}

  /**
   * Why no allowed agent can work, when none can: {@code no allowed agent is available: codex:
   * command not found: codex-acp (…)}; empty when one can.
   */
  static Optional<String> noneAvailable(
      OrchestrationConfig config, Map<String, Availability> agents) {
    List<String> why = new ArrayList<>();
    for (Map.Entry<String, Availability> e : agents.entrySet()) {
      if (!config.agentPreferences().allows(e.getKey())) {
        continue;
      }
      if (e.getValue().available()) {
        return Optional.empty();
      }
      String reason = e.getValue().toString();
      why.add(reason.startsWith(e.getKey()) ? reason : e.getKey() + ": " + reason);
    }
    return Optional.of(
        "no allowed agent is available: "
            + (why.isEmpty()
                ? "agent_preferences.allow names no configured agent"
                : String.join("; ", why)));
  }
}
