package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.Availability;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.spi.ProviderLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
  static final String PARSER = "src/main/java/app/Parser.java";

  /**
   * Agents point at commands that exist nowhere, so availability reads the same on every machine.
   */
  static final String NO_PROVIDER = "codex: command not found: /nonexistent/codex-acp";

  @TempDir Path tmp;
  Path ws;
  Path config;

  @BeforeEach
  void repository() throws Exception {
    ws = Files.createDirectories(tmp.resolve("repo"));
    git("init", "-q", "-b", "main");
    git("config", "user.email", "dev@example.com");
    git("config", "user.name", "Dev");
    git("config", "commit.gpgsign", "false");
    commit(Map.of(PARSER, "1", "src/main/java/app/Lexer.java", "1", "README.md", "r"));
    commit(Map.of(PARSER, "2", "src/test/java/app/LexerTest.java", "t"));
    config = tmp.resolve("overnight.json");
    Files.writeString(
        config,
        "{\"id\":\"cli-plan\",\"workspace_root\":\""
            + ws
            + "\",\"schedule\":{\"expression\":\"0 2 * * *\"},\"state_dir\":\""
            + tmp.resolve("state")
            + "\",\"goals\":[\"Increase test coverage\"],\"focus\":{\"include\":[\"src/**\"]},"
            + "\"agents\":{\"codex\":{\"command\":\"/nonexistent/codex-acp\"},"
            + "\"claude-code\":{\"command\":\"/nonexistent/claude-agent-acp\"},"
            + "\"gemini\":{\"command\":\"/nonexistent/gemini\"}},"
            + "\"decision\":{\"engine\":\"heuristic\",\"history_sources\":[\"overnight\"]}}");
  }

  @Test
  void explainShowsTheTaskFileAgentSignalsAndWhyTheAgentIsUnavailable() throws Exception {
    String head = git("rev-parse", "HEAD") + git("status", "--porcelain");
    CliRun run = CliRun.of("plan", "--explain", "--config", config.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith(
            "Next task: Add tests for Parser.java   [tests, confidence 0.85, priority medium,"
                + " about 21 min]\n")
        .contains("  File         " + PARSER + " (2 touches)\n")
        .contains("  Agent        would use codex, unavailable because " + NO_PROVIDER + " (")
        .contains(
            "  Prompt       Generate comprehensive tests for "
                + PARSER
                + " covering all public methods and edge cases.")
        .contains("  missing_tests     0.75  " + PARSER + ": 2 touches, no tests found\n")
        .contains("  goal_tests        0.10  Increase test coverage\n")
        .contains("  codex          unavailable  " + NO_PROVIDER + " (")
        .contains(
            "  claude-code    unavailable  claude-code: command not found:"
                + " /nonexistent/claude-agent-acp")
        .contains("  git          2 commits, 3 files in focus\n")
        .contains(
            "  overnight    0 sessions (no folder " + tmp.resolve("state/transcripts") + ")\n");
    assertThat(git("rev-parse", "HEAD") + git("status", "--porcelain")).isEqualTo(head);
    assertThat(tmp.resolve("state")).doesNotExist();
  }

  @Test
  void jsonCarriesTheSameDecision() throws Exception {
    CliRun run = CliRun.of("plan", "--explain", "--json", "--config", config.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/plan", run.out())).isEmpty();
    assertThat(json.path("runnable").asBoolean(true)).isFalse();
    JsonNode d = json.path("decision");
    assertThat(d.path("path").asText()).isEqualTo("tests");
    assertThat(d.path("target_file").asText()).isEqualTo(PARSER);
    assertThat(d.path("agent_id").asText()).isEqualTo("codex");
    assertThat(d.path("confidence").asDouble()).isEqualTo(0.85);
    assertThat(d.path("estimated_duration_sec").asLong()).isEqualTo(1260);
    assertThat(d.path("signals").get(0).path("name").asText()).isEqualTo("missing_tests");
    assertThat(d.path("signals").get(0).path("weight").asDouble()).isEqualTo(0.75);
    assertThat(json.path("agent").path("would_use").asText()).isEqualTo("codex");
    assertThat(json.path("agent").path("available").asBoolean(true)).isFalse();
    assertThat(json.path("agent").path("reason").asText()).startsWith(NO_PROVIDER + " (install it");
    assertThat(json.path("agents").get(0).path("verdict").asText()).isEqualTo("unavailable");
    assertThat(json.path("inputs").path("git").path("commits").asInt()).isEqualTo(2);
  }

  @Test
  void engineOverridesTheConfigsEngineForOneRunAndTheAgentEngineSaysWhyItFellBack()
      throws Exception {
    Files.writeString(
        config,
        Files.readString(config)
            .replace(
                "\"engine\":\"heuristic\"", "\"engine\":\"heuristic\",\"agent\":\"claude-code\""));
    CliRun run = CliRun.of("plan", "--explain", "--engine", "agent", "--config", config.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("\nAgent plan (claude-code)\n")
        .contains(
            "  not used     claude-code is unavailable: claude-code: command not found:"
                + " /nonexistent/claude-agent-acp")
        .contains("  evidence     ");
    assertThat(tmp.resolve("state")).doesNotExist();

    CliRun json = CliRun.of("plan", "--json", "--engine", "agent", "--config", config.toString());
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/plan", json.out())).isEmpty();
    JsonNode agentPlan = new ObjectMapper().readTree(json.out()).path("agent_plan");
    assertThat(agentPlan.path("agent").asText()).isEqualTo("claude-code");
    assertThat(agentPlan.path("used").asBoolean(true)).isFalse();
    assertThat(agentPlan.path("differs").asBoolean(true)).isFalse();

    CliRun evidence =
        CliRun.of("plan", "--json", "--engine", "evidence", "--config", config.toString());
    assertThat(new ObjectMapper().readTree(evidence.out()).has("agent_plan")).isFalse();
    CliRun configured = CliRun.of("plan", "--json", "--config", config.toString());
    assertThat(new ObjectMapper().readTree(evidence.out()).path("summary").asText())
        .isNotEqualTo(new ObjectMapper().readTree(configured.out()).path("summary").asText());

    CliRun unknown = CliRun.of("plan", "--engine", "oracle", "--config", config.toString());
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.err())
        .contains("--engine oracle is not a decision engine (known: agent, evidence, heuristic,");
  }

  @Test
  void withoutExplainOneLineSaysWhatWouldRun() {
    CliRun run = CliRun.of("plan", "-c", config.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith(
            "tests: Add tests for Parser.java, would use codex, unavailable because " + NO_PROVIDER)
        .endsWith("\n(overnight plan --explain --config " + config + " shows why)\n");
  }

  @Test
  void aBrokenConfigIsAnError() throws IOException {
    CliRun missing =
        CliRun.of("plan", "--explain", "--config", tmp.resolve("nope.json").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("config file not found");
  }

  @Test
  void everyBuiltInAndConfiguredAgentIsListedEvenWithoutProviders() {
    OrchestrationConfig cfg =
        OrchestrationConfig.builder(ConfigValue.of(ws.toString()))
            .agentPreferences(
                new dev.overnight.api.config.AgentPreferences(List.of("my-agent"), List.of()))
            .build();
    Map<String, Availability> agents =
        OvernightRuntime.discover(cfg, new StatePaths(tmp.resolve("state")), ProviderLoader.none())
            .agentAvailability();
    assertThat(agents).containsOnlyKeys("claude-code", "codex", "gemini", "my-agent");
    assertThat(agents.get("my-agent").toString())
        .isEqualTo(
            "no provider for agent my-agent on the class path (add"
                + " dev.overnight:orchestration-agents-acp)");
  }

  /** Queues a task through the CLI; returns its short id. */
  private String queueAdd(String... options) {
    List<String> args = new ArrayList<>(List.of("queue", "add", "--config", config.toString()));
    args.addAll(List.of(options));
    CliRun added = CliRun.of(args.toArray(String[]::new));
    assertThat(added.exitCode()).as(added.err()).isZero();
    return added.out().substring("Queued ".length(), "Queued ".length() + 8);
  }

  @Test
  void pendingTasksComeFirstInClaimOrderThenTheEnginesProposalsUpToCount() {
    queueAdd("--prompt", "Tidy the build", "--title", "Tidy the build");
    String urgent =
        queueAdd("--prompt", "Fix the lexer", "--title", "Fix the lexer", "--priority", "high");

    CliRun run = CliRun.of("plan", "--config", config.toString(), "--count", "3");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0))
        .startsWith("1. queued    Fix the lexer   [" + urgent + ", priority high");
    assertThat(lines.get(1)).startsWith("2. queued    Tidy the build   [");
    assertThat(lines.get(2)).startsWith("3. proposed  tests: Add tests for Parser.java   [codex");
    assertThat(lines).hasSize(4);

    CliRun one = CliRun.of("plan", "--config", config.toString());
    assertThat(one.out()).startsWith("1. queued    Fix the lexer");
    assertThat(one.out().lines()).hasSize(2);
  }

  @Test
  void workTheQueueHasSeenIsNotProposedAgainAndEachProposalCountsAsTakenForTheNext()
      throws Exception {
    JsonNode first =
        new ObjectMapper()
            .readTree(CliRun.of("plan", "--json", "--config", config.toString()).out())
            .path("decision");
    String title = first.path("title").asText();
    List<String> before =
        CliRun.of("plan", "--config", config.toString(), "--count", "2").out().lines().toList();
    assertThat(before.get(0)).contains("proposed", title);
    assertThat(before.get(1)).contains("proposed").doesNotContain(title);
    String second =
        before.get(1).substring(before.get(1).indexOf(": ") + 2, before.get(1).indexOf("   ["));

    String id =
        queueAdd(
            "--prompt",
            first.path("prompt").asText(),
            "--agent",
            first.path("agent_id").asText(),
            "--title",
            title);
    assertThat(CliRun.of("queue", "cancel", "--config", config.toString(), id).exitCode()).isZero();

    CliRun after = CliRun.of("plan", "--config", config.toString());
    assertThat(after.out()).doesNotContain(title).contains(second);
    CliRun explained = CliRun.of("plan", "--explain", "--config", config.toString());
    assertThat(explained.out()).startsWith("Next task: " + second);
  }

  @Test
  void countIsBounded() {
    CliRun run = CliRun.of("plan", "--config", config.toString(), "--count", "0");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--count must be between 1 and 50, not 0");
  }

  @Test
  void asOfJsonListsProposalsWithTheirEvidenceAsTheRepositoryWasThen() throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("evidence"));
    gitIn(repo, null, "init", "-q", "-b", "main");
    gitIn(repo, null, "config", "user.email", "dev@example.com");
    gitIn(repo, null, "config", "user.name", "Dev");
    gitIn(repo, null, "config", "commit.gpgsign", "false");
    commitIn(repo, "2025-01-05T10:00:00Z", "start", Map.of("app/engine.py", python(6)));
    commitIn(
        repo, "2025-01-10T10:00:00Z", "Fix crash in engine", Map.of("app/engine.py", python(7)));
    commitIn(repo, "2025-03-01T10:00:00Z", "Fix crash in late", Map.of("app/late.py", python(8)));
    Path cfg = tmp.resolve("evidence.json");
    Files.writeString(
        cfg,
        "{\"id\":\"cli-evidence\",\"workspace_root\":\""
            + repo
            + "\",\"schedule\":{\"expression\":\"0 2 * * *\"},\"state_dir\":\""
            + tmp.resolve("state")
            + "\",\"agents\":{\"codex\":{\"command\":\"/nonexistent/codex-acp\"},"
            + "\"claude-code\":{\"command\":\"/nonexistent/claude-agent-acp\"}},"
            + "\"decision\":{\"engine\":\"evidence\",\"history_sources\":[]}}");

    CliRun run =
        CliRun.of("plan", "--json", "--as-of", "2025-01-20T00:00:00Z", "--config", cfg.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/plan", run.out())).isEmpty();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("as_of").asText()).isEqualTo("2025-01-20T00:00:00Z");
    List<String> kinds = new ArrayList<>();
    List<String> files = new ArrayList<>();
    json.path("proposals")
        .forEach(
            p -> {
              kinds.add(p.path("kind").asText());
              p.path("files").forEach(f -> files.add(f.asText()));
            });
    assertThat(kinds).contains("regression_test", "tests");
    assertThat(files).contains("app/engine.py").doesNotContain("app/late.py");
    JsonNode regression = json.path("proposals").get(kinds.indexOf("regression_test"));
    assertThat(regression.path("prompt").asText()).contains("Fix crash in engine");
    assertThat(regression.path("evidence").get(0).path("commit").asText()).hasSize(40);
    assertThat(regression.path("confidence").asDouble()).isBetween(0.0, 1.0);
    assertThat(regression.path("signals").size()).isPositive();
  }

  private static String python(int functions) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < functions; i++) {
      b.append("def step").append(i).append("(value):\n    total = value * ").append(i + 2);
      b.append("\n    if total > 10:\n        total -= 1\n    return total\n\n");
    }
    return b.toString();
  }

  private void commitIn(Path repo, String date, String message, Map<String, String> files)
      throws Exception {
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = repo.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    gitIn(repo, date, "add", "-A");
    gitIn(repo, date, "commit", "-q", "-m", message);
  }

  private String gitIn(Path repo, String date, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true);
    if (date != null) {
      pb.environment().put("GIT_AUTHOR_DATE", date);
      pb.environment().put("GIT_COMMITTER_DATE", date);
    }
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }

  private void commit(Map<String, String> files) throws Exception {
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = ws.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    git("add", "-A");
    git("commit", "-q", "-m", "change");
  }

  private String git(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(ws.toFile()).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }

  @Test
  void explainSaysWhenFollowUpsRunInTheDay() throws Exception {
    CliRun without = CliRun.of("plan", "--explain", "--config", config.toString());
    assertThat(without.exitCode()).as(without.err()).isZero();
    assertThat(without.out()).doesNotContain("In the day");

    Files.writeString(
        config,
        Files.readString(config)
            .replace(
                "\"schedule\":{\"expression\":\"0 2 * * *\"}",
                "\"schedule\":{\"expression\":\"0 2 * * *\",\"window_start\":\"01:00\","
                    + "\"window_end\":\"05:00\"},\"pr_automation\":{\"enabled\":true,"
                    + "\"push\":true,\"follow_ups\":{\"in_day\":true}}"));
    CliRun run = CliRun.of("plan", "--explain", "--config", config.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "In the day: follow-ups on pull requests also run in the day"
                + " (pr_automation.follow_ups.in_day): outside the window, every 15 min, the open"
                + " pull requests are watched and only follow-ups run, at most 10 from one night's"
                + " start to the next, as the constraints allow\n");
  }
}
