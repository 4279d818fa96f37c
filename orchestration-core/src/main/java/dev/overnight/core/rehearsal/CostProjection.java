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
 * @param fit how many of the plan's tasks the night can start, within its cycles' time and its
 *     limits, and what that costs: the projection a night will really come to
 * @since 0.1.0
 */
public record CostProjection(
    NightPlan plan,
    Spend perTask,
    int samples,
    Spend projected,
    SpendingLimit limit,
    List<AgentQuota> quotas,
    Fit fit) {

  /** Validates the components and copies the list. */
  public CostProjection {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(perTask, "perTask");
    Objects.requireNonNull(projected, "projected");
    Objects.requireNonNull(limit, "limit");
    quotas = List.copyOf(quotas);
    Objects.requireNonNull(fit, "fit");
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
        agents.stream().map(a -> new AgentQuota(a, Optional.empty())).toList(),
        Fit.of(n, perTask, limit, NightCapacity.unknown()));
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
    return of(plan, history, limit, agents, windows, now, NightCapacity.unknown());
  }

  /**
   * Projects {@code plan} as {@link #of(NightPlan, List, SpendingLimit, List, List, Instant)} does,
   * and caps it by what the night's cycles can fit ({@code capacity}) and its limits let start.
   */
  public static CostProjection of(
      NightPlan plan,
      List<Task> history,
      SpendingLimit limit,
      List<String> agents,
      List<QuotaWindow> windows,
      Instant now,
      NightCapacity capacity) {
    CostProjection p = of(plan, history, limit, agents);
    return new CostProjection(
        p.plan(),
        p.perTask(),
        p.samples(),
        p.projected(),
        p.limit(),
        agents.stream().map(a -> new AgentQuota(a, remaining(a, windows, now))).toList(),
        Fit.of(plan.tasks(), p.perTask(), limit, capacity));
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
   * How much agent time a night has: its cycles tonight, each at most the time budget, with up to
   * {@code maxConcurrent} tasks at once.
   *
   * @param cycles the cycles due in the next night's window; 0 when unknown
   * @param budgetSeconds each cycle's time budget ({@code time_budget_sec})
   * @param maxConcurrent tasks at once ({@code max_concurrent})
   */
  public record NightCapacity(int cycles, long budgetSeconds, int maxConcurrent) {
    /** Nothing known: the projection is capped by the limits only. */
    public static NightCapacity unknown() {
      return new NightCapacity(0, 0, 0);
    }

    /** The agent seconds the night has, when known. */
    Optional<Long> agentSeconds() {
      return cycles > 0 && budgetSeconds > 0 && maxConcurrent > 0
          ? Optional.of(cycles * budgetSeconds * maxConcurrent)
          : Optional.empty();
    }
  }

  /**
   * What of the plan a night can really start: the plan's tasks, capped by the agent time its
   * cycles have and by the night's limits (a night starts no task once a limit is reached, so the
   * task that crosses it is the last).
   *
   * @param tasks how many tasks the night would start
   * @param bounds what caps it below the plan, in words; empty when the whole plan fits
   * @param spend what those tasks would cost
   */
  public record Fit(int tasks, List<String> bounds, Spend spend) {
    /** Validates the components and copies the list. */
    public Fit {
      bounds = List.copyOf(bounds);
      Objects.requireNonNull(spend, "spend");
    }

    static Fit of(int planned, Spend perTask, SpendingLimit limit, NightCapacity capacity) {
      int fits = planned;
      List<String> bounds = new ArrayList<>();
      Optional<Long> seconds = capacity.agentSeconds();
      if (seconds.isPresent() && perTask.agentSeconds().filter(s -> s > 0).isPresent()) {
        long each = perTask.agentSeconds().get();
        int inTime = (int) Math.min(Integer.MAX_VALUE, Math.max(1, seconds.get() / each));
        if (inTime < fits) {
          fits = inTime;
          bounds.add(
              inTime
                  + " fit in the night's "
                  + capacity.cycles()
                  + (capacity.cycles() == 1 ? " cycle" : " cycles")
                  + " of "
                  + capacity.budgetSeconds()
                  + " s with "
                  + capacity.maxConcurrent()
                  + " at once, at "
                  + each
                  + " s a task");
        }
      }
      fits = capped(fits, perTask.costUsd(), limit.costUsd(), "limits.per_night.cost_usd", bounds);
      fits =
          capped(
              fits,
              perTask.tokens().map(Long::doubleValue),
              limit.tokens().map(Long::doubleValue),
              "limits.per_night.tokens",
              bounds);
      fits =
          capped(
              fits,
              perTask.agentSeconds().map(Long::doubleValue),
              limit.agentSeconds().map(Long::doubleValue),
              "limits.per_night.agent_seconds",
              bounds);
      int n = fits;
      return new Fit(
          n,
          bounds,
          new Spend(
              perTask.costUsd().map(c -> c * n),
              perTask.tokens().map(t -> t * n),
              perTask.agentSeconds().map(s -> s * n)));
    }

    /** The tasks started before {@code cap} is reached: the one that crosses it is the last. */
    private static int capped(
        int fits, Optional<Double> each, Optional<Double> cap, String key, List<String> bounds) {
      if (each.isEmpty() || cap.isEmpty() || each.get() <= 0) {
        return fits;
      }
      int started =
          (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.ceil(cap.get() / each.get())));
      if (started >= fits) {
        return fits;
      }
      bounds.add(key + " stops the night after " + started + (started == 1 ? " task" : " tasks"));
      return started;
    }
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
