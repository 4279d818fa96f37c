package dev.overnight.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.Availability;
import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.Focus;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.DecisionExplanation;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.decision.FileActivity;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.decision.SessionRecord;
import dev.overnight.core.spi.Discovery;
import dev.overnight.fakes.ManualTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inputs assembled from a real repository and history fixtures, and the plan made of them. */
class DecisionPlannerTest {
  static final InstantSource CLOCK = InstantSource.fixed(Contexts.NOW);
  static final String PARSER = "src/main/java/app/Parser.java";
  static final String LEXER = "src/main/java/app/Lexer.java";
  static final String LEXER_TEST = "src/test/java/app/LexerTest.java";

  @TempDir Path tmp;
  Path ws;
  Path home;
  Path state;
  GitRepo repo;

  @BeforeEach
  void workspace() throws Exception {
    ws = Files.createDirectories(tmp.resolve("work/my_app.v2"));
    home = Files.createDirectories(tmp.resolve("home"));
    state = tmp.resolve("state");
    repo =
        GitRepo.init(ws)
            .commit(
                "2025-01-02T10:00:00Z",
                "start",
                Map.of(
                    PARSER, "1", LEXER, "1", "src/main/java/app/Old.java", "1", "README.md", "1"))
            .commit("2025-01-03T10:00:00Z", "parser", Map.of(PARSER, "2"))
            .commit("2025-01-04T10:00:00Z", "parser", Map.of(PARSER, "3", LEXER_TEST, "t"));
    repo.git("2025-01-05T10:00:00Z", "rm", "-q", "src/main/java/app/Old.java");
    repo.git("2025-01-05T10:00:00Z", "commit", "-q", "-m", "drop old");
    Map<String, String> vars = Map.of("WORKSPACE", ws.toString());
    Fixtures.install(
        "claude/session-refactor.jsonl",
        home.resolve(".claude/projects")
            .resolve(ClaudeCodeHistory.projectSlug(ws))
            .resolve("4f35e220-c435-4cf7-b9b9-f40426042847.jsonl"),
        vars);
    Fixtures.install(
        "codex/rollout-tests.jsonl",
        home.resolve(".codex/sessions/2025/01/15/rollout-2025-01-15T10-00-00-x.jsonl"),
        vars);
    Fixtures.install(
        "overnight/task-1.jsonl",
        state.resolve("transcripts/task-1.jsonl"),
        Map.of("WORKTREE", state.resolve("worktrees/task-1").toString()));
  }

  OrchestrationConfig.Builder config() {
    return OrchestrationConfig.builder(ConfigValue.of(ws.toString()))
        .id("nightly")
        .focus(new Focus(List.of("src/**"), List.of()))
        .decision(new DecisionSettings(30, 4, DecisionSettings.KNOWN_SOURCES))
        .stateDir(ConfigValue.of(state.toString()));
  }

  DecisionInputs.Builder inputs(OrchestrationConfig config) {
    return inputs(config, home);
  }

  /** The inputs with the history sources the config lists, as a runtime would find them. */
  DecisionInputs.Builder inputs(
      OrchestrationConfig config, Path homeDir, SessionHistorySource... explicit) {
    Discovery.Builder discovery =
        Discovery.builder(
            ProviderContext.builder(config)
                .timeSource(new ManualTimeSource(Contexts.NOW))
                .stateDirectory(config.stateDir().map(ConfigValue::path).orElse(state))
                .homeDirectory(homeDir)
                .environment(Map.of())
                .build());
    for (SessionHistorySource s : explicit) {
      discovery.historySource(s);
    }
    return DecisionInputs.builder(config, CLOCK).historySources(discovery.build().historySources());
  }

