package dev.overnight.core.coordinator;

import dev.overnight.api.Availability;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.config.AgentPreferences;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents a coordinator may use, which are parked (after a usage limit) until when, and which
 * one takes a task: its own agent if it has one and may work, else the next allowed one in
 * preference order. Thread-safe.
 */
final class AgentRoster {
  private final Map<String, AgentProvider> providers = new LinkedHashMap<>();
  private final AgentPreferences preferences;
  private final Map<String, Instant> parkedUntil = new ConcurrentHashMap<>();

  AgentRoster(List<AgentProvider> providers, AgentPreferences preferences) {
    providers.forEach(p -> this.providers.put(p.id(), p));
    this.preferences = preferences;
  }

  /** Every agent's availability now: allow list, parking and the provider's own check. */
  Map<String, Availability> availability(Instant now) {
    Map<String, Availability> out = new LinkedHashMap<>();
    providers.forEach((id, p) -> out.put(id, availabilityOf(id, now)));
    return out;
  }

  Availability availabilityOf(String id, Instant now) {
    AgentProvider p = providers.get(id);
    if (p == null) {
      return Availability.unavailable(
          "no provider for agent " + id,
          "add dev.overnight:orchestration-agents-acp, or define it under \"agents\" in the config");
    }
    if (!preferences.allows(id)) {
      return Availability.unavailable(
          id + " is not in agent_preferences.allow", "add it to the allow list");
    }
    Instant until = parkedUntil.get(id);
    if (until != null && now.isBefore(until)) {
      return Availability.unavailable(
          id + " hit a usage limit; parked until " + until, "wait for the reset");
    }
    try {
      return p.availability();
    } catch (RuntimeException e) {
      return Availability.unavailable(
          id + " could not tell whether it is available: " + e, "run overnight doctor");
    }
  }

  /** The agent for a task, if any may work now. */
  Optional<AgentProvider> pick(Optional<String> wanted, Instant now) {
    Set<String> order = new LinkedHashSet<>();
    wanted.ifPresent(order::add);
    order.addAll(preferences.prefer());
    order.addAll(providers.keySet());
    for (String id : order) {
      if (providers.containsKey(id) && availabilityOf(id, now).available()) {
        return Optional.of(providers.get(id));
      }
    }
    return Optional.empty();
  }

  void park(String agentId, Instant until) {
    parkedUntil.merge(agentId, until, (a, b) -> a.isAfter(b) ? a : b);
  }
}
