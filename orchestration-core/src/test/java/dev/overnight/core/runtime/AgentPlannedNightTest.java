package dev.overnight.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.AgentPlanning;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.ReviewSettings;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.decision.AgentDecisionEngine;
import dev.overnight.core.decision.PlanReport;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A night on virtual time with {@code decision.engine: agent} and review enabled, through the
 * runtime as a user assembles it: the engine found by name, the planning agent found among the
 * runtime's agents, a planned task run, reviewed and reported.
 */
class AgentPlannedNightTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");
  private static final String PARSER = "src/app/Parser.java";

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private Path workspace;
  private StatePaths paths;
  private OvernightRuntime runtime;

  @BeforeEach
  void aRepository() throws IOException {
    workspace = Files.createDirectories(dir.resolve("repo"));
    Git git = new Git(workspace);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.name", "Dev");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "commit.gpgsign", "false");
    Files.writeString(workspace.resolve("README.md"), "# Demo\nA parser.\n");
    Files.createDirectories(workspace.resolve("src/app"));
    StringBuilder parser = new StringBuilder("package app;\n\npublic class Parser {\n");
    for (int i = 0; i < 12; i++) {
      parser.append("  public int step").append(i).append("(int x) {\n");
      parser.append("    if (x > ").append(i).append(") {\n      x -= ").append(i + 1);
      parser.append(";\n    }\n    return x * 2;\n  }\n");
    }
    Files.writeString(workspace.resolve(PARSER), parser.append("}\n").toString());
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "Start");
    paths = new StatePaths(dir.resolve("state"));
  }

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void aNightPlannedByAnAgentRunsThePlannedTaskAndItsReviewReachesTheReport() throws Exception {
    String plan =
        "{\"tasks\":[{\"kind\":\"tests\",\"files\":[\""
            + PARSER
            + "\"],\"title\":\"Test the parser's steps\","
            + "\"prompt\":\"Add unit tests for every step method of Parser.\","
            + "\"acceptance_check\":\"ParserTest covers step0 to step11 and passes.\","
            + "\"rationale\":\"Parser has no tests.\",\"expected_size\":\"small\"}]}";
    String verdict = "{\"verdict\":\"done\",\"reasons\":[\"every step is tested\"]}";
    FakeAgent claude =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(
                FakeTurn.builder()
                    .message(plan)
                    .endTurn(new Usage(3000, 500, 0, 0, Optional.of(0.05))))
            .session(FakeTurn.builder().message(verdict).endTurn())
            .build();
    FakeAgent codex =
        FakeAgent.builder("codex")
            .timeSource(time)
            .session(
                FakeTurn.builder()
                    .write("src/test/java/app/ParserTest.java", "class ParserTest {}\n")
                    .message("Added ParserTest.")
                    .endTurn(new Usage(1000, 200, 0, 0, Optional.empty())))
            .build();
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
            .id("agent-night")
            .maxConcurrent(1)
            .decision(
                new DecisionSettings(
                    AgentDecisionEngine.NAME,
                    30,
                    20,
                    List.of(),
                    List.of(),
                    Optional.empty(),
                    List.of(),
                    DecisionSettings.DEFAULT_RECENT_COMMITS,
                    new AgentPlanning(
                        Optional.of("claude-code"), AgentPlanning.defaults().budget(), 3)))
            .review(ReviewSettings.by(Optional.of("claude-code")))
            .build();
    runtime =
        OvernightRuntime.builder(config)
            .statePaths(paths)
            .timeSource(time)
            .environment(Map.of())
            .homeDirectory(dir.resolve("home"))
            .shutdownHook(false)
            .cycleExecutor(Runnable::run)
            .agentProvider(claude)
            .agentProvider(codex)
            .build();

    assertThat(runtime.discovery().decisionEngine()).isInstanceOf(AgentDecisionEngine.class);
    runtime.runOnce();

    Task task =
        runtime.taskQueue().list(TaskFilter.all()).items().stream()
            .filter(t -> t.title().equals("Test the parser's steps"))
            .findFirst()
            .orElseThrow();
    assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(task.agentId()).contains("codex");
    assertThat(task.prompt())
        .isEqualTo(
            "Add unit tests for every step method of Parser.\n\nAcceptance check: ParserTest"
                + " covers step0 to step11 and passes.");
    assertThat(task.fact(TaskFacts.PLANNED_BY)).contains("claude-code");
    assertThat(task.fact(TaskFacts.ACCEPTANCE_CHECK))
        .contains("ParserTest covers step0 to step11 and passes.");
    assertThat(task.fact(TaskFacts.REVIEW_VERDICT)).contains("done");
    // The planner and the reviewer worked read-only; the worker did not.
    assertThat(claude.requests()).hasSize(2).allSatisfy(r -> assertThat(r.readOnly()).isTrue());
    assertThat(codex.requests().get(0).readOnly()).isFalse();
    // Planning's use counts in the night's figures beside the task's.
    assertThat(runtime.coordinator().metrics().tokens()).isGreaterThanOrEqualTo(3500 + 1200);
    assertThat(runtime.coordinator().metrics().costUsd()).contains(0.05);
    assertThat(paths.reports().resolve("latest.md"))
        .content()
        .contains("Test the parser's steps", "completed", "review: done");

    // plan --explain on the same runtime reads the plan kept for this HEAD: no new planning run.
    PlanReport report = runtime.plan();
    assertThat(report.agentPlan()).isPresent();
    assertThat(report.agentPlan().get().plan().cached()).isTrue();
    assertThat(report.toText()).contains("Agent plan (claude-code, planned earlier for this HEAD)");
    assertThat(claude.requests()).hasSize(2);
  }
}
