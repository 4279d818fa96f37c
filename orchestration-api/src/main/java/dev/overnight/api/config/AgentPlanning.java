package dev.overnight.api.config;

import java.util.Objects;
import java.util.Optional;

/**
 * How the agent decision engine ({@code decision.engine: "agent"}) plans a night: which agent ranks
 * the evidence, what one planning run may spend, and how many tasks a plan may hold. A planning
 * run's use counts in the night's {@link Limits#perNight() limits} like any task's.
 *
 * @param agent the agent that plans, by id ({@code decision.agent}); required when the engine is
 *     {@code agent}
 * @param budget what one planning run may use ({@code decision.planning_budget}): tokens, cost and
 *     seconds; past it the run is stopped and the evidence engine's plan is used instead
 * @param maxTasks how many tasks of a plan are kept at most ({@code decision.max_planned_tasks});
 *     the rest are dropped with that reason
 * @since 0.1.0
 */
public record AgentPlanning(Optional<String> agent, SpendingLimit budget, int maxTasks) {

  /** How long a planning run may take unless configured: five minutes. */
  public static final long DEFAULT_SECONDS = 300;

  /** How many tasks a plan keeps unless configured. */
  public static final int DEFAULT_MAX_TASKS = 5;

  /** The most tasks a plan may be configured to keep. */
  public static final int MAX_TASKS = 20;

  /** Validates the components. */
  public AgentPlanning {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(budget, "budget");
    if (maxTasks < 1 || maxTasks > MAX_TASKS) {
      throw new IllegalArgumentException(
          "maxTasks must be within 1.." + MAX_TASKS + ", was " + maxTasks);
    }
  }

  /** No agent named, five minutes per run, five tasks. */
  public static AgentPlanning defaults() {
    return new AgentPlanning(
        Optional.empty(),
        new SpendingLimit(Optional.empty(), Optional.empty(), Optional.of(DEFAULT_SECONDS)),
        DEFAULT_MAX_TASKS);
  }

  /** The time one planning run may take: the budget's seconds, else the default. */
  public java.time.Duration timeBudget() {
    return java.time.Duration.ofSeconds(budget.agentSeconds().orElse(DEFAULT_SECONDS));
  }
}
