package dev.overnight.api.agent;

import java.util.List;

/**
 * What an agent provider offers, as far as known before a session starts.
 *
 * @param loadSession sessions can be resumed with their history
 * @param imagePrompts prompts may carry images
 * @param reportsUsage the agent reports tokens or cost
 * @param modes session modes the agent is known to offer (e.g. {@code default}, {@code plan})
 * @since 0.1.0
 */
public record AgentCapabilities(
    boolean loadSession, boolean imagePrompts, boolean reportsUsage, List<String> modes) {

  /** Copies the modes. */
  public AgentCapabilities {
    modes = List.copyOf(modes);
  }

  /** Nothing known beyond the protocol's baseline. */
  public static AgentCapabilities baseline() {
    return new AgentCapabilities(false, false, false, List.of());
  }
}
