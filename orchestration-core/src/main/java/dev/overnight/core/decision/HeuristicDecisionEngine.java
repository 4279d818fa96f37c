package dev.overnight.core.decision;

import dev.overnight.api.agent.BuiltInAgents;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionExplanation;
import dev.overnight.api.decision.DecisionExplanation.PassedOver;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.decision.FileActivity;
import dev.overnight.api.decision.SessionRecord;
import dev.overnight.api.decision.Signal;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.decision.internal.AgentChooser;
import dev.overnight.core.decision.internal.FocusMatcher;
import dev.overnight.core.decision.internal.SourceFiles;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The decision engine of the original design, made concrete and deterministic.
 *
 * <p>Files are the context's {@link DecisionContext#fileActivity()} in {@code focus}, most touched
 * first, ties broken by path. A <b>refactor intent</b> is a keyword ({@link #REFACTOR_KEYWORDS},
 * case-insensitive substring) in a goal or in a prompt of a past session (Overnight's own sessions
 * excepted: their prompts are its earlier decisions, not the user's wishes). Then:
 *
 * <ol>
 *   <li><b>refactor</b> ({@code claude-code}): a source file touched more than {@code
 *       decision.refactor_threshold} times, when there is a refactor intent; confidence {@code
 *       min(0.6 + touches/100, 0.95)}, +0.1 when a goal asks for it (at most 1);
 *   <li><b>tests</b> ({@code codex}): a source file without tests ({@link
 *       DecisionContext#filesWithTests()}) in a language whose test layout is known; confidence
 *       0.75, +0.1 when a goal mentions tests or coverage;
 *   <li><b>exploration</b> ({@code claude-code}): one per goal, then a general one; confidence 0.4.
 * </ol>
 *
 * <p>Refactoring comes before tests unless a goal favours tests and none favours refactoring, or
 * both are favoured and the first preferred agent is not the refactoring agent (the original's
 * config bias). Every candidate whose op hash ({@link TaskSpec#defaultOpHash}) — for any agent that
 * could take it — is in {@link DecisionContext#finishedOpHashes()} is passed over for the next
 * file, then the next path, so repeated decisions never repeat work; prompts name the full path and
 * nothing that changes from night to night, so the same work always hashes the same.
 *
 * <p>The agent: the first available one among, in order, {@code agent_preferences.prefer}, the
 * path's own agent, the other agents of the context by id; only agents {@code allow}ed. When none
 * is available the decision still names the agent it would use, and {@link #explain} says why each
 * was rejected; {@link #decide} then returns empty.
 *
 * <p>The estimated duration is the cycle budget ×1.0 (refactor), ×0.7 (tests), ×0.5 (exploration),
 * within 900–7200 s. Signals carry weights that add up to the confidence; signals weighted 0 were
 * considered and did not count.
 *
 * <p>Pure and thread-safe: no I/O, no clock.
 *
 * @since 0.1.0
 */
public final class HeuristicDecisionEngine implements DecisionEngine {
  /** Words that reveal a wish to refactor, in goals or session prompts. */
  public static final List<String> REFACTOR_KEYWORDS =
      List.of("refactor", "cleanup", "restructure", "error handling");

  /** Words that make a goal favour tests. */
  public static final List<String> TEST_KEYWORDS = List.of("test", "coverage");

  /** The agent for refactoring unless configured otherwise. */
  public static final String CLAUDE_CODE = BuiltInAgents.CLAUDE_CODE;

  /** The agent for tests unless configured otherwise. */
  public static final String CODEX = BuiltInAgents.CODEX;

  static final double REFACTOR_BASE = 0.6;
  static final double REFACTOR_MAX = 0.95;
  static final double TESTS_CONFIDENCE = 0.75;
  static final double EXPLORATION_CONFIDENCE = 0.4;
  static final double GOAL_BIAS = 0.1;
  static final long MIN_ESTIMATE_SEC = 900;
  static final long MAX_ESTIMATE_SEC = 7200;

  private final Map<DecisionPath, String> naturalAgents;
  private final AgentChooser chooser;

  /** The engine with the original's agents: Claude Code refactors and explores, Codex tests. */
  public HeuristicDecisionEngine() {
    this(CLAUDE_CODE, CODEX, CLAUDE_CODE);
  }

  /** An engine that gives each path to the given agent (before preferences apply). */
  public HeuristicDecisionEngine(String refactorAgent, String testsAgent, String explorationAgent) {
    naturalAgents =
        Map.of(
            DecisionPath.REFACTOR, Objects.requireNonNull(refactorAgent, "refactorAgent"),
            DecisionPath.TESTS, Objects.requireNonNull(testsAgent, "testsAgent"),
            DecisionPath.EXPLORATION, Objects.requireNonNull(explorationAgent, "explorationAgent"));
    chooser = new AgentChooser(naturalAgents);
  }

  @Override
  public Optional<Decision> decide(DecisionContext context) {
    return explain(context).runnableDecision();
  }

  /** The decision as it would be made, with the agent verdicts and what was passed over. */
  @Override
  public DecisionExplanation explain(DecisionContext context) {
    return new Run(context).explain();
  }

  /** First 16 hex digits of SHA-256 over the goals, sorted, joined by {@code |}. */
  public static String goalsHash(List<String> goals) {
    List<String> sorted = new ArrayList<>(goals);
    sorted.sort(Comparator.naturalOrder());
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(String.join("|", sorted).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** A task the engine could propose. */
  private record Candidate(
      DecisionPath path,
      Optional<FileActivity> file,
      Optional<String> goal,
      String title,
      String prompt) {}

  /** One explanation's worth of state; not shared between threads. */
  private final class Run {
    private final DecisionContext ctx;
    private final OrchestrationConfig cfg;
    private final int threshold;
    private final int lookbackDays;
    private final FocusMatcher focus;
    private final List<FileActivity> files;
    private final Optional<String> sessionIntent;
    private final Optional<String> refactorGoal;
    private final Optional<String> testsGoal;
    private final List<PassedOver> passedOver = new ArrayList<>();
    private int refactorCandidates;

    Run(DecisionContext ctx) {
      this.ctx = ctx;
      this.cfg = ctx.config();
      this.threshold = cfg.decision().refactorThreshold();
      this.lookbackDays = cfg.decision().lookbackDays();
      this.focus = FocusMatcher.of(cfg.focus());
      this.files = filesInFocus();
      this.sessionIntent = sessionIntent(ctx.sessions());
      this.refactorGoal = goalWith(REFACTOR_KEYWORDS);
      this.testsGoal = goalWith(TEST_KEYWORDS);
    }

    DecisionExplanation explain() {
      boolean refactorIntent = sessionIntent.isPresent() || refactorGoal.isPresent();
      List<Candidate> refactor = new ArrayList<>();
      List<Candidate> tests = new ArrayList<>();
      for (FileActivity f : files) {
        String p = f.path();
        if (refactorIntent
            && f.touches() > threshold
            && SourceFiles.isSource(p)
            && !SourceFiles.isTest(p)) {
          refactor.add(refactorCandidate(f));
        }
        if (SourceFiles.isTestable(p) && !ctx.filesWithTests().contains(p)) {
          tests.add(testsCandidate(f));
        }
      }
      refactorCandidates = refactor.size();
      List<Candidate> order = new ArrayList<>();
      if (refactorFirst(refactorIntent)) {
        order.addAll(refactor);
        order.addAll(tests);
      } else {
        order.addAll(tests);
        order.addAll(refactor);
      }
      int fileCandidates = order.size();
      for (String goal : cfg.goals()) {
        order.add(explorationCandidate(Optional.of(goal)));
      }
      order.add(explorationCandidate(Optional.empty()));

      for (Candidate c : order) {
        AgentChooser.Choice choice = chooseAgent(c.path());
        Optional<String> done = finishedHash(c, choice);
        if (done.isPresent()) {
          passedOver.add(
              new PassedOver(c.path(), c.file().map(FileActivity::path), c.title(), done.get()));
          continue;
        }
        Decision d = decision(c, choice, refactorIntent, fileCandidates);
        return new DecisionExplanation(
            Optional.of(d), choice.chosen(), choice.verdicts(), passedOver, summary(d, choice));
      }
      return new DecisionExplanation(
          Optional.empty(),
          Optional.empty(),
          List.of(),
          passedOver,
          "nothing to do: every candidate is already done (" + passedOver.size() + " passed over)");
    }

    private boolean refactorFirst(boolean refactorIntent) {
      if (!refactorIntent) {
        return false;
      }
      if (testsGoal.isEmpty()) {
        return true;
      }
      if (refactorGoal.isEmpty()) {
        return false;
      }
      // Both favoured: the preferred agent settles it, as in the original's config bias.
      return cfg.agentPreferences()
          .firstPreferred()
          .map(a -> a.equals(naturalAgents.get(DecisionPath.REFACTOR)))
          .orElse(true);
    }

    private List<FileActivity> filesInFocus() {
      Map<String, Integer> merged = new TreeMap<>();
      for (FileActivity f : ctx.fileActivity()) {
        if (f.touches() > 0 && focus.inFocus(f.path())) {
          merged.merge(f.path(), f.touches(), Integer::sum);
        }
      }
      List<FileActivity> list = new ArrayList<>();
      merged.forEach((p, n) -> list.add(new FileActivity(p, n)));
      list.sort(
          Comparator.comparingInt(FileActivity::touches)
              .reversed()
              .thenComparing(FileActivity::path));
      return list;
    }

    private Optional<String> sessionIntent(List<SessionRecord> sessions) {
      for (SessionRecord s : sessions) {
        if (s.source().equals(OvernightTranscripts.NAME)) {
          continue;
        }
        for (String prompt : s.prompts()) {
          if (matches(prompt, REFACTOR_KEYWORDS)) {
            return Optional.of(
                "a recent " + s.source() + " session (\"" + shorten(prompt, 80) + "\")");
          }
        }
      }
      return Optional.empty();
    }

    private Optional<String> goalWith(List<String> keywords) {
      return cfg.goals().stream().filter(g -> matches(g, keywords)).findFirst();
    }

    private Candidate refactorCandidate(FileActivity f) {
      return new Candidate(
          DecisionPath.REFACTOR,
          Optional.of(f),
          Optional.empty(),
          "Refactor " + SourceFiles.fileName(f.path()),
          "Refactor "
              + f.path()
              + " to improve error handling, reduce complexity, and enhance readability."
              + " Keep its behaviour unchanged and its tests passing.");
    }

    private Candidate testsCandidate(FileActivity f) {
      return new Candidate(
          DecisionPath.TESTS,
          Optional.of(f),
          Optional.empty(),
          "Add tests for " + SourceFiles.fileName(f.path()),
          "Generate comprehensive tests for "
              + f.path()
              + " covering all public methods and edge cases."
              + " Follow the conventions of the existing tests in this repository.");
    }

    private Candidate explorationCandidate(Optional<String> goal) {
      String intent = goal.orElse("overall code quality");
      return new Candidate(
          DecisionPath.EXPLORATION,
          Optional.empty(),
          goal,
          goal.map(g -> "Explore: " + shorten(g, 60)).orElse("Explore the codebase"),
          "Explore the codebase and identify areas for improvement based on user intent: "
              + intent
              + ".");
    }

    private AgentChooser.Choice chooseAgent(DecisionPath path) {
      return chooser.choose(path, cfg.agentPreferences(), ctx.agents());
    }

    private Optional<String> finishedHash(Candidate c, AgentChooser.Choice choice) {
      for (String agent : choice.ranking()) {
        String h = TaskSpec.defaultOpHash(c.prompt(), Optional.of(agent));
        if (ctx.finishedOpHashes().contains(h)) {
          return Optional.of(h);
        }
      }
      return Optional.empty();
    }

    private Decision decision(
        Candidate c, AgentChooser.Choice choice, boolean refactorIntent, int fileCandidates) {
      List<Signal> signals = new ArrayList<>();
      StringBuilder why = new StringBuilder();
      double confidence;
      TaskPriority priority;
      double multiplier;
      Map<String, String> metadata = new LinkedHashMap<>();
      c.file()
          .ifPresent(
              f -> {
                TaskFacts.TOP_FILE.put(metadata, f.path());
                TaskFacts.FILE_TOUCHES.put(metadata, (long) f.touches());
              });
      switch (c.path()) {
        case REFACTOR -> {
          FileActivity f = c.file().orElseThrow();
          double base = Math.min(REFACTOR_BASE + f.touches() / 100.0, REFACTOR_MAX);
          confidence = Math.min(base + (refactorGoal.isPresent() ? GOAL_BIAS : 0), 1.0);
          String intent = sessionIntent.orElseGet(() -> "the goal \"" + refactorGoal.get() + "\"");
          signals.add(new Signal("refactor_intent", intent, REFACTOR_BASE));
          signals.add(
              new Signal(
                  "file_touches",
                  touches(f) + ", over the refactor threshold of " + threshold,
                  base - REFACTOR_BASE));
          refactorGoal.ifPresent(
              g -> signals.add(new Signal("goal_refactor", g, confidence - base)));
          testsGoal.ifPresent(g -> signals.add(new Signal("goal_tests", g, 0)));
          why.append(f.path())
              .append(" changed ")
              .append(touchesText(f))
              .append(", more than the refactor threshold of ")
              .append(threshold)
              .append(", and ")
              .append(intent)
              .append(" asks for refactoring.");
          priority = TaskPriority.HIGH;
          multiplier = 1.0;
        }
        case TESTS -> {
          FileActivity f = c.file().orElseThrow();
          confidence = TESTS_CONFIDENCE + (testsGoal.isPresent() ? GOAL_BIAS : 0);
          signals.add(
              new Signal("missing_tests", touches(f) + ", no tests found", TESTS_CONFIDENCE));
          testsGoal.ifPresent(g -> signals.add(new Signal("goal_tests", g, GOAL_BIAS)));
          if (sessionIntent.isPresent()) {
            refactorGoal.ifPresent(g -> signals.add(new Signal("goal_refactor", g, 0)));
          }
          why.append(f.path())
              .append(" changed ")
              .append(touchesText(f))
              .append(" and has no tests by this repository's conventions.");
          if (refactorIntent) {
            String intent =
                sessionIntent.orElseGet(() -> "the goal \"" + refactorGoal.get() + "\"");
            String note =
                refactorCandidates == 0
                    ? "no source file changed more than " + threshold + " times"
                    : refactorFirst(true)
                        ? "the refactoring it asks for is already done"
                        : "the goals favour tests";
            signals.add(new Signal("refactor_intent", intent + "; not used: " + note, 0));
            why.append(" A refactor intent was found, but ").append(note).append('.');
          }
          priority = TaskPriority.MEDIUM;
          multiplier = 0.7;
        }
        default -> {
          confidence = EXPLORATION_CONFIDENCE;
          String reason = explorationReason(fileCandidates);
          signals.add(new Signal("no_candidate", reason, EXPLORATION_CONFIDENCE));
          c.goal().ifPresent(g -> signals.add(new Signal("goal", g, 0)));
          why.append("Nothing more specific to do: ")
              .append(reason)
              .append(". Exploring the codebase toward ")
              .append(c.goal().map(g -> "the goal \"" + g + "\"").orElse("overall code quality"))
              .append('.');
          priority = TaskPriority.LOW;
          multiplier = 0.5;
        }
      }
      signals.add(
          new Signal(
              "sessions",
              ctx.sessions().size() + " past session" + (ctx.sessions().size() == 1 ? "" : "s"),
              0));
      if (!passedOver.isEmpty()) {
        signals.add(new Signal("passed_over", passedOver.size() + " candidates already done", 0));
        why.append(" Passed over ")
            .append(passedOver.size())
            .append(passedOver.size() == 1 ? " candidate" : " candidates")
            .append(" already done.");
      }
      focus.problems().forEach(p -> signals.add(new Signal("focus_problem", p, 0)));
      if (!cfg.goals().isEmpty()) {
        why.append(" Goals: ").append(String.join("; ", cfg.goals())).append('.');
      }
      why.append(' ').append(agentSentence(choice));
      TaskFacts.DECISION_PATH.put(metadata, c.path().key());
      TaskFacts.CONFIG_ID.put(metadata, cfg.id());
      TaskFacts.GOALS_HASH.put(metadata, goalsHash(cfg.goals()));
      return new Decision(
          c.title(),
          c.prompt(),
          choice.chosen().orElse(choice.wouldUse()),
          priority,
          c.path(),
          c.file().map(FileActivity::path),
          why.toString(),
          round(confidence),
          signals.stream().map(s -> new Signal(s.name(), s.value(), round(s.weight()))).toList(),
          estimate(multiplier),
          metadata);
    }

    private String explorationReason(int fileCandidates) {
      if (fileCandidates > 0) {
        return "every file candidate is already done";
      }
      if (ctx.fileActivity().isEmpty()) {
        return "no file changed in the last " + lookbackDays + " days";
      }
      if (files.isEmpty()) {
        return "no file changed in the last " + lookbackDays + " days is in focus";
      }
      return "no changed file lacks tests"
          + (sessionIntent.isPresent() || refactorGoal.isPresent()
              ? " or changed more than " + threshold + " times"
              : ", and nothing asks for refactoring");
    }

    private String agentSentence(AgentChooser.Choice choice) {
      return AgentChooser.sentence(choice);
    }

    private String summary(Decision d, AgentChooser.Choice choice) {
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

    private String touches(FileActivity f) {
      return f.path() + ": " + f.touches() + (f.touches() == 1 ? " touch" : " touches");
    }

    private String touchesText(FileActivity f) {
      return f.touches()
          + (f.touches() == 1 ? " time" : " times")
          + " in the last "
          + lookbackDays
          + " days";
    }

    private Duration estimate(double multiplier) {
      long sec = Math.round(cfg.timeBudgetSec() * multiplier);
      return Duration.ofSeconds(Math.max(MIN_ESTIMATE_SEC, Math.min(MAX_ESTIMATE_SEC, sec)));
    }
  }

  private static boolean matches(String text, List<String> keywords) {
    String t = text.toLowerCase(Locale.ROOT);
    return keywords.stream().anyMatch(t::contains);
  }

  private static String shorten(String text, int max) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
  }

  private static double round(double v) {
    return Math.round(v * 1_000_000d) / 1_000_000d;
  }
}
