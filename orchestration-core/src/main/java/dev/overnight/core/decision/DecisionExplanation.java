package dev.overnight.core.decision;

import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionPath;
import java.util.List;
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
