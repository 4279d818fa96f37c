package dev.overnight.api.decision;

import dev.overnight.api.Availability;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A decision together with how it was reached: which agent would run it and whether it can, every
 * agent considered and why it was or was not chosen, and the candidates passed over because their
 * work is already done. What {@code overnight plan --explain} shows.
 *
 * @param decision what would run next, its {@link Decision#agentId()} the agent it would use; empty
 *     when nothing is left to do
 * @param agent the available agent that would run it; empty when no allowed agent is available
 * @param agents the agents considered, in order of preference, each with its verdict
 * @param passedOver candidates skipped because a task with their op hash already finished
 * @param summary one line saying what would happen
 * @since 0.1.0
 */
public record DecisionExplanation(
    Optional<Decision> decision,
    Optional<String> agent,
    List<AgentVerdict> agents,
    List<PassedOver> passedOver,
    String summary) {

  /** Validates and copies the components. */
  public DecisionExplanation {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(agent, "agent");
    agents = List.copyOf(agents);
    passedOver = List.copyOf(passedOver);
    Objects.requireNonNull(summary, "summary");
  }

  /**
   * The explanation of an engine that says only what it decided: the decision, its agent chosen,
   * every other agent unavailable or not needed as the context says, and nothing passed over.
   * {@link DecisionEngine#explain}'s default.
   *
   * @param decision what {@link DecisionEngine#decide} returned
   * @param context what it was decided from
   */
  public static DecisionExplanation of(Optional<Decision> decision, DecisionContext context) {
    Optional<String> chosen = decision.map(Decision::agentId);
    List<AgentVerdict> verdicts = new ArrayList<>();
    for (Map.Entry<String, Availability> e : context.agents().entrySet()) {
      String id = e.getKey();
      Availability a = e.getValue();
      if (chosen.filter(id::equals).isPresent()) {
        verdicts.add(new AgentVerdict(id, Verdict.CHOSEN, a.reason()));
      } else if (!a.available()) {
        verdicts.add(new AgentVerdict(id, Verdict.UNAVAILABLE, a.toString()));
      } else {
        verdicts.add(new AgentVerdict(id, Verdict.NOT_NEEDED, "another agent was chosen"));
      }
    }
    verdicts.sort(
        java.util.Comparator.comparing((AgentVerdict v) -> v.verdict())
            .thenComparing(v -> v.agentId()));
    String summary =
        decision
            .map(d -> "Next: " + d.title() + " (" + d.agentId() + ")")
            .orElse("Nothing to do: the decision engine proposed no task");
    return new DecisionExplanation(decision, chosen, verdicts, List.of(), summary);
  }

  /** Whether the decision can run now: there is one, and an allowed agent is available for it. */
  public boolean runnable() {
    return decision.isPresent() && agent.isPresent();
  }

  /** The decision, only if it can run now: what {@code DecisionEngine.decide} returns. */
  public Optional<Decision> runnableDecision() {
    return runnable() ? decision : Optional.empty();
  }

  /** How an agent fared in the choice. */
  public enum Verdict {
    /** It runs the task. */
    CHOSEN,
    /** Allowed, but not available here (the reason says why and how to fix it). */
    UNAVAILABLE,
    /** Not in {@code agent_preferences.allow}. */
    NOT_ALLOWED,
    /** Allowed, but an agent ranked higher was chosen. */
    NOT_NEEDED
  }

  /**
   * One agent considered for the decision.
   *
   * @param agentId the agent
   * @param verdict how it fared
   * @param reason why, e.g. the availability's reason, or {@code "first in
   *     agent_preferences.prefer"}
   */
  public record AgentVerdict(String agentId, Verdict verdict, String reason) {
    /** Validates the components. */
    public AgentVerdict {
      Objects.requireNonNull(agentId, "agentId");
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A candidate skipped because its work was already done (completed or failed).
   *
   * @param path the heuristic that proposed it
   * @param file the file it was about, if any
   * @param title its title
   * @param opHash the finished op hash that matched
   */
  public record PassedOver(DecisionPath path, Optional<String> file, String title, String opHash) {
    /** Validates the components. */
    public PassedOver {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(opHash, "opHash");
    }
  }
}
