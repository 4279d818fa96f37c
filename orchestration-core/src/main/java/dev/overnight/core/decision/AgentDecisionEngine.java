package dev.overnight.core.decision;

import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.BuiltInAgents;
import dev.overnight.api.config.AgentPlanning;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.Candidate;
import dev.overnight.api.decision.CandidateKind;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionExplanation;
import dev.overnight.api.decision.DecisionExplanation.PassedOver;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.decision.DecisionUsage;
import dev.overnight.api.decision.Exclusion;
import dev.overnight.api.decision.Signal;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.decision.AgentPlan.DroppedTask;
import dev.overnight.core.decision.AgentPlan.PlannedTask;
import dev.overnight.core.decision.internal.AgentChooser;
import dev.overnight.core.decision.internal.PlanAnswers;
import dev.overnight.core.decision.internal.PlanPrompt;
import dev.overnight.core.decision.internal.PlanningRun;
import dev.overnight.core.decision.internal.RepositoryGuide;
import dev.overnight.core.pipeline.PipelineProposals;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The decision engine that asks an agent for the night's plan ({@code decision.engine: "agent"}):
 * the candidates the evidence sources found, with their evidence, the goals and focus, the recent
 * commits, the repository's guidance files and what is already queued or done go to the configured
 * agent ({@code decision.agent}) in a {@linkplain dev.overnight.api.agent.SessionRequest#readOnly()
 * read-only} session, which answers with a ranked plan as JSON ({@code plan-answer.schema.json}).
 *
 * <p><b>Validation.</b> Every task of the answer is checked before anything is queued (see {@link
 * AgentPlan}): the schema, files that exist, in focus and not excluded, no repeat of queued or
 * finished work (by op hash), the count and size limits. What fails is dropped with its reason. The
 * agent cannot choose who runs a task: agents are chosen as by {@link EvidenceDecisionEngine}.
 *
 * <p><b>Fallback.</b> When the agent is unavailable or fails, its answer is not a plan, the run
 * passes its budget (time, tokens or cost: {@code decision.planning_budget}), or every task of the
 * plan is taken, the {@link EvidenceDecisionEngine} decides instead, and the explanation says why.
 *
 * <p><b>Cost.</b> A night plans once: the plan (or the reason it could not be used) is kept per
 * HEAD and inputs (candidates, exclusions, goals, focus, agent), and each decision takes the next
 * task of it not yet taken. A planning run's use is {@linkplain #takeUsage() reported} to the
 * coordinator, which counts it in the night's limits.
 *
 * <p>Thread-safe: planning runs one at a time. {@link #decide} blocks through a planning run (at
 * most the time budget) when the inputs are new, and is quick otherwise.
 *
 * @since 0.1.0
 */
public final class AgentDecisionEngine implements DecisionEngine {
  /** The name {@code decision.engine} uses. */
  public static final String NAME = "agent";

  /** How many plans are kept (a runtime sees a handful of HEADs at most between restarts). */
  private static final int CACHED_PLANS = 8;

  private final AgentPlanning settings;
  private final Function<String, Optional<AgentProvider>> agents;
  private final TimeSource time;
  private final List<Path> hiddenPaths;
  private final EvidenceDecisionEngine evidence = new EvidenceDecisionEngine();
  private final AgentChooser chooser =
      new AgentChooser(
          Map.of(
              DecisionPath.TESTS, BuiltInAgents.CODEX,
              DecisionPath.REFACTOR, BuiltInAgents.CLAUDE_CODE,
              DecisionPath.EXPLORATION, BuiltInAgents.CLAUDE_CODE));

