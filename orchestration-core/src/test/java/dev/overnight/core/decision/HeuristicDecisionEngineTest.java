package dev.overnight.core.decision;

import static dev.overnight.core.decision.Contexts.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionExplanation;
import dev.overnight.api.decision.DecisionExplanation.Verdict;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.decision.Signal;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HeuristicDecisionEngineTest {
  static final String PARSER = "src/main/java/app/Parser.java";
  static final String LEXER = "src/main/java/app/Lexer.java";

  final HeuristicDecisionEngine engine = new HeuristicDecisionEngine();

  Decision decide(Contexts c) {
    return engine.decide(c.build()).orElseThrow();
  }

  @Nested
  class ThePaths {
    @Test
    void refactorWhenTheTopFileIsOverTheThresholdAndASessionAsksForIt() {
      Decision d =
          decide(
              context()
                  .file(PARSER, 25)
                  .file(LEXER, 3)
                  .prompt("claude-code", "Please refactor the parser, it is a mess"));
      assertThat(d.path()).isEqualTo(DecisionPath.REFACTOR);
      assertThat(d.agentId()).isEqualTo("claude-code");
      assertThat(d.priority()).isEqualTo(TaskPriority.HIGH);
      assertThat(d.confidence()).isCloseTo(0.85, within(1e-9));
      assertThat(d.targetFile()).contains(PARSER);
      assertThat(d.prompt()).startsWith("Refactor " + PARSER + " to improve error handling");
      assertThat(d.title()).isEqualTo("Refactor Parser.java");
      assertThat(d.rationale())
          .contains(PARSER + " changed 25 times in the last 30 days")
          .contains("refactor the parser");
      assertThat(d.metadata())
          .containsEntry("top_file", PARSER)
          .containsEntry("file_touches", "25")
          .containsEntry("decision_path", "refactor")
          .containsEntry("config_id", "default");
    }

    @Test
    void everyRefactorKeywordCountsAsIntent() {
      for (String prompt :
          List.of("CLEANUP the lexer", "restructure modules", "improve Error Handling")) {
        assertThat(decide(context().file(PARSER, 25).prompt("codex", prompt)).path())
            .as(prompt)
            .isEqualTo(DecisionPath.REFACTOR);
      }
    }

    @Test
    void testsWhenNothingAsksForRefactoring() {
      Decision d = decide(context().file(PARSER, 40).file(LEXER, 3));
      assertThat(d.path()).isEqualTo(DecisionPath.TESTS);
      assertThat(d.agentId()).isEqualTo("codex");
      assertThat(d.priority()).isEqualTo(TaskPriority.MEDIUM);
      assertThat(d.confidence()).isCloseTo(0.75, within(1e-9));
      assertThat(d.targetFile()).contains(PARSER);
      assertThat(d.prompt())
          .startsWith(
              "Generate comprehensive tests for " + PARSER + " covering all public methods");
      assertThat(d.metadata()).containsEntry("decision_path", "tests");
    }

    @Test
    void theThresholdIsStrict() {
      Decision d = decide(context().file(PARSER, 20).prompt("claude-code", "refactor it"));
      assertThat(d.path()).isEqualTo(DecisionPath.TESTS);
      assertThat(d.rationale()).contains("no source file changed more than 20 times");
      assertThat(signal(d, "refactor_intent").weight()).isZero();
    }

    @Test
    void theThresholdComesFromTheConfig() {
      Contexts c = context().file(PARSER, 6).prompt("claude-code", "refactor it");
      c.config.decision(new dev.overnight.api.config.DecisionSettings(30, 5, List.of()));
      assertThat(decide(c).path()).isEqualTo(DecisionPath.REFACTOR);
    }

    @Test
    void testsGoToTheMostTouchedFileWithoutTests() {
      Decision d = decide(context().file(PARSER, 40).tested(PARSER).file(LEXER, 3));
      assertThat(d.targetFile()).contains(LEXER);
    }

    @Test
    void fallbackExplorationWhenThereIsNoFileActivity() {
      Decision d = decide(context().prompt("claude-code", "refactor everything"));
      assertThat(d.path()).isEqualTo(DecisionPath.EXPLORATION);
      assertThat(d.agentId()).isEqualTo("claude-code");
      assertThat(d.priority()).isEqualTo(TaskPriority.LOW);
      assertThat(d.confidence()).isCloseTo(0.4, within(1e-9));
      assertThat(d.targetFile()).isEmpty();
      assertThat(d.prompt())
          .isEqualTo(
              "Explore the codebase and identify areas for improvement based on user intent:"
                  + " overall code quality.");
      assertThat(d.rationale()).contains("no file changed in the last 30 days");
    }

    @Test
    void fallbackIsReachableWithGoalsToo() {
      // The original's config-biased version fell into "tests for codebase" instead.
      Decision d = decide(context().goals("Increase test coverage"));
      assertThat(d.path()).isEqualTo(DecisionPath.EXPLORATION);
      assertThat(d.prompt()).endsWith("based on user intent: Increase test coverage.");
      assertThat(d.title()).isEqualTo("Explore: Increase test coverage");
    }

    @Test
    void filesWithoutAKnownTestLayoutGetNoTestsTask() {
      Decision d =
          decide(
              context()
                  .file("README.md", 50)
                  .file("src/lib.rs", 30)
                  .file("src/test/java/app/ParserTest.java", 20)
                  .file("app/__init__.py", 10));
      assertThat(d.path()).isEqualTo(DecisionPath.EXPLORATION);
      assertThat(d.rationale()).contains("no changed file lacks tests");
    }

    @Test
    void nonSourceFilesAndTestsAreNeverRefactored() {
      Decision d =
          decide(
              context()
                  .file("package-lock.json", 90)
                  .file("src/test/java/app/ParserTest.java", 60)
                  .file(PARSER, 21)
                  .prompt("claude-code", "refactor"));
      assertThat(d.path()).isEqualTo(DecisionPath.REFACTOR);
      assertThat(d.targetFile()).contains(PARSER);
    }

    @Test
    void overnightsOwnPromptsAreNotTheUsersIntent() {
      Decision d =
          decide(
              context()
                  .file(PARSER, 30)
                  .prompt("overnight", "Refactor " + PARSER + " to improve error handling"));
      assertThat(d.path()).isEqualTo(DecisionPath.TESTS);
    }
  }

  @Nested
  class Goals {
    @Test
    void aRefactorGoalIsAnIntentAndRaisesConfidence() {
      Decision d = decide(context().file(PARSER, 25).goals("Refactor error handling"));
      assertThat(d.path()).isEqualTo(DecisionPath.REFACTOR);
      assertThat(d.confidence()).isCloseTo(0.95, within(1e-9));
      assertThat(signal(d, "goal_refactor").weight()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void aTestsGoalRaisesConfidenceOfTests() {
      Decision d = decide(context().file(PARSER, 5).goals("Add test coverage"));
      assertThat(d.path()).isEqualTo(DecisionPath.TESTS);
      assertThat(d.confidence()).isCloseTo(0.85, within(1e-9));
    }

    @Test
    void aTestsGoalBeatsASessionsRefactorIntent() {
      Decision d =
          decide(
              context()
                  .file(PARSER, 25)
                  .prompt("claude-code", "refactor the parser")
                  .goals("Increase coverage"));
      assertThat(d.path()).isEqualTo(DecisionPath.TESTS);
      assertThat(d.rationale()).contains("the goals favour tests");
    }

    @Test
    void bothGoalsWithClaudeCodePreferredAnd25TouchesRefactor() {
      Decision d =
          decide(
              context()
                  .file(PARSER, 25)
                  .goals("refactor error handling", "add test coverage")
                  .prefer(List.of("claude-code"), List.of()));
      assertThat(d.path()).isEqualTo(DecisionPath.REFACTOR);
      assertThat(d.agentId()).isEqualTo("claude-code");
      assertThat(d.confidence()).isCloseTo(0.95, within(1e-9));
    }

    @Test
    void bothGoalsWithCodexPreferredTest() {
      Decision d =
          decide(
              context()
                  .file(PARSER, 25)
                  .goals("refactor error handling", "add test coverage")
                  .prefer(List.of("codex"), List.of()));
      assertThat(d.path()).isEqualTo(DecisionPath.TESTS);
      assertThat(d.agentId()).isEqualTo("codex");
    }

    @Test
    void bothGoalsWithoutPreferenceRefactor() {
      Decision d =
          decide(context().file(PARSER, 25).goals("cleanup the code", "more tests please"));
      assertThat(d.path()).isEqualTo(DecisionPath.REFACTOR);
    }

    @Test
    void metadataCarriesTheConfigIdAndTheGoalsHash() throws Exception {
      Contexts c = context().file(PARSER, 5).goals("b goal", "a goal");
      c.config.id("nightly");
      Decision d = decide(c);
      byte[] sha =
          MessageDigest.getInstance("SHA-256")
              .digest("a goal|b goal".getBytes(StandardCharsets.UTF_8));
      assertThat(d.metadata())
          .containsEntry("config_id", "nightly")
          .containsEntry("goals_hash", HexFormat.of().formatHex(sha).substring(0, 16));
      assertThat(HeuristicDecisionEngine.goalsHash(List.of())).hasSize(16);
    }
  }

  @Nested
  class Agents {
    @Test
    void preferIsRespected() {
      Decision d = decide(context().file(PARSER, 5).prefer(List.of("claude-code"), List.of()));
      assertThat(d.path()).isEqualTo(DecisionPath.TESTS);
      assertThat(d.agentId()).isEqualTo("claude-code");
    }

    @Test
    void allowListIsRespected() {
      DecisionExplanation e =
          engine.explain(
              context()
                  .file(PARSER, 25)
                  .prompt("claude-code", "refactor")
                  .prefer(List.of(), List.of("codex"))
                  .build());
      Decision d = e.decision().orElseThrow();
      assertThat(d.path()).isEqualTo(DecisionPath.REFACTOR);
      assertThat(d.agentId()).isEqualTo("codex");
      assertThat(e.agents())
          .extracting(
              DecisionExplanation.AgentVerdict::agentId, DecisionExplanation.AgentVerdict::verdict)
          .startsWith(
              org.assertj.core.groups.Tuple.tuple("claude-code", Verdict.NOT_ALLOWED),
              org.assertj.core.groups.Tuple.tuple("codex", Verdict.CHOSEN));
    }

    @Test
    void preferNotInAllowIsIgnored() {
      Decision d =
          decide(
              context().file(PARSER, 5).prefer(List.of("gemini"), List.of("codex", "claude-code")));
      assertThat(d.agentId()).isEqualTo("codex");
    }

    @Test
    void anUnavailableAgentGivesWayToTheNextAllowedOne() {
      DecisionExplanation e =
          engine.explain(context().file(PARSER, 5).unavailable("codex").build());
      assertThat(e.runnable()).isTrue();
      assertThat(e.agent()).contains("claude-code");
      assertThat(e.decision().orElseThrow().agentId()).isEqualTo("claude-code");
      assertThat(e.agents().get(0).agentId()).isEqualTo("codex");
      assertThat(e.agents().get(0).verdict()).isEqualTo(Verdict.UNAVAILABLE);
      assertThat(e.agents().get(0).reason()).isEqualTo("command not found: codex-acp (npm i)");
      assertThat(e.decision().orElseThrow().rationale())
          .contains("Agent: claude-code")
          .contains("codex is unavailable: command not found: codex-acp");
    }

    @Test
    void withNoAllowedAgentAvailableNothingIsDecidedButTheExplanationSaysWhy() {
      Contexts c =
          context()
              .file(PARSER, 5)
              .unavailable("codex")
              .unavailable("claude-code")
              .prefer(List.of(), List.of("codex", "claude-code"));
      assertThat(engine.decide(c.build())).isEmpty();
      DecisionExplanation e = engine.explain(c.build());
      assertThat(e.runnable()).isFalse();
      assertThat(e.agent()).isEmpty();
      Decision d = e.decision().orElseThrow();
      assertThat(d.path()).isEqualTo(DecisionPath.TESTS);
      assertThat(d.agentId()).isEqualTo("codex");
      assertThat(e.summary())
          .isEqualTo(
              "tests: Add tests for Parser.java, would use codex, unavailable because"
                  + " command not found: codex-acp (npm i)");
      assertThat(e.agents())
          .extracting(
              DecisionExplanation.AgentVerdict::agentId, DecisionExplanation.AgentVerdict::verdict)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("codex", Verdict.UNAVAILABLE),
              org.assertj.core.groups.Tuple.tuple("claude-code", Verdict.UNAVAILABLE),
              org.assertj.core.groups.Tuple.tuple("gemini", Verdict.NOT_ALLOWED));
    }

    @Test
    void anAgentNoProviderReportedIsUnavailable() {
      Contexts c = context().file(PARSER, 5);
      c.agents.clear();
      DecisionExplanation e = engine.explain(c.build());
      assertThat(e.runnable()).isFalse();
      assertThat(e.agents().get(0).reason()).isEqualTo("no provider reported this agent");
    }

    @Test
    void theAgentsPerPathAreConfigurable() {
      HeuristicDecisionEngine custom = new HeuristicDecisionEngine("gemini", "gemini", "codex");
      assertThat(custom.decide(context().file(PARSER, 5).build()).orElseThrow().agentId())
          .isEqualTo("gemini");
    }
  }

  @Nested
  class Numbers {
    @Test
    void confidenceNeverExceedsOne() {
      for (int touches : List.of(21, 35, 36, 99, 500, 100_000)) {
        Decision d = decide(context().file(PARSER, touches).goals("refactor all the things"));
        assertThat(d.confidence()).as("%d touches", touches).isBetween(0.0, 1.0);
      }
      Decision capped = decide(context().file(PARSER, 99).goals("refactor"));
      assertThat(capped.confidence()).isEqualTo(1.0);
      Decision noGoal = decide(context().file(PARSER, 99).prompt("codex", "refactor"));
      assertThat(noGoal.confidence()).isEqualTo(0.95);
    }

    @Test
    void contributingWeightsAddUpToTheConfidence() {
      List<Contexts> cases =
          List.of(
              context().file(PARSER, 99).goals("refactor"),
              context().file(PARSER, 33).prompt("codex", "refactor").goals("Add tests"),
              context().file(PARSER, 33).goals("cleanup", "test"),
              context().file(PARSER, 3),
              context().goals("refactor"));
      for (Contexts c : cases) {
        Decision d = decide(c);
        double sum = d.signals().stream().mapToDouble(Signal::weight).sum();
        assertThat(sum).as(d.rationale()).isCloseTo(d.confidence(), within(1e-6));
        assertThat(d.signals()).allSatisfy(s -> assertThat(s.weight()).isBetween(0.0, 1.0));
      }
    }

    @Test
    void estimatesAreTheBudgetTimesTheFactorWithin900And7200Seconds() {
      assertThat(estimate(context().budget(900).file(PARSER, 5))).isEqualTo(900); // 630
      assertThat(estimate(context().budget(1800).file(PARSER, 5))).isEqualTo(1260);
      assertThat(estimate(context().budget(7200).file(PARSER, 5))).isEqualTo(5040);
      assertThat(estimate(context().budget(900).file(PARSER, 25).goals("refactor"))).isEqualTo(900);
      assertThat(estimate(context().budget(7200).file(PARSER, 25).goals("refactor")))
          .isEqualTo(7200);
      assertThat(estimate(context().budget(1800))).isEqualTo(900); // 0.5 × 1800
      assertThat(estimate(context().budget(7200))).isEqualTo(3600);
      // Budgets outside the loader's range still give estimates inside it.
      assertThat(estimate(context().budget(60_000).file(PARSER, 25).goals("refactor")))
          .isEqualTo(7200);
      assertThat(estimate(context().budget(10))).isEqualTo(900);
    }

    long estimate(Contexts c) {
      Duration d = decide(c).estimatedDuration();
      return d.toSeconds();
    }
  }

  @Nested
  class Determinism {
    @Test
    void tiesAreBrokenByPath() {
      Decision d = decide(context().file("src/b/B.java", 7).file("src/a/A.java", 7));
      assertThat(d.targetFile()).contains("src/a/A.java");
      Decision r =
          decide(
              context()
                  .file("src/z/Z.java", 30)
                  .file("src/m/M.java", 30)
                  .prompt("claude-code", "refactor"));
      assertThat(r.targetFile()).contains("src/m/M.java");
    }

    @Test
    void theSameContextGivesTheSameDecisionWhateverTheInputOrder() {
      Contexts a =
          context().file("x/A.java", 3).file("x/B.java", 3).file("x/C.py", 9).goals("g1", "g2");
      Contexts b =
          context().file("x/C.py", 9).file("x/B.java", 3).file("x/A.java", 3).goals("g1", "g2");
      assertThat(engine.explain(a.build())).isEqualTo(engine.explain(b.build()));
      assertThat(engine.explain(a.build())).isEqualTo(engine.explain(a.build()));
    }

    @Test
    void duplicateEntriesForAFileAreAddedUp() {
      Decision d =
          decide(
              context()
                  .file(PARSER, 15)
                  .file(LEXER, 18)
                  .file(PARSER, 10)
                  .prompt("codex", "refactor"));
      assertThat(d.path()).isEqualTo(DecisionPath.REFACTOR);
      assertThat(d.metadata()).containsEntry("file_touches", "25");
    }
  }

  @Nested
  class Focus {
    @Test
    void includeAndExcludeGlobsFilterFiles() {
      Decision d =
          decide(
              context()
                  .file("src/main/java/app/generated/Big.java", 90)
                  .file("scripts/tool.py", 50)
                  .file(PARSER, 3)
                  .focus(List.of("src/main/**"), List.of("**/generated/**")));
      assertThat(d.targetFile()).contains(PARSER);
    }

    @Test
    void doubleStarAlsoMatchesTopLevelFiles() {
      Decision d =
          decide(
              context()
                  .file("Main.java", 5)
                  .file("lib/x.py", 9)
                  .focus(List.of("**/*.java"), List.of()));
      assertThat(d.targetFile()).contains("Main.java");
    }

    @Test
    void nothingInFocusMeansExploration() {
      Decision d = decide(context().file("lib/x.py", 9).focus(List.of("src/**"), List.of()));
      assertThat(d.path()).isEqualTo(DecisionPath.EXPLORATION);
      assertThat(d.rationale()).contains("no file changed in the last 30 days is in focus");
    }

    @Test
    void aBrokenGlobMatchesNothingAndIsReported() {
      Decision d =
          decide(context().file(PARSER, 5).file("lib/x.py", 3).focus(List.of("src/{a"), List.of()));
      assertThat(d.path()).isEqualTo(DecisionPath.EXPLORATION);
      assertThat(d.signals()).anySatisfy(s -> assertThat(s.name()).isEqualTo("focus_problem"));
    }
  }

  @Nested
  class NeverStalls {
    @Test
    void repeatedDecisionsMoveOnUntilNothingIsLeft() {
      Contexts c =
          context()
              .file(PARSER, 30)
              .file(LEXER, 22)
              .file("web/app.ts", 4)
              .file("web/util.ts", 2)
              .tested("web/util.ts")
              .file("docs/guide.md", 12)
              .goals("Refactor error handling", "Document the API");
      Set<String> seen = new HashSet<>();
      List<String> order = new ArrayList<>();
      for (int cycle = 0; cycle < 20; cycle++) {
        Optional<Decision> d = engine.decide(c.build());
        if (d.isEmpty()) {
          break;
        }
        String hash = d.get().toTaskSpec().opHash();
        assertThat(seen.add(hash)).as("op hash %s repeated", hash).isTrue();
        order.add(d.get().path().key() + " " + d.get().targetFile().orElse(d.get().title()));
        c.finished(hash);
      }
      assertThat(order)
          .containsExactly(
              "refactor " + PARSER,
              "refactor " + LEXER,
              "tests " + PARSER,
              "tests " + LEXER,
              "tests web/app.ts",
              "exploration Explore: Refactor error handling",
              "exploration Explore: Document the API",
              "exploration Explore the codebase");
      DecisionExplanation done = engine.explain(c.build());
      assertThat(done.decision()).isEmpty();
      assertThat(done.passedOver()).hasSize(8);
      assertThat(done.summary()).startsWith("nothing to do: every candidate is already done");
    }

    @Test
    void workDoneByAnotherAgentCountsAsDone() {
      Contexts c = context().file(PARSER, 5);
      Decision first = decide(c);
      String byClaude = TaskSpec.defaultOpHash(first.prompt(), Optional.of("claude-code"));
      c.finished(byClaude);
      Decision next = decide(c);
      assertThat(next.path()).isEqualTo(DecisionPath.EXPLORATION);
      assertThat(next.rationale()).contains("every file candidate is already done");
      assertThat(next.signals()).anySatisfy(s -> assertThat(s.name()).isEqualTo("passed_over"));
    }

    @Test
    void theDecisionsOpHashIsTheTaskSpecDefault() {
      Decision d = decide(context().file(PARSER, 5));
      assertThat(d.toTaskSpec().opHash())
          .isEqualTo(TaskSpec.defaultOpHash(d.prompt(), Optional.of(d.agentId())));
      assertThat(d.toTaskSpec().metadata()).containsEntry("target_file", PARSER);
    }
  }

  static Signal signal(Decision d, String name) {
    return d.signals().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
