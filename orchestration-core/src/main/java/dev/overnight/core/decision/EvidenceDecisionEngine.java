package dev.overnight.core.decision;

import dev.overnight.api.agent.BuiltInAgents;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.Candidate;
import dev.overnight.api.decision.CandidateKind;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionExplanation;
import dev.overnight.api.decision.DecisionExplanation.PassedOver;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.decision.Evidence;
import dev.overnight.api.decision.Exclusion;
import dev.overnight.api.decision.FileActivity;
import dev.overnight.api.decision.Signal;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.decision.internal.AgentChooser;
import dev.overnight.core.decision.internal.DependencySource;
import dev.overnight.core.decision.internal.FocusMatcher;
import dev.overnight.core.decision.internal.SourceFiles;
import dev.overnight.core.pipeline.PipelineProposals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The decision engine that works from evidence: it ranks the {@link Candidate}s the candidate
 * sources found in the repository ({@link DecisionContext#candidates()}) and proposes the best one
 * whose work is not already taken.
 *
 * <p>A candidate's score is its confidence plus {@value #GOAL_BIAS} for each way the goals favour
 * it (a goal about tests or coverage for test kinds; about refactoring, cleanup, TODOs or lint for
 * the others; a goal naming its file or folder), at most 1. Ties go to the kind order of {@link
 * CandidateKind}, then the file. Candidates about an {@linkplain DecisionContext#exclusions()
 * excluded} file or outside {@code focus} are dropped. A candidate whose op hash (for any agent
 * that could take it) is in {@link DecisionContext#finishedOpHashes()} is passed over.
 *
 * <p>Exploration only when nothing specific exists: one per goal; without goals, "nothing worth
 * doing tonight" is the answer, with the reason. Agents are chosen as by {@link
 * HeuristicDecisionEngine}: Codex writes tests, Claude Code does the rest, unless {@code
 * agent_preferences} says otherwise.
 *
 * <p>Pure and thread-safe: no I/O, no clock (the sources did the reading).
 *
 * @since 0.1.0
 */
public final class EvidenceDecisionEngine implements DecisionEngine {
  /** The name {@code decision.engine} uses. */
  public static final String NAME = "evidence";

  /** How much each way the goals favour a candidate adds to its score. */
  public static final double GOAL_BIAS = 0.1;

  static final double EXPLORATION_CONFIDENCE = 0.4;
  private static final List<String> TEST_WORDS = List.of("test", "coverage");
  private static final List<String> CHANGE_WORDS =
      List.of(
          "refactor",
          "cleanup",
          "clean up",
          "restructure",
          "simplif",
          "todo",
          "fixme",
          "lint",
          "error handling",
          "bug",
          "fix");

  private final AgentChooser chooser;

  /** The engine with the usual agents: Codex for tests, Claude Code for everything else. */
  public EvidenceDecisionEngine() {
    this(BuiltInAgents.CODEX, BuiltInAgents.CLAUDE_CODE);
  }

  /** An engine giving test work to {@code testsAgent} and the rest to {@code otherAgent}. */
  public EvidenceDecisionEngine(String testsAgent, String otherAgent) {
    chooser =
        new AgentChooser(
            Map.of(
                DecisionPath.TESTS, testsAgent,
                DecisionPath.REFACTOR, otherAgent,
                DecisionPath.EXPLORATION, otherAgent));
  }

  @Override
  public boolean usesCandidates() {
    return true;
  }

  @Override
  public Optional<Decision> decide(DecisionContext context) {
    return explain(context).runnableDecision();
  }

  /**
   * A candidate with its score and the goals that favoured it.
   *
   * @param candidate what a source found
   * @param score its confidence plus the goal bias, at most 1
   * @param goalSignals the goals that favoured it
   */
  public record Ranked(Candidate candidate, double score, List<Signal> goalSignals) {}

  /**
   * Every usable candidate of the context, best first: what {@link #explain} walks down and what
   * {@code plan --json} lists.
   */
  public static List<Ranked> rank(DecisionContext ctx) {
    OrchestrationConfig cfg = ctx.config();
    FocusMatcher focus = FocusMatcher.of(cfg.focus());
    Set<String> excluded =
        ctx.exclusions().stream().map(Exclusion::path).collect(Collectors.toSet());
    Set<String> keptOutOfUpgrades =
        ctx.exclusions().stream()
            .filter(x -> DependencySource.keepsOut(x.reason()))
            .map(Exclusion::path)
            .collect(Collectors.toSet());
    Set<String> prompts = new HashSet<>();
    List<Ranked> out = new ArrayList<>();
    for (Candidate c : ctx.candidates()) {
      Set<String> skip =
          c.kind() == CandidateKind.DEPENDENCY_UPGRADE ? keptOutOfUpgrades : excluded;
      if (c.files().stream().anyMatch(f -> skip.contains(f) || !focus.inFocus(f))) {
        continue;
      }
      if (!prompts.add(c.prompt())) {
        continue;
      }
      List<Signal> goals = new ArrayList<>();
      for (String goal : cfg.goals()) {
        String g = goal.toLowerCase(Locale.ROOT);
        boolean testKind = c.kind().path() == DecisionPath.TESTS;
        if (testKind && TEST_WORDS.stream().anyMatch(g::contains)
            || !testKind && CHANGE_WORDS.stream().anyMatch(g::contains)) {
          goals.add(new Signal("goal_kind", goal, GOAL_BIAS));
        } else if (c.files().stream().anyMatch(f -> names(f, g))) {
          goals.add(new Signal("goal_file", goal, GOAL_BIAS));
        }
      }
      double score = Math.min(1.0, c.confidence() + goals.size() * GOAL_BIAS);
      out.add(new Ranked(c, round(score), goals));
    }
    out.sort(
        Comparator.comparingDouble(Ranked::score)
            .reversed()
            .thenComparing(r -> r.candidate().kind())
            .thenComparing(r -> r.candidate().files().isEmpty() ? "" : r.candidate().files().get(0))
            .thenComparing(r -> r.candidate().title()));
    return out;
  }

  /** Whether a goal names the file or one of its folders. */
  private static boolean names(String file, String goal) {
    String name = SourceFiles.fileName(file).toLowerCase(Locale.ROOT);
    String base = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    if (base.length() >= 4 && goal.contains(base)) {
      return true;
    }
    String[] dirs = file.toLowerCase(Locale.ROOT).split("/");
    for (int i = 0; i < dirs.length - 1; i++) {
      if (dirs[i].length() >= 4
          && !dirs[i].equals("main")
          && !dirs[i].equals("java")
          && goal.contains(dirs[i])) {
        return true;
      }
    }
    return false;
  }

  @Override
  public DecisionExplanation explain(DecisionContext ctx) {
    List<Ranked> ranked = rank(ctx);
    List<PassedOver> passedOver = new ArrayList<>();
    for (Ranked r : ranked) {
      Candidate c = r.candidate();
      AgentChooser.Choice choice = choose(ctx, c.kind().path());
      Optional<PipelineProposals.Outcome> pipeline =
          c.pipeline().map(p -> PipelineProposals.check(p, ctx.config(), ctx.agents().keySet()));
      String prompt =
          pipeline
              .filter(PipelineProposals.Accepted.class::isInstance)
              .map(o -> ((PipelineProposals.Accepted) o).prompt())
              .orElse(c.prompt());
      Optional<String> done = finished(ctx, prompt, choice);
      if (done.isPresent()) {
        passedOver.add(
            new PassedOver(c.kind().path(), c.files().stream().findFirst(), c.title(), done.get()));
        continue;
      }
      Decision d = decision(ctx, r, choice, passedOver, pipeline);
      return new DecisionExplanation(
          Optional.of(d), choice.chosen(), choice.verdicts(), passedOver, summary(d, choice));
    }
    String why = nothingReason(ctx, ranked, passedOver);
    for (String goal : ctx.config().goals()) {
      Candidate c = exploration(goal, why);
      AgentChooser.Choice choice = choose(ctx, DecisionPath.EXPLORATION);
      Optional<String> done = finished(ctx, c.prompt(), choice);
      if (done.isPresent()) {
        passedOver.add(
            new PassedOver(DecisionPath.EXPLORATION, Optional.empty(), c.title(), done.get()));
        continue;
      }
      Decision d =
          decision(
              ctx, new Ranked(c, c.confidence(), List.of()), choice, passedOver, Optional.empty());
      return new DecisionExplanation(
          Optional.of(d), choice.chosen(), choice.verdicts(), passedOver, summary(d, choice));
    }
    return new DecisionExplanation(
        Optional.empty(),
        Optional.empty(),
        List.of(),
        passedOver,
        "nothing worth doing tonight: " + why);
  }

  private static String nothingReason(
      DecisionContext ctx, List<Ranked> ranked, List<PassedOver> passedOver) {
    String window = ctx.activityNote().map(n -> " (" + n + ")").orElse("");
    if (!ranked.isEmpty()) {
      return "every candidate is already done or under way (" + passedOver.size() + " passed over)";
    }
    if (ctx.fileActivity().isEmpty() && ctx.exclusions().isEmpty()) {
      return "no file changed in the activity window" + window;
    }
    if (ctx.candidates().isEmpty()) {
      return "no candidate source found anything specific in the "
          + ctx.fileActivity().size()
          + " changed files"
          + (ctx.exclusions().isEmpty() ? "" : " (" + ctx.exclusions().size() + " excluded)")
          + window;
    }
    return "every candidate is about an excluded file or one outside focus" + window;
  }

  private Candidate exploration(String goal, String why) {
    String g = shorten(goal, 60);
    return new Candidate(
        "goals",
        CandidateKind.EXPLORATION,
        List.of(),
        "Explore: " + g,
        explorationPrompt(goal),
        EXPLORATION_CONFIDENCE,
        List.of(new Signal("no_candidate", why, EXPLORATION_CONFIDENCE)),
        List.of(Evidence.of("goal", goal)));
  }

  /**
   * The prompt of the exploration proposed for {@code goal} when nothing specific exists; it holds
   * nothing that changes from night to night, so a finished exploration is recognised by its hash.
   */
  public static String explorationPrompt(String goal) {
    return "Nothing specific was found to work on in the repository's recent history. Explore the"
        + " codebase toward the goal \""
        + goal
        + "\": find the most valuable concrete change toward it, make it if it is small and safe,"
        + " and report what else you found, with file and line references.";
  }

  /**
   * Every prompt this engine may propose from {@code candidates} and {@code goals}: what to look up
   * among the queue's op hashes before deciding.
   */
  public static List<String> possiblePrompts(List<Candidate> candidates, List<String> goals) {
    List<String> prompts = new ArrayList<>();
    candidates.forEach(
        c -> {
          prompts.add(c.prompt());
          c.pipeline().flatMap(PipelineProposals::promptOf).ifPresent(prompts::add);
        });
    goals.forEach(g -> prompts.add(explorationPrompt(g)));
    return prompts;
  }

  private AgentChooser.Choice choose(DecisionContext ctx, DecisionPath path) {
    return chooser.choose(path, ctx.config().agentPreferences(), ctx.agents());
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
      Ranked r,
      AgentChooser.Choice choice,
      List<PassedOver> passedOver,
      Optional<PipelineProposals.Outcome> pipeline) {
    Candidate c = r.candidate();
    OrchestrationConfig cfg = ctx.config();
    List<Signal> signals = new ArrayList<>(c.signals());
    Optional<PipelineProposals.Accepted> accepted =
        pipeline
            .filter(PipelineProposals.Accepted.class::isInstance)
            .map(PipelineProposals.Accepted.class::cast);
    pipeline
        .filter(PipelineProposals.Refused.class::isInstance)
        .map(o -> ((PipelineProposals.Refused) o).reason())
        .ifPresent(
            why ->
                signals.add(
                    new Signal(
                        "pipeline_refused",
                        c.pipeline().orElseThrow().pipeline() + ": " + why,
                        0)));
    signals.addAll(r.goalSignals());
    ctx.activityNote().ifPresent(n -> signals.add(new Signal("activity_window", n, 0)));
    if (!passedOver.isEmpty()) {
      signals.add(new Signal("passed_over", passedOver.size() + " candidates already taken", 0));
    }
    StringBuilder why = new StringBuilder();
    why.append(c.title()).append(" (").append(c.source()).append("): ");
    why.append(
        c.evidence().stream()
            .limit(5)
            .map(
                e ->
                    e.file().map(f -> f + e.line().map(l -> ":" + l).orElse("") + " ").orElse("")
                        + e.detail())
            .collect(Collectors.joining("; ")));
    why.append('.');
    ctx.activityNote().ifPresent(n -> why.append(" Activity window: ").append(n).append('.'));
    if (!passedOver.isEmpty()) {
      why.append(" Passed over ").append(passedOver.size()).append(" already taken.");
    }
    if (!cfg.goals().isEmpty()) {
      why.append(" Goals: ").append(String.join("; ", cfg.goals())).append('.');
    }
    accepted.ifPresent(
        a ->
            why.append(" Runs the ")
                .append(a.manifest().name())
                .append(" pipeline (manifest ")
                .append(a.manifest().shortHash())
                .append(", within the config's trust boundary)."));
    pipeline
        .filter(PipelineProposals.Refused.class::isInstance)
        .ifPresent(
            o ->
                why.append(" The ")
                    .append(c.pipeline().orElseThrow().pipeline())
                    .append(" pipeline it proposed is refused (")
                    .append(((PipelineProposals.Refused) o).reason())
                    .append("), so one agent turn does the work."));
    why.append(' ').append(AgentChooser.sentence(choice));
    Map<String, String> metadata = new LinkedHashMap<>();
    c.files().stream()
        .findFirst()
        .ifPresent(
            f -> {
              TaskFacts.TOP_FILE.put(metadata, f);
              ctx.fileActivity().stream()
                  .filter(a -> a.path().equals(f))
                  .findFirst()
                  .map(FileActivity::touches)
                  .ifPresent(n -> TaskFacts.FILE_TOUCHES.put(metadata, (long) n));
            });
    TaskFacts.DECISION_PATH.put(metadata, c.kind().path().key());
    TaskFacts.CANDIDATE_KIND.put(metadata, c.kind().key());
    TaskFacts.CANDIDATE_SOURCE.put(metadata, c.source());
    TaskFacts.CONFIG_ID.put(metadata, cfg.id());
    TaskFacts.GOALS_HASH.put(metadata, HeuristicDecisionEngine.goalsHash(cfg.goals()));
    accepted.ifPresent(a -> metadata.putAll(a.facts()));
    return new Decision(
        c.title(),
        accepted.map(PipelineProposals.Accepted::prompt).orElse(c.prompt()),
        choice.chosen().orElse(choice.wouldUse()),
        priority(c.kind()),
        c.kind().path(),
        c.files().stream().findFirst(),
        why.toString(),
        r.score(),
        signals,
        estimate(cfg, c.kind()),
        metadata);
  }

  private static TaskPriority priority(CandidateKind kind) {
    return switch (kind) {
      case REGRESSION_TEST, CHECKER_FINDING -> TaskPriority.HIGH;
      case EXPLORATION -> TaskPriority.LOW;
      default -> TaskPriority.MEDIUM;
    };
  }

  private static Duration estimate(OrchestrationConfig cfg, CandidateKind kind) {
    double m =
        switch (kind) {
          case REFACTOR -> 1.0;
          case TESTS -> 0.7;
          default -> 0.5;
        };
    long sec = Math.round(cfg.timeBudgetSec() * m);
    return Duration.ofSeconds(
        Math.max(
            HeuristicDecisionEngine.MIN_ESTIMATE_SEC,
            Math.min(HeuristicDecisionEngine.MAX_ESTIMATE_SEC, sec)));
  }

  private static String summary(Decision d, AgentChooser.Choice choice) {
    String head = d.path().key() + ": " + d.title();
    if (choice.chosen().isPresent()) {
      return head + ", with " + choice.chosen().get();
    }
    return head
        + ", would use "
        + choice.wouldUse()
        + ", unavailable because "
        + AgentChooser.wouldUseReason(choice);
  }

  private static String shorten(String text, int max) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
  }

  private static double round(double v) {
    return Math.round(v * 1_000_000d) / 1_000_000d;
  }
}