  @Test
  void gathersGitAndSessionTouchesOfFilesInFocusThatStillExist() {
    DecisionInputs.Gathered g =
        inputs(config().build())
            .agents(Map.of("codex", Availability.available("ok")))
            .build()
            .gather();
    DecisionContext c = g.context();
    assertThat(c.fileActivity())
        .containsExactly(
            // git 3 + the Claude Code session + the overnight session
            new FileActivity(PARSER, 5),
            // git 1 + Claude Code + Codex + overnight
            new FileActivity(LEXER, 4),
            // git 1 + Codex
            new FileActivity(LEXER_TEST, 2));
    assertThat(c.filesWithTests()).containsExactly(LEXER);
    assertThat(c.sessions())
        .extracting(SessionRecord::source)
        .containsExactly("overnight", "claude-code", "codex");
    assertThat(c.now()).isEqualTo(Contexts.NOW);
    assertThat(c.agents()).containsOnlyKeys("codex");

    DecisionInputs.Report r = g.report();
    assertThat(r.since()).isEqualTo(Instant.parse("2024-12-21T00:00:00Z"));
    assertThat(r.git().commits()).isEqualTo(4);
    assertThat(r.history())
        .extracting(DecisionInputs.SourceReport::source, DecisionInputs.SourceReport::sessions)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("overnight", 1),
            org.assertj.core.groups.Tuple.tuple("claude-code", 1),
            org.assertj.core.groups.Tuple.tuple("codex", 1));
    assertThat(r.filesConsidered()).isEqualTo(3);
    assertThat(r.filesWithTests()).isEqualTo(1);
  }

  @Test
  void sourcesThatAreMissingOffOrBrokenAreReportedNotFatal() {
    SessionHistorySource broken =
        new SessionHistorySource() {
          @Override
          public String name() {
            return "codex";
          }

          @Override
          public List<SessionRecord> read(Path workspace, Instant since, int limit) {
            throw new IllegalStateException("disk on fire");
          }
        };
    OrchestrationConfig cfg =
        config().stateDir(ConfigValue.of(tmp.resolve("empty").toString())).build();
    DecisionInputs.Gathered g = inputs(cfg, tmp.resolve("nobody"), broken).build().gather();
    assertThat(g.report().history())
        .extracting(DecisionInputs.SourceReport::source, s -> s.note().orElse(""))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "overnight", "no folder " + tmp.resolve("empty/transcripts")),
            org.assertj.core.groups.Tuple.tuple(
                "claude-code", "no folder " + tmp.resolve("nobody/.claude/projects")),
            org.assertj.core.groups.Tuple.tuple(
                "codex", "failed: java.lang.IllegalStateException: disk on fire"));
    assertThat(g.context().fileActivity()).extracting(FileActivity::path).contains(PARSER);
  }

  @Test
  void aWorkspaceThatIsNotARepositoryStillGetsAPlan(@TempDir Path plain) {
    OrchestrationConfig cfg =
        OrchestrationConfig.builder(ConfigValue.of(plain.toString()))
            .decision(new DecisionSettings(30, 20, List.of()))
            .build();
    PlanReport plan = DecisionPlanner.standard().plan(inputs(cfg).build());
    assertThat(plan.inputs().git().problem())
        .hasValueSatisfying(p -> assertThat(p).startsWith("not a git repository"));
    assertThat(plan.explanation().decision().orElseThrow().path())
        .isEqualTo(DecisionPath.EXPLORATION);
    assertThat(plan.toText()).contains("not a git repository");
  }

  @Test
  void planExplainsARefactorWithAnUnavailableAgentWithoutTouchingTheRepository() throws Exception {
    repo.write(PARSER, "uncommitted work");
    String before = repo.git(null, "status", "--porcelain") + repo.git(null, "rev-parse", "HEAD");
    Map<String, Availability> agents =
        Map.of(
            "claude-code",
            Availability.unavailable(
                "command not found: claude-agent-acp", "npm i -g claude-agent-acp"),
            "codex",
            Availability.unavailable("command not found: codex-acp", "npm i -g codex-acp"));
    PlanReport plan =
        DecisionPlanner.standard().plan(inputs(config().build()).agents(agents).build());

    assertThat(repo.git(null, "status", "--porcelain") + repo.git(null, "rev-parse", "HEAD"))
        .isEqualTo(before);
    DecisionExplanation e = plan.explanation();
    assertThat(e.runnable()).isFalse();
    assertThat(e.decision().orElseThrow().path()).isEqualTo(DecisionPath.REFACTOR);
    assertThat(e.decision().orElseThrow().targetFile()).contains(PARSER);

    String text = plan.toText();
    assertThat(text)
        .startsWith(
            "Next task: Refactor Parser.java   [refactor, confidence 0.65, priority high, about 30 min]\n")
        .contains("  File         " + PARSER + " (5 touches)\n")
        .contains(
            "  Agent        would use claude-code, unavailable because command not found:"
                + " claude-agent-acp (npm i -g claude-agent-acp)\n")
        .contains(
            "  refactor_intent   0.60  a recent claude-code session (\"The parser's error handling is a mess")
        .contains(
            "  file_touches      0.05  "
                + PARSER
                + ": 5 touches, over the refactor threshold of 4\n")
        .contains("  claude-code    unavailable  command not found: claude-agent-acp")
        .contains("  codex          unavailable  command not found: codex-acp")
        .contains("  git          4 commits, 4 files in focus\n")
        .contains("  overnight    1 session\n")
        .contains("  files        3 in focus and present, 1 with tests\n");

    JsonNode json = new ObjectMapper().readTree(plan.toJson());
    assertThat(json.path("runnable").asBoolean(true)).isFalse();
    assertThat(json.path("decision").path("path").asText()).isEqualTo("refactor");
    assertThat(json.path("decision").path("target_file").asText()).isEqualTo(PARSER);
    assertThat(json.path("decision").path("op_hash").asText()).hasSize(16);
    assertThat(json.path("decision").path("metadata").path("config_id").asText())
        .isEqualTo("nightly");
    assertThat(json.path("agent").path("would_use").asText()).isEqualTo("claude-code");
    assertThat(json.path("agent").path("chosen").isMissingNode()).isTrue();
    assertThat(json.path("agent").path("reason").asText())
        .isEqualTo("command not found: claude-agent-acp (npm i -g claude-agent-acp)");
    assertThat(json.path("decision").path("signals").get(0).path("name").asText())
        .isEqualTo("refactor_intent");
    assertThat(json.path("inputs").path("files").path("activity")).hasSize(3);
  }

  @Test
  void finishedWorkIsPassedOverAndListed() {
    Map<String, Availability> agents =
        Map.of("claude-code", Availability.available("ok"), "codex", Availability.available("ok"));
    DecisionPlanner planner = DecisionPlanner.standard();
    PlanReport first = planner.plan(inputs(config().build()).agents(agents).build());
    String hash = first.explanation().decision().orElseThrow().toTaskSpec().opHash();
    PlanReport second =
        planner.plan(
            inputs(config().build()).agents(agents).finishedOpHashes(Set.of(hash)).build());
    assertThat(second.explanation().decision().orElseThrow().toTaskSpec().opHash())
        .isNotEqualTo(hash);
    assertThat(second.explanation().passedOver())
        .singleElement()
        .satisfies(p -> assertThat(p.opHash()).isEqualTo(hash));
    assertThat(second.toText())
        .contains("Passed over (already done)\n  refactor     Refactor Parser.java — " + PARSER);
  }

  @Test
  void longPassedOverListsAreCutInText() {
    Contexts c = Contexts.context();
    for (int i = 0; i < 25; i++) {
      c.file(String.format("src/F%02d.java", i), 1);
    }
    HeuristicDecisionEngine engine = new HeuristicDecisionEngine();
    for (int i = 0; i < 25; i++) {
      c.finished(engine.decide(c.build()).orElseThrow().toTaskSpec().opHash());
    }
    DecisionContext context = c.build();
    DecisionInputs.Report report =
        new DecisionInputs.Report(
            ws,
            30,
            Instant.parse("2024-12-21T00:00:00Z"),
            new GitActivity.Result(List.of(), 0, java.util.Optional.empty()),
            List.of(),
            25,
            0);
    PlanReport plan = new PlanReport(context, report, engine.explain(context));
    assertThat(plan.explanation().passedOver()).hasSize(25);
    assertThat(plan.toText())
        .contains("src/F19.java")
        .doesNotContain("src/F20.java")
        .contains("  … and 5 more\n");
    assertThat(plan.toJson()).contains("src/F24.java");
  }
}
