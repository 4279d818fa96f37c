package dev.overnight.core.decision.internal;

import dev.overnight.api.Availability;
import dev.overnight.api.config.AgentPreferences;
import dev.overnight.api.decision.DecisionExplanation.AgentVerdict;
import dev.overnight.api.decision.DecisionExplanation.Verdict;
import dev.overnight.api.decision.DecisionPath;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Picks the agent for a decision path: the first available one among, in order, {@code
 * agent_preferences.prefer}, the path's own agent, the other agents by id; only agents {@code
 * allow}ed. Says why each other agent was not chosen. Pure; thread-safe.
 */
public final class AgentChooser {
  private final Map<DecisionPath, String> naturalAgents;

  /** A chooser giving each path to its agent before preferences apply. */
  public AgentChooser(Map<DecisionPath, String> naturalAgents) {
    this.naturalAgents = Map.copyOf(naturalAgents);
  }

  /**
   * The agent picked for a path.
   *
   * @param wouldUse the first allowed agent, available or not
   * @param chosen the first available allowed agent, if any
   * @param verdicts every agent considered, with its verdict
   * @param ranking every agent in ranking order (for op hashes)
   */
  public record Choice(
      String wouldUse,
      Optional<String> chosen,
      List<AgentVerdict> verdicts,
      List<String> ranking) {}

  /** Chooses among {@code agents} for {@code path}. */
  public Choice choose(
      DecisionPath path, AgentPreferences prefs, Map<String, Availability> agents) {
    String natural = naturalAgents.get(path);
    Set<String> ranking = new LinkedHashSet<>(prefs.prefer());
    ranking.add(natural);
    ranking.addAll(new TreeMap<>(agents).keySet());
    ranking.addAll(prefs.allow());
    List<AgentVerdict> verdicts = new ArrayList<>();
    String wouldUse = null;
    String chosen = null;
    for (String id : ranking) {
      if (!prefs.allows(id)) {
        verdicts.add(new AgentVerdict(id, Verdict.NOT_ALLOWED, "not in agent_preferences.allow"));
        continue;
      }
      if (wouldUse == null) {
        wouldUse = id;
      }
      if (chosen != null) {
        verdicts.add(
            new AgentVerdict(id, Verdict.NOT_NEEDED, chosen + " ranks higher and is available"));
        continue;
      }
      Availability a = agents.get(id);
      if (a == null) {
        verdicts.add(new AgentVerdict(id, Verdict.UNAVAILABLE, "no provider reported this agent"));
      } else if (!a.available()) {
        verdicts.add(new AgentVerdict(id, Verdict.UNAVAILABLE, a.toString()));
      } else {
        chosen = id;
        verdicts.add(new AgentVerdict(id, Verdict.CHOSEN, rankReason(id, path, prefs)));
      }
    }
    return new Choice(
        wouldUse != null ? wouldUse : natural,
        Optional.ofNullable(chosen),
        verdicts,
        List.copyOf(ranking));
  }

  private String rankReason(String id, DecisionPath path, AgentPreferences prefs) {
    int i = prefs.prefer().indexOf(id);
    if (i >= 0) {
      return "agent_preferences.prefer #" + (i + 1) + ", available";
    }
    if (id.equals(naturalAgents.get(path))) {
      return "the usual agent for " + path.key() + ", available";
    }
    return "allowed and available";
  }

  /** One sentence on the agent chosen, or why none can be. */
  public static String sentence(Choice choice) {
    List<String> rejected =
        choice.verdicts().stream()
            .filter(v -> v.verdict() == Verdict.UNAVAILABLE)
            .map(v -> v.agentId() + " is unavailable: " + v.reason())
            .toList();
    if (choice.chosen().isEmpty()) {
      return "Would use "
          + choice.wouldUse()
          + ", unavailable: "
          + wouldUseReason(choice)
          + (rejected.size() > 1 ? "; no other allowed agent is available either." : ".");
    }
    String chosen = choice.chosen().get();
    AgentVerdict v =
        choice.verdicts().stream()
            .filter(x -> x.agentId().equals(chosen))
            .findFirst()
            .orElseThrow();
    return "Agent: "
        + chosen
        + " ("
        + v.reason()
        + (rejected.isEmpty() ? "" : "; " + String.join("; ", rejected))
        + ").";
  }

  /** Why the agent that would be used is not available. */
  public static String wouldUseReason(Choice choice) {
    return choice.verdicts().stream()
        .filter(v -> v.agentId().equals(choice.wouldUse()))
        .map(AgentVerdict::reason)
        .findFirst()
        .orElse("not allowed");
  }
}
