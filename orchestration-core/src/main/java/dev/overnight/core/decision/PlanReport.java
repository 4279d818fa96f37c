package dev.overnight.core.decision;

import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.DecisionExplanation;
import dev.overnight.core.decision.internal.PlanRenderer;
import java.util.Objects;
import java.util.Optional;

/**
 * What would run next and why: the explained decision, the context it was made from, and what was
 * read to build that context. Produced by {@link DecisionPlanner}; rendered by {@code overnight
 * plan --explain}.
 *
 * @param context what the engine saw
 * @param inputs what was read to build it
 * @param explanation the decision and how it was reached
 * @param agentPlan when an agent planned ({@code decision.engine: "agent"}): its plan next to the
 *     evidence engine's choice, and where they differ
 * @since 0.1.0
 */
public record PlanReport(
    DecisionContext context,
    DecisionInputs.Report inputs,
    DecisionExplanation explanation,
    Optional<AgentDecisionEngine.Comparison> agentPlan) {

  /** Validates the components. */
  public PlanReport {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(explanation, "explanation");
    Objects.requireNonNull(agentPlan, "agentPlan");
  }

  /** A report of an engine that plans without an agent. */
  public PlanReport(
      DecisionContext context, DecisionInputs.Report inputs, DecisionExplanation explanation) {
    this(context, inputs, explanation, Optional.empty());
  }

  /** The plan as plain text for a terminal, ending with a newline. */
  public String toText() {
    return PlanRenderer.text(this);
  }

  /** The plan as a pretty-printed JSON object (snake_case keys), ending with a newline. */
  public String toJson() {
    return PlanRenderer.json(this);
  }
}
