package dev.overnight.core.decision;

import dev.overnight.api.Availability;
import dev.overnight.api.config.OrchestrationConfig;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;

/**
 * Says what would run next and why, without running anything: gathers the {@link DecisionInputs}
 * (read-only git commands and history files) and asks the engine to {@linkplain
 * HeuristicDecisionEngine#explain explain} its decision. The SDK call behind {@code overnight plan
 * --explain}.
 *
 * <p>Thread-safe; {@link #plan} blocks on git and file reads.
 */
public final class DecisionPlanner {
  private final HeuristicDecisionEngine engine;

  /** A planner over {@code engine}. */
  public DecisionPlanner(HeuristicDecisionEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /** A planner over the standard {@link HeuristicDecisionEngine}. */
  public static DecisionPlanner standard() {
    return new DecisionPlanner(new HeuristicDecisionEngine());
  }

  /** Gathers {@code inputs} and explains the decision made from them. */
  public Plan plan(DecisionInputs inputs) {
    DecisionInputs.Gathered g = inputs.gather();
    return new Plan(g.context(), g.report(), engine.explain(g.context()));
  }

  /**
   * Explains the next decision for {@code config} with the standard engine and inputs: the
   * workspace's git history, the configured history sources in their default places, and {@code
   * agents}' availability; no task counts as finished.
   */
  public static Plan explain(
      OrchestrationConfig config, Map<String, Availability> agents, InstantSource clock) {
    return standard().plan(DecisionInputs.builder(config, clock).agents(agents).build());
  }
}
