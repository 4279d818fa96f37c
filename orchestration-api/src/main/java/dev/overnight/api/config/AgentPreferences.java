package dev.overnight.api.config;

import java.util.List;
import java.util.Optional;

/**
 * Which agents may take tasks, and in which order of preference.
 *
 * @param prefer agent ids in order of preference (the first available one wins)
 * @param allow agent ids that may be used at all; empty means every configured agent
 * @since 0.1.0
 */
public record AgentPreferences(List<String> prefer, List<String> allow) {

  /** Copies the lists. */
  public AgentPreferences {
    prefer = List.copyOf(prefer);
    allow = List.copyOf(allow);
  }

  /** No preference, everything allowed. */
  public static AgentPreferences none() {
    return new AgentPreferences(List.of(), List.of());
  }

  /** Whether {@code agentId} may be used. */
  public boolean allows(String agentId) {
    return allow.isEmpty() || allow.contains(agentId);
  }

  /** The most preferred agent that is allowed, if any. */
  public Optional<String> firstPreferred() {
    return prefer.stream().filter(this::allows).findFirst();
  }
}