  private final Object lock = new Object();
  // Guarded by lock.
  private final Map<String, AgentPlan> plans =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AgentPlan> eldest) {
          return size() > CACHED_PLANS;
        }
      };
  private DecisionUsage unreported = DecisionUsage.NONE;

  /**
   * An engine planning as {@code settings} says.
   *
   * @param agents the runtime's agents by id
   * @param time the runtime's clock: the planning time budget runs on it
   * @param hiddenPaths folders the planning agent must not see (the state folder)
   */
  public AgentDecisionEngine(
      AgentPlanning settings,
      Function<String, Optional<AgentProvider>> agents,
      TimeSource time,
      List<Path> hiddenPaths) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.agents = Objects.requireNonNull(agents, "agents");
    this.time = Objects.requireNonNull(time, "time");
    this.hiddenPaths = List.copyOf(hiddenPaths);
  }

  @Override
  public boolean usesCandidates() {
    return true;
  }

  @Override
  public Optional<Decision> decide(DecisionContext context) {
    return explain(context).runnableDecision();
  }

  @Override
  public DecisionExplanation explain(DecisionContext context) {
    return compare(context).explanation();
  }

  @Override
  public DecisionUsage takeUsage() {
    synchronized (lock) {
      DecisionUsage u = unreported;
      unreported = DecisionUsage.NONE;
      return u;
    }
  }

  /**
   * A decision from the agent's plan next to the evidence engine's, as {@code plan --explain} shows
   * them.
   *
   * @param explanation what this engine decided: from the agent's plan, or the evidence engine's
   *     with the reason the plan was not used
   * @param evidence what the evidence engine alone would decide
   * @param plan the agent's plan, its dropped tasks and why it was not used, if it was not
   */
  public record Comparison(
      DecisionExplanation explanation, DecisionExplanation evidence, AgentPlan plan) {
    /** Validates the components. */
    public Comparison {
      Objects.requireNonNull(explanation, "explanation");
      Objects.requireNonNull(evidence, "evidence");
      Objects.requireNonNull(plan, "plan");
    }

    /** Whether the agent's choice differs from the evidence engine's. */
    public boolean differs() {
      return !explanation
          .decision()
          .map(Decision::prompt)
          .equals(evidence.decision().map(Decision::prompt));
    }
  }

  /** Decides from the agent's plan (planning first when the inputs are new) and compares. */
  public Comparison compare(DecisionContext context) {
    DecisionExplanation byEvidence = evidence.explain(context);
    AgentPlan plan = plan(context);
    if (!plan.used()) {
      return new Comparison(fallBack(byEvidence, plan), byEvidence, plan);
    }
    List<PassedOver> passedOver = new ArrayList<>();
    List<DroppedTask> taken = new ArrayList<>();
    for (PlannedTask t : plan.tasks()) {
      Optional<PipelineProposals.Outcome> pipeline =
          t.pipeline()
              .map(p -> PipelineProposals.check(p, context.config(), context.agents().keySet()));
      if (pipeline.filter(PipelineProposals.Refused.class::isInstance).isPresent()) {
        taken.add(
            new DroppedTask(
                t.rank(),
                t.title(),
                "pipeline "
                    + t.pipeline().orElseThrow().pipeline()
                    + " refused: "
                    + ((PipelineProposals.Refused) pipeline.get()).reason()));
        continue;
      }
      Optional<PipelineProposals.Accepted> accepted =
          pipeline.map(PipelineProposals.Accepted.class::cast);
      String prompt = accepted.map(PipelineProposals.Accepted::prompt).orElseGet(() -> promptOf(t));
      AgentChooser.Choice choice =
          chooser.choose(t.kind().path(), context.config().agentPreferences(), context.agents());
      Optional<String> done = finished(context, prompt, choice);
      if (done.isPresent()) {
        passedOver.add(
            new PassedOver(t.kind().path(), t.files().stream().findFirst(), t.title(), done.get()));
        taken.add(
            new DroppedTask(
                t.rank(),
                t.title(),
                "already queued, running or done (op hash " + done.get() + ")"));
        continue;
      }
      Decision d = decision(context, plan, t, prompt, choice, accepted);
      String summary =
          d.path().key()
              + ": "
              + d.title()
              + " (rank "
              + t.rank()
              + " of "
              + plan.agent()
              + "'s plan)"
              + choice
                  .chosen()
                  .map(a -> ", with " + a)
                  .orElse(
                      ", would use "
                          + choice.wouldUse()
                          + ", unavailable because "
                          + AgentChooser.wouldUseReason(choice));
      return new Comparison(
          new DecisionExplanation(
              Optional.of(d), choice.chosen(), choice.verdicts(), passedOver, summary),
          byEvidence,
          plan.droppingAlso(taken));
    }
    AgentPlan exhausted =
        plan.droppingAlso(taken)
            .fallingBack("every task of " + plan.agent() + "'s plan is already queued or done");
    return new Comparison(fallBack(byEvidence, exhausted), byEvidence, exhausted);
  }

  /** The evidence engine's explanation, saying why the agent's plan was not used. */
  private static DecisionExplanation fallBack(DecisionExplanation byEvidence, AgentPlan plan) {
    String why = "agent plan not used (" + plan.fallbackReason().orElse("") + ")";
    Optional<Decision> decision =
        byEvidence
            .decision()
            .map(
                d ->
                    new Decision(
                        d.title(),
                        d.prompt(),
                        d.agentId(),
                        d.priority(),
                        d.path(),
                        d.targetFile(),
                        d.rationale() + " Decided by the evidence engine: " + why + ".",
                        d.confidence(),
                        withSignal(d.signals(), new Signal("agent_plan_fallback", why, 0)),
                        d.estimatedDuration(),
                        d.metadata()));
    return new DecisionExplanation(
        decision,
        byEvidence.agent(),
        byEvidence.agents(),
        byEvidence.passedOver(),
        "evidence engine, " + why + ": " + byEvidence.summary());
  }

  private static List<Signal> withSignal(List<Signal> signals, Signal more) {
    List<Signal> all = new ArrayList<>(signals);
    all.add(more);
    return all;
  }

  /** The plan for these inputs: kept from earlier, or made now. */
  private AgentPlan plan(DecisionContext context) {
    Optional<String> agentId = settings.agent();
    if (agentId.isEmpty()) {
      return notPlanned("none", "decision.agent names no agent to plan with");
    }
    Optional<AgentProvider> agent = agents.apply(agentId.get());
    if (agent.isEmpty()) {
      return notPlanned(agentId.get(), agentId.get() + " is not an agent of this runtime");
    }
    Path workspace = context.config().workspaceRoot().path();
    RepositoryGuide guide = RepositoryGuide.read(workspace);
    String key = key(context, guide, agentId.get());
    synchronized (lock) {
      AgentPlan known = plans.get(key);
      if (known != null) {
        // A plan made earlier tonight stands even if its planner has since become unavailable.
        return known.fromCache();
      }
      if (!agent.get().availability().available()) {
        return notPlanned(
            agentId.get(), agentId.get() + " is unavailable: " + agent.get().availability());
      }
      String prompt = PlanPrompt.of(context, guide, settings.maxTasks());
      long promptBytes = prompt.getBytes(StandardCharsets.UTF_8).length;
      PlanningRun.Outcome outcome =
          new PlanningRun(
                  agent.get(),
                  workspace,
                  hiddenPaths,
                  settings.budget(),
                  settings.timeBudget(),
                  time)
              .run(prompt);
      unreported = unreported.plus(outcome.usage());
      AgentPlan plan;
      if (outcome.failure().isPresent()) {
        plan =
            new AgentPlan(
                agentId.get(),
                outcome.failure(),
                List.of(),
                List.of(),
                outcome.usage(),
                promptBytes,
                false);
      } else {
        PlanAnswers.Result read = PlanAnswers.read(outcome.answer().orElse(""), rules(context));
        if (read instanceof PlanAnswers.Plan p) {
          plan =
              new AgentPlan(
                  agentId.get(),
                  Optional.empty(),
                  p.kept(),
                  p.dropped(),
                  outcome.usage(),
                  promptBytes,
                  false);
        } else {
          plan =
              new AgentPlan(
                  agentId.get(),
                  Optional.of(((PlanAnswers.Invalid) read).reason()),
                  List.of(),
                  List.of(),
                  outcome.usage(),
                  promptBytes,
                  false);
        }
      }
      plans.put(key, plan);
      return plan;
    }
  }

  private static AgentPlan notPlanned(String agent, String why) {
    return new AgentPlan(
        agent, Optional.of(why), List.of(), List.of(), DecisionUsage.NONE, 0, false);
  }

  private PlanAnswers.Rules rules(DecisionContext context) {
    OrchestrationConfig cfg = context.config();
    List<String> excluded = context.exclusions().stream().map(Exclusion::path).toList();
    return new PlanAnswers.Rules(
        cfg.workspaceRoot().path(),
        cfg.focus(),
        java.util.Set.copyOf(excluded),
        settings.maxTasks(),
        cfg.timeBudgetSec());
  }

  /** What a plan depends on; queued and finished work is checked at each decision instead. */
  private String key(DecisionContext context, RepositoryGuide guide, String agent) {
    StringBuilder k = new StringBuilder();
    k.append(guide.head()).append('\n').append(agent).append('\n');
    k.append(settings).append('\n');
    OrchestrationConfig cfg = context.config();
    k.append(cfg.goals()).append('\n').append(cfg.focus()).append('\n');
    k.append(cfg.timeBudgetSec()).append('\n');
    context.asOf().ifPresent(a -> k.append(a).append('\n'));
    for (Candidate c : context.candidates()) {
      k.append(c.kind()).append(c.files()).append(c.prompt()).append('\n');
    }
    for (Exclusion x : context.exclusions()) {
      k.append(x.path()).append('\n');
    }
    guide.guidance().forEach(g -> k.append(g.file()).append(g.text().hashCode()).append('\n'));
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(k.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** What the working agent is told: the plan's prompt and how its result will be judged. */
  static String promptOf(PlannedTask t) {
    return t.prompt() + "\n\nAcceptance check: " + t.acceptanceCheck();
  }

  private static Optional<String> finished(
      DecisionContext ctx, String prompt, AgentChooser.Choice choice) {
    for (String agent : choice.ranking()) {
      String h = TaskSpec.defaultOpHash(prompt, Optional.of(agent));
      if (ctx.finishedOpHashes().contains(h)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  private Decision decision(
      DecisionContext ctx,
      AgentPlan plan,
      PlannedTask t,
      String prompt,
      AgentChooser.Choice choice,
      Optional<PipelineProposals.Accepted> pipeline) {
    OrchestrationConfig cfg = ctx.config();
    Map<String, String> metadata = new LinkedHashMap<>();
    pipeline.ifPresent(a -> metadata.putAll(a.facts()));
    t.files().stream().findFirst().ifPresent(f -> TaskFacts.TOP_FILE.put(metadata, f));
    TaskFacts.DECISION_PATH.put(metadata, t.kind().path().key());
    TaskFacts.CANDIDATE_KIND.put(metadata, t.kind().key());
    TaskFacts.CANDIDATE_SOURCE.put(metadata, NAME + ":" + plan.agent());
    TaskFacts.PLANNED_BY.put(metadata, plan.agent());
    TaskFacts.ACCEPTANCE_CHECK.put(metadata, t.acceptanceCheck());
    TaskFacts.EXPECTED_SIZE.put(metadata, t.expectedSize());
    TaskFacts.CONFIG_ID.put(metadata, cfg.id());
    TaskFacts.GOALS_HASH.put(metadata, HeuristicDecisionEngine.goalsHash(cfg.goals()));
    List<Signal> signals = new ArrayList<>();
    signals.add(
        new Signal("agent_plan", "rank " + t.rank() + " of " + plan.tasks().size(), confidence(t)));
    signals.add(new Signal("expected_size", t.expectedSize(), 0));
    if (!plan.dropped().isEmpty()) {
      signals.add(new Signal("dropped", plan.dropped().size() + " tasks failed validation", 0));
    }
    String rationale =
        t.title()
            + " (planned by "
            + plan.agent()
            + ", rank "
            + t.rank()
            + "): "
            + t.rationale()
            + " Acceptance check: "
            + t.acceptanceCheck()
            + " "
            + AgentChooser.sentence(choice);
    return new Decision(
        t.title(),
        prompt,
        choice.chosen().orElse(choice.wouldUse()),
        priority(t.kind()),
        t.kind().path(),
        t.files().stream().findFirst(),
        rationale,
        confidence(t),
        signals,
        estimate(cfg, t.expectedSize()),
        metadata);
  }

  private static double confidence(PlannedTask t) {
    return Math.max(0.1, 0.9 - 0.05 * (t.rank() - 1));
  }

  private static TaskPriority priority(CandidateKind kind) {
    return switch (kind) {
      case REGRESSION_TEST, CHECKER_FINDING -> TaskPriority.HIGH;
      case EXPLORATION -> TaskPriority.LOW;
      default -> TaskPriority.MEDIUM;
    };
  }

  private static Duration estimate(OrchestrationConfig cfg, String size) {
    double m =
        switch (size) {
          case "small" -> 0.3;
          case "medium" -> 0.6;
          default -> 1.0;
        };
    long sec = Math.round(cfg.timeBudgetSec() * m);
    return Duration.ofSeconds(
        Math.max(
            HeuristicDecisionEngine.MIN_ESTIMATE_SEC,
            Math.min(HeuristicDecisionEngine.MAX_ESTIMATE_SEC, sec)));
  }
}
