package dev.overnight.core.decision;

import dev.overnight.api.decision.DecisionEngine;
import java.util.Objects;
import java.util.Optional;

/**
 * Says what would run next and why, without running anything: gathers the {@link DecisionInputs}
 * (read-only git commands and history files) and asks the engine — any {@link DecisionEngine} — to
 * {@linkplain DecisionEngine#explain explain} its decision. The SDK call behind {@code overnight
 * plan --explain}.
 *
 * <p>Thread-safe; {@link #plan} blocks on git and file reads.
 *
 * @since 0.1.0
 */
public final class DecisionPlanner {
  private final DecisionEngine engine;

  /** A planner over {@code engine}. */
  public DecisionPlanner(DecisionEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /** A planner over the standard {@link HeuristicDecisionEngine}. */
  public static DecisionPlanner standard() {
    return new DecisionPlanner(new HeuristicDecisionEngine());
  }

  /** Gathers {@code inputs} and explains the decision made from them. */
  public PlanReport plan(DecisionInputs inputs) {
    DecisionInputs.Gathered g = inputs.gather();
    if (engine instanceof AgentDecisionEngine agentEngine) {
      // The agent's plan is shown next to the evidence engine's, with where they differ.
      AgentDecisionEngine.Comparison c = agentEngine.compare(g.context());
      return new PlanReport(g.context(), g.report(), c.explanation(), Optional.of(c));
    }
    return new PlanReport(g.context(), g.report(), engine.explain(g.context()));
  }
}
