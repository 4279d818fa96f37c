package dev.overnight.core.rehearsal;

import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * What tonight's plan is expected to cost, against the night's limits ({@code limits.per_night}),
 * and what is known of each agent's remaining quota.
 *
 * <p>The per-task estimate is the mean of what completed tasks cost, read from their recorded facts
 * ({@code cost_usd}, {@code tokens}, {@code agent_seconds}), each measure over the tasks that
 * recorded it; a measure no completed task recorded is unknown, and so is its projection.
 *
 * @param plan what tonight is expected to start
 * @param perTask the estimate for one task
 * @param samples how many completed tasks the estimate is drawn from
 * @param projected {@code perTask} times the plan's tasks
 * @param limit the night's caps
 * @param quotas each allowed agent's remaining quota
 * @since 0.1.0
 */
public record CostProjection(
    NightPlan plan,
    Spend perTask,
    int samples,
    Spend projected,
    SpendingLimit limit,
    List<AgentQuota> quotas) {

  /** Validates the components and copies the list. */
  public CostProjection {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(perTask, "perTask");
    Objects.requireNonNull(projected, "projected");
    Objects.requireNonNull(limit, "limit");
    quotas = List.copyOf(quotas);
  }

  /**
   * Projects {@code plan} from the completed tasks of {@code history} against {@code limit}.
   *
   * @param agents the allowed agents, whose quota is reported
   */
  public static CostProjection of(
      NightPlan plan, List<Task> history, SpendingLimit limit, List<String> agents) {
    Spend perTask =
        new Spend(
            mean(history, t -> TaskFacts.COST_USD.from(t).orElse(null)),
            mean(history, t -> TaskFacts.TOKENS.from(t).map(Long::doubleValue).orElse(null))
                .map(Math::round),
            mean(history, t -> TaskFacts.AGENT_SECONDS.from(t).map(Long::doubleValue).orElse(null))
                .map(Math::round));
    int samples =
        (int)
            history.stream()
                .filter(
                    t ->
                        TaskFacts.COST_USD.from(t).isPresent()
                            || TaskFacts.TOKENS.from(t).isPresent()
                            || TaskFacts.AGENT_SECONDS.from(t).isPresent())
                .count();
    int n = plan.tasks();
    Spend projected =
        new Spend(
            perTask.costUsd().map(c -> c * n),
            perTask.tokens().map(t -> t * n),
            perTask.agentSeconds().map(s -> s * n));
    return new CostProjection(
        plan,
        perTask,
        samples,
        projected,
        limit,
        agents.stream().map(a -> new AgentQuota(a, Optional.empty())).toList());
  }

  /**
   * Projects {@code plan} as {@link #of(NightPlan, List, SpendingLimit, List)} does, with each
   * agent's remaining quota read from the quota ledger's windows at {@code now}.
   */
  public static CostProjection of(
      NightPlan plan,
      List<Task> history,
      SpendingLimit limit,
      List<String> agents,
      List<QuotaWindow> windows,
      Instant now) {
    CostProjection p = of(plan, history, limit, agents);
    return new CostProjection(
        p.plan(),
        p.perTask(),
        p.samples(),
        p.projected(),
        p.limit(),
        agents.stream().map(a -> new AgentQuota(a, remaining(a, windows, now))).toList());
  }

  /** What the ledger knows is left of the agent's window open at {@code now}, in words. */
  private static Optional<String> remaining(String agent, List<QuotaWindow> windows, Instant now) {
    return windows.stream()
        .filter(w -> w.agentId().equals(agent))
        .filter(w -> !w.start().isAfter(now) && w.openAt(now))
        .reduce((a, b) -> b)
        .map(
            w -> {
              String until = w.resetsAt().map(r -> " until " + r).orElse("");
              if (w.exhausted()) {
                return "none: the window is spent" + until;
              }
              if (w.limitTokens().isPresent()) {
                long left = Math.max(0, w.limitTokens().getAsLong() - w.usedTokens());
                return left + " of " + w.limitTokens().getAsLong() + " tokens" + until;
              }
              return w.usedTokens() + " tokens used so far" + until + "; the window's size unknown";
            });
  }

  private static Optional<Double> mean(List<Task> tasks, Function<Task, Double> measure) {
    OptionalDouble m =
        tasks.stream().map(measure).filter(Objects::nonNull).mapToDouble(d -> d).average();
    return m.isPresent() ? Optional.of(m.getAsDouble()) : Optional.empty();
  }

  /**
   * The caps the projection goes over, in words, e.g. {@code cost $12.00 > $10.00}; empty when it
   * stays within all of them, or when what it would go over is unknown.
   */
  public List<String> overruns() {
    List<String> over = new ArrayList<>();
    if (projected.costUsd().isPresent()
        && limit.costUsd().isPresent()
        && projected.costUsd().get() > limit.costUsd().get()) {
      over.add(
          String.format(
              Locale.ROOT,
              "cost $%.2f > limits.per_night.cost_usd $%.2f",
              projected.costUsd().get(),
              limit.costUsd().get()));
    }
    if (projected.tokens().isPresent()
        && limit.tokens().isPresent()
        && projected.tokens().get() > limit.tokens().get()) {
      over.add(
          "tokens "
              + projected.tokens().get()
              + " > limits.per_night.tokens "
              + limit.tokens().get());
    }
    if (projected.agentSeconds().isPresent()
        && limit.agentSeconds().isPresent()
        && projected.agentSeconds().get() > limit.agentSeconds().get()) {
      over.add(
          "agent seconds "
              + projected.agentSeconds().get()
              + " > limits.per_night.agent_seconds "
              + limit.agentSeconds().get());
    }
    return List.copyOf(over);
  }

  /**
   * An amount of use; an empty measure is unknown.
   *
   * @param costUsd US dollars
   * @param tokens input plus output tokens
   * @param agentSeconds wall-clock seconds of agents' work
   */
  public record Spend(
      Optional<Double> costUsd, Optional<Long> tokens, Optional<Long> agentSeconds) {
    /** Validates the components. */
    public Spend {
      Objects.requireNonNull(costUsd, "costUsd");
      Objects.requireNonNull(tokens, "tokens");
      Objects.requireNonNull(agentSeconds, "agentSeconds");
    }
  }

  /**
   * What is left of an agent's quota.
   *
   * @param agent the agent's id
   * @param remaining what is left, in the agent's own terms; empty when unknown
   */
  public record AgentQuota(String agent, Optional<String> remaining) {
    /** Validates the components. */
    public AgentQuota {
      Objects.requireNonNull(agent, "agent");
      Objects.requireNonNull(remaining, "remaining");
    }
  }
}
