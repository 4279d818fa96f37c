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
import java.util.function.BiFunction;

/**
 * The agents a coordinator may use, which are parked (after a usage limit, a missing login or
 * repeated start failures) until when, and which one takes a task: its own agent if it has one and
 * may work, else the next allowed one in preference order. Thread-safe.
 */
final class AgentRoster {
  private final Map<String, AgentProvider> providers = new LinkedHashMap<>();
  private final AgentPreferences preferences;
  private final Map<String, Parking> parked = new ConcurrentHashMap<>();
  // Why the quota ledger holds an agent back now, if it does.
  private final BiFunction<String, Instant, Optional<String>> quota;

  /** Why an agent is not used until {@code until}, and what the user can do about it. */
  private record Parking(Instant until, String reason, String remedy) {}

  AgentRoster(
      List<AgentProvider> providers,
      AgentPreferences preferences,
      BiFunction<String, Instant, Optional<String>> quota) {
    providers.forEach(p -> this.providers.put(p.id(), p));
    this.preferences = preferences;
    this.quota = quota;
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
    Parking parking = parked.get(id);
    if (parking != null && now.isBefore(parking.until())) {
      return Availability.unavailable(
          id + " " + parking.reason() + "; parked until " + parking.until(), parking.remedy());
    }
    Optional<String> held = quota.apply(id, now);
    if (held.isPresent()) {
      return Availability.unavailable(
          id + " " + held.get(), "wait for the reset, or lower limits.leave_for_morning");
    }
    try {
      return p.availability();
    } catch (RuntimeException e) {
      return Availability.unavailable(
          id + " could not tell whether it is available: " + e, "run overnight doctor");
    }
  }

  /** Exactly this agent, if it may work now. */
  Optional<AgentProvider> exactly(String id, Instant now) {
    return providers.containsKey(id) && availabilityOf(id, now).available()
        ? Optional.of(providers.get(id))
        : Optional.empty();
  }

  /** The agent to pick, one not in {@code avoid} when any such may work now. */
  Optional<AgentProvider> pickAvoiding(Set<String> avoid, Instant now) {
    Set<String> order = new LinkedHashSet<>(preferences.prefer());
    order.addAll(providers.keySet());
    order.removeAll(avoid);
    for (String id : order) {
      if (providers.containsKey(id) && availabilityOf(id, now).available()) {
        return Optional.of(providers.get(id));
      }
    }
    return pick(Optional.empty(), now);
  }

  /** The ids of every agent the runtime has. */
  Set<String> ids() {
    return Set.copyOf(providers.keySet());
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

  /**
   * Leaves {@code agentId} alone until {@code until}; the later of two parkings wins, with its
   * reason.
   *
   * @param reason what happened, worded to follow the agent's id ("hit a usage limit")
   * @param remedy what the user can do about it
   */
  void park(String agentId, Instant until, String reason, String remedy) {
    parked.merge(
        agentId,
        new Parking(until, reason, remedy),
        (a, b) -> a.until().isAfter(b.until()) ? a : b);
  }

  /**
   * Every agent's availability in words, one agent after another: {@code claude-code: …; codex: …},
   * for messages a person reads.
   */
  String describe(Instant now) {
    if (providers.isEmpty()) {
      return "no agent is configured";
    }
    // The agents the allow list rules out are not news; they are named only when none is left.
    boolean anyAllowed = providers.keySet().stream().anyMatch(preferences::allows);
    StringBuilder sb = new StringBuilder();
    availability(now)
        .forEach(
            (id, a) -> {
              if (anyAllowed && !preferences.allows(id)) {
                return;
              }
              if (sb.length() > 0) {
                sb.append("; ");
              }
              sb.append(a.reason().startsWith(id) ? "" : id + ": ").append(a);
            });
    return sb.toString();
  }
}
