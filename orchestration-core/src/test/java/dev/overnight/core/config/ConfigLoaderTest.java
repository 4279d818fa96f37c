package dev.overnight.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.config.AgentPlanning;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.IssueSettings;
import dev.overnight.api.config.MissedRunPolicy;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.SandboxMode;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.config.StoreSettings;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.api.queue.TaskPriority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  static final Path EXAMPLES =
      Path.of(System.getProperty("overnight.moduleDir", "."), "../examples/configs").normalize();

  @TempDir Path dir;

  private ConfigLoader loader(Map<String, String> env) {
    return ConfigLoader.builder()
        .environment(env)
        .homeDirectory(dir.resolve("home"))
        .userName("dev")
        .build();
  }

  private List<String> problems(String json) {
    return loader(Map.of()).result(json, dir, "test").problems().stream()
        .map(ConfigProblem::toString)
        .collect(Collectors.toList());
  }

  private static String config(String schedule, String extra) {
    return "{\"id\":\"t\",\"workspace_root\":\".\",\"schedule\":"
        + schedule
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  @Test
  void everyExampleConfigLoadsAndMatchesTheSchema() throws IOException {
    List<Path> examples;
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      examples =
          files.filter(f -> f.toString().endsWith(".json")).sorted().collect(Collectors.toList());
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(4);
    for (Path example : examples) {
      assertThat(ConfigLoader.standard().result(example).problems())
          .as(example.toString())
          .isEmpty();
      assertThat(SchemaValidator.errors(Files.readString(example)))
          .as(example.toString())
          .isEmpty();
    }
  }

  @Test
  void readsTheOriginalsExampleWithDefaultsFilledIn() {
    OrchestrationConfig c = ConfigLoader.standard().load(EXAMPLES.resolve("nightly-refactor.json"));
    assertThat(c.id()).isEqualTo("nightly-refactor");
    assertThat(c.workspaceRoot().path()).isEqualTo(EXAMPLES.resolve("../..").normalize());
    assertThat(c.schedule().windowStart()).contains(LocalTime.of(1, 0));
    assertThat(c.schedule().jitterMs()).isEqualTo(300_000);
    assertThat(c.constraints().enabledCheckers()).containsExactly("plugged_in", "wifi_only");
    assertThat(c.agentPreferences().prefer()).containsExactly("claude-code", "codex");
    assertThat(c.maxAttempts()).isEqualTo(OrchestrationConfig.DEFAULT_MAX_ATTEMPTS);
    assertThat(c.prAutomation().baseBranch()).contains("main");
  }

  @Test
  void windowStartEqualToEndIsAnError() {
    assertThat(
            problems(
                config(
                    "{\"expression\":\"0 2 * * *\",\"window_start\":\"02:00\",\"window_end\":\"02:00\"}",
                    "")))
        .containsExactly(
            "/schedule/window_end: must differ from window_start (\"02:00\"); for a window of the"
                + " whole day, leave both out");
  }

  @Test
  void cronIsValidatedByParsingNotByCountingFields() {
    assertThat(problems(config("{\"expression\":\"0 25 * * *\"}", "")))
        .singleElement()
        .asString()
        .startsWith("/schedule/expression: \"0 25 * * *\" is not a valid cron expression: ");
    assertThat(problems(config("{\"expression\":\"0 2 * * 7\"}", ""))).isEmpty();
    assertThat(problems(config("{\"expression\":\"0 2 31 2 MON-FRI\"}", ""))).isEmpty();
  }

  @Test
  void unknownTimeZoneIsNamed() {
    assertThat(problems(config("{\"expression\":\"0 2 * * *\",\"timezone\":\"Mars/Olympus\"}", "")))
        .containsExactly(
            "/schedule/timezone: \"Mars/Olympus\" is not a time zone: use an IANA id such as"
                + " \"Europe/Berlin\"");
  }

  @Test
  void workspaceMustExistBeADirectoryAndAGitRepositoryForPullRequests() throws IOException {
    Files.writeString(dir.resolve("file"), "x");
    Files.createDirectories(dir.resolve("plain"));
    String schedule = "{\"expression\":\"0 2 * * *\"}";
    assertThat(problems(config(schedule, "").replace("\".\"", "\"missing\"")))
        .containsExactly("/workspace_root: \"" + dir.resolve("missing") + "\" does not exist");
    assertThat(problems(config(schedule, "").replace("\".\"", "\"file\"")))
        .containsExactly("/workspace_root: \"" + dir.resolve("file") + "\" is not a directory");
    assertThat(
            problems(
                config(schedule, "\"pr_automation\":{\"enabled\":true}")
                    .replace("\".\"", "\"plain\"")))
        .containsExactly(
            "/workspace_root: \""
                + dir.resolve("plain")
                + "\" is not a git repository (pr_automation.enabled needs one: run git init)");
    Files.createDirectories(dir.resolve("plain/.git"));
    assertThat(
            problems(
                config(schedule, "\"pr_automation\":{\"enabled\":true}")
                    .replace("\".\"", "\"plain\"")))
        .isEmpty();
  }

  @Test
  void preferredAgentsMustBeKnownAndAllowed() {
    String schedule = "{\"expression\":\"0 2 * * *\"}";
    assertThat(problems(config(schedule, "\"agent_preferences\":{\"prefer\":\"claude_code\"}")))
        .containsExactly(
            "/agent_preferences/prefer: unknown agent \"claude_code\"; did you mean \"claude-code\"?"
                + " (known: claude-code, codex, gemini; add others under \"agents\")");
    assertThat(
            problems(
                config(
                    schedule,
                    "\"agent_preferences\":{\"prefer\":[\"codex\",\"gemini\"],\"allow\":[\"codex\"]}")))
        .containsExactly(
            "/agent_preferences/prefer/1: \"gemini\" is not in the allow list [codex]");
    assertThat(
            problems(
                config(
                    schedule,
                    "\"agents\":{\"mine\":{\"command\":\"mine-acp\"}},"
                        + "\"agent_preferences\":{\"prefer\":[\"mine\"]}")))
        .isEmpty();
  }

  @Test
  void variablesExpandAndUnsetOnesAreNamed() {
    Map<String, String> env = Map.of("WORKSPACE", dir.toString(), "STATE", "/var/state");
    OrchestrationConfig c =
        loader(env)
            .parse(
                config("{\"expression\":\"0 2 * * *\"}", "\"state_dir\":\"${STATE}/$USER\"")
                    .replace("\".\"", "\"$WORKSPACE\""),
                dir,
                "t");
    assertThat(c.workspaceRoot()).isEqualTo(new ConfigValue("$WORKSPACE", dir.toString()));
    assertThat(c.stateDir()).contains(new ConfigValue("${STATE}/$USER", "/var/state/dev"));

    assertThat(
            problems(
                config("{\"expression\":\"0 2 * * *\"}", "").replace("\".\"", "\"$WORKSPACE\"")))
        .containsExactly(
            "/workspace_root: variable $WORKSPACE is not set (set the WORKSPACE environment"
                + " variable or write the path)");
    assertThat(problems(config("{\"expression\":\"0 2 * * *\"}", "\"state_dir\":\"${NOPE}/x\"")))
        .containsExactly("/state_dir: variable ${NOPE} is not set");
    assertThat(problems(config("{\"expression\":\"0 2 * * *\"}", "\"state_dir\":\"$HOMEX/x\"")))
        .containsExactly(
            "/state_dir: $HOMEX is not a known variable: use $WORKSPACE, $HOME, $USER, or"
                + " ${HOMEX} for an environment variable");
  }

  @Test
  void tildeExpandsToHome() throws IOException {
    Files.createDirectories(dir.resolve("home/code"));
    OrchestrationConfig c =
        loader(Map.of())
            .parse(
                config("{\"expression\":\"0 2 * * *\"}", "").replace("\".\"", "\"~/code\""),
                dir,
                "t");
    assertThat(c.workspaceRoot().path()).isEqualTo(dir.resolve("home/code"));
  }

  @Test
  void catchUpIsAcceptedAsAnAlias() {
    OrchestrationConfig c =
        loader(Map.of())
            .parse(
                config("{\"expression\":\"0 2 * * *\",\"on_missed\":\"catch_up\"}", ""), dir, "t");
    assertThat(c.schedule().onMissed()).isEqualTo(MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY);
  }

  @Test
  void theNightAlarmsKIsReadCheckedAndWrittenBackOnlyWhenNotTheDefault() {
    OrchestrationConfig c =
        loader(Map.of())
            .parse(config("{\"expression\":\"0 2 * * *\",\"alarm_after_nights\":5}", ""), dir, "t");
    assertThat(c.schedule().alarmAfterNights()).isEqualTo(5);
    String saved = ConfigWriter.toJson(c);
    assertThat(saved).contains("\"alarm_after_nights\" : 5");
    assertThat(loader(Map.of()).parse(saved, dir, "t").schedule()).isEqualTo(c.schedule());

    OrchestrationConfig byDefault =
        loader(Map.of()).parse(config("{\"expression\":\"0 2 * * *\"}", ""), dir, "t");
    assertThat(byDefault.schedule().alarmAfterNights())
        .isEqualTo(Schedule.DEFAULT_ALARM_AFTER_NIGHTS)
        .isEqualTo(3);
    assertThat(ConfigWriter.toJson(byDefault)).doesNotContain("alarm_after_nights");

    assertThat(problems(config("{\"expression\":\"0 2 * * *\",\"alarm_after_nights\":0}", "")))
        .singleElement()
        .asString()
        .startsWith("/schedule/alarm_after_nights: ")
        .contains("between 1 and 365");
  }

  @Test
  void followUpsHaveBoundsByDefaultAreReadCheckedByPathAndWrittenBack() {
    OrchestrationConfig byDefault =
        loader(Map.of())
            .parse(config("{\"expression\":\"0 2 * * *\"}", "\"pr_automation\":{}"), dir, "t");
    assertThat(byDefault.prAutomation().followUps())
        .isEqualTo(new PrAutomation.FollowUps(3, 10, false));
    assertThat(ConfigWriter.toJson(byDefault)).doesNotContain("follow_ups");

    OrchestrationConfig c =
        loader(Map.of())
            .parse(
                config(
                    "{\"expression\":\"0 2 * * *\"}",
                    "\"pr_automation\":{\"follow_ups\":{\"per_pr\":1,\"per_night\":4,"
                        + "\"in_day\":false}}"),
                dir,
                "t");
    assertThat(c.prAutomation().followUps()).isEqualTo(new PrAutomation.FollowUps(1, 4, false));
    assertThat(loader(Map.of()).parse(ConfigWriter.toJson(c), dir, "t").prAutomation())
        .isEqualTo(c.prAutomation());

    assertThat(
            problems(
                config(
                    "{\"expression\":\"0 2 * * *\"}",
                    "\"pr_automation\":{\"follow_ups\":{\"per_pr\":-1,\"per_night\":101,"
                        + "\"in_day\":\"yes\",\"per_prr\":2}}")))
        .hasSize(4)
        .anySatisfy(p -> assertThat(p).asString().startsWith("/pr_automation/follow_ups/per_pr: "))
        .anySatisfy(
            p -> assertThat(p).asString().startsWith("/pr_automation/follow_ups/per_night: "))
        .anySatisfy(p -> assertThat(p).asString().startsWith("/pr_automation/follow_ups/in_day: "))
        .anySatisfy(p -> assertThat(p).asString().startsWith("/pr_automation/follow_ups/per_prr"));
    OrchestrationConfig inDay =
        loader(Map.of())
            .parse(
                config(
                    "{\"expression\":\"0 2 * * *\"}",
                    "\"pr_automation\":{\"follow_ups\":{\"in_day\":true,"
                        + "\"day_interval_sec\":600}}"),
                dir,
                "t");
    assertThat(inDay.prAutomation().followUps())
        .isEqualTo(new PrAutomation.FollowUps(3, 10, true, Duration.ofMinutes(10)));
    assertThat(loader(Map.of()).parse(ConfigWriter.toJson(inDay), dir, "t").prAutomation())
        .isEqualTo(inDay.prAutomation());
    assertThat(
            problems(
                config(
                    "{\"expression\":\"0 2 * * *\"}",
                    "\"pr_automation\":{\"follow_ups\":{\"in_day\":true,"
                        + "\"day_interval_sec\":30}}")))
        .singleElement()
        .asString()
        .startsWith("/pr_automation/follow_ups/day_interval_sec: ");
  }

  @Test
  void systemWakesAreOffByDefaultReadCheckedByPathAndWrittenBack() {
    OrchestrationConfig byDefault =
        loader(Map.of()).parse(config("{\"expression\":\"0 2 * * *\"}", ""), dir, "t");
    assertThat(byDefault.schedule().wake()).isEqualTo(new Schedule.Wake(false, 120));
    assertThat(ConfigWriter.toJson(byDefault)).doesNotContain("\"wake\"");

    OrchestrationConfig c =
        loader(Map.of())
            .parse(
                config(
                    "{\"expression\":\"0 2 * * *\",\"wake\":{\"enabled\":true,\"lead_sec\":300}}",
                    ""),
                dir,
                "t");
    assertThat(c.schedule().wake()).isEqualTo(new Schedule.Wake(true, 300));
    assertThat(loader(Map.of()).parse(ConfigWriter.toJson(c), dir, "t").schedule())
        .isEqualTo(c.schedule());

    assertThat(
            problems(
                config("{\"expression\":\"0 2 * * *\",\"wake\":{\"lead_sec\":-1,\"when\":1}}", "")))
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).asString().startsWith("/schedule/wake/lead_sec: "))
        .anySatisfy(p -> assertThat(p).asString().startsWith("/schedule/wake/when"));
  }

  @Test
  void theShareLeftForTheMorningIsAPercentageOrAFractionAndIsWrittenBackAsAPercentage() {
    OrchestrationConfig c =
        loader(Map.of())
            .parse(
                config(
                    "{\"expression\":\"0 2 * * *\"}", "\"limits\":{\"leave_for_morning\":\"20%\"}"),
                dir,
                "t");
    assertThat(c.limits().leaveForMorning()).isEqualTo(0.2);
    String saved = ConfigWriter.toJson(c);
    assertThat(saved).contains("\"leave_for_morning\" : \"20%\"");
    assertThat(loader(Map.of()).parse(saved, dir, "t").limits()).isEqualTo(c.limits());
    assertThat(
            loader(Map.of())
                .parse(
                    config(
                        "{\"expression\":\"0 2 * * *\"}",
                        "\"limits\":{\"leave_for_morning\":0.25}"),
                    dir,
                    "t")
                .limits()
                .leaveForMorning())
        .isEqualTo(0.25);
    assertThat(
            loader(Map.of())
                .parse(config("{\"expression\":\"0 2 * * *\"}", ""), dir, "t")
                .limits()
                .leaveForMorning())
        .isZero();
    assertThat(
            problems(
                config(
                    "{\"expression\":\"0 2 * * *\"}",
                    "\"limits\":{\"leave_for_morning\":\"95%\"}")))
        .singleElement()
        .asString()
        .startsWith("/limits/leave_for_morning: \"95%\" is not a share to leave");
  }

  @Test
  void duplicateKeysAreRejected() {
    assertThat(problems("{\"id\":\"a\",\"id\":\"b\",\"workspace_root\":\".\"}"))
        .singleElement()
        .asString()
        .startsWith("/: not valid JSON at line 1, column ")
        .contains("Duplicate field 'id'");
  }

  @Test
  void savedConfigLoadsBackEqualWithVariablesKeptAndStableOrder() throws IOException {
    Map<String, String> env = Map.of("WORKSPACE", dir.toString());
    for (Path example :
        List.of(EXAMPLES.resolve("build-box.json"), EXAMPLES.resolve("across-midnight.json"))) {
      Path copy = dir.resolve(example.getFileName());
      Files.copy(example, copy);
      String text = Files.readString(copy).replace("\"../..\"", "\"$WORKSPACE\"");
      Files.writeString(copy, text);
      OrchestrationConfig loaded = loader(env).load(copy);
      ConfigWriter.save(loaded, copy);
      String saved = Files.readString(copy);
      assertThat(saved).contains("\"workspace_root\" : \"$WORKSPACE\"");
      assertThat(loader(env).load(copy)).isEqualTo(loaded);
      ConfigWriter.save(loader(env).load(copy), copy);
      assertThat(Files.readString(copy)).isEqualTo(saved);
      assertThat(SchemaValidator.errors(saved)).isEmpty();
    }
  }

  @Test
  void agentsRunInARequiredSandboxWithoutNetworkUnlessTheConfigSaysOtherwise() {
    OrchestrationConfig defaults =
        loader(Map.of()).parse(config("{\"expression\":\"0 2 * * *\"}", ""), dir, "t");
    assertThat(defaults.permissions().sandbox()).isEqualTo(SandboxMode.REQUIRED);
    assertThat(defaults.permissions().allowNetwork()).isFalse();

    String relaxed =
        config(
            "{\"expression\":\"0 2 * * *\"}",
            "\"permissions\":{\"sandbox\":\"best_effort\",\"allow_network\":true}");
    OrchestrationConfig c = loader(Map.of()).parse(relaxed, dir, "t");
    assertThat(c.permissions().sandbox()).isEqualTo(SandboxMode.BEST_EFFORT);
    assertThat(c.permissions().allowNetwork()).isTrue();
    String saved = ConfigWriter.toJson(c);
    assertThat(saved).contains("\"sandbox\" : \"best_effort\"", "\"allow_network\" : true");
    assertThat(SchemaValidator.errors(saved)).isEmpty();
    assertThat(loader(Map.of()).parse(saved, dir, "t").permissions()).isEqualTo(c.permissions());
  }

  @Test
  void candidateSourceSettingsAreReadValidatedAndWrittenBack() {
    String json =
        config(
            "{\"expression\":\"0 2 * * *\"}",
            "\"decision\":{\"engine\":\"evidence\",\"sources\":[\"tests\",\"todo\"],"
                + "\"coverage_command\":\"pytest --cov --cov-report=xml\","
                + "\"checkers\":[{\"name\":\"ruff\",\"command\":\"ruff check .\"}],"
                + "\"recent_commits\":50}");
    OrchestrationConfig c = loader(Map.of()).parse(json, dir, "t");
    assertThat(c.decision().sources()).containsExactly("tests", "todo");
    assertThat(c.decision().coverageCommand()).contains("pytest --cov --cov-report=xml");
    assertThat(c.decision().checkers())
        .containsExactly(new dev.overnight.api.config.CheckerCommand("ruff", "ruff check ."));
    assertThat(c.decision().recentCommits()).isEqualTo(50);
    String saved = ConfigWriter.toJson(c);
    assertThat(SchemaValidator.errors(saved)).isEmpty();
    assertThat(loader(Map.of()).parse(saved, dir, "t").decision()).isEqualTo(c.decision());

    assertThat(
            problems(
                config(
                    "{\"expression\":\"0 2 * * *\"}",
                    "\"decision\":{\"sources\":[\"tset\"],\"coverage_command\":\" \","
                        + "\"checkers\":[{\"name\":\"ruff\"},{\"name\":\"\",\"command\":\"x\","
                        + "\"args\":1}],\"recent_commits\":0}")))
        .containsExactlyInAnyOrder(
            "/decision/sources/0: unknown candidate source \"tset\"; did you mean \"tests\"?"
                + " (known: checkers, dependencies, refactor, regression_tests, tests, todo)",
            "/decision/coverage_command: must not be empty",
            "/decision/checkers/0/command: is required",
            "/decision/checkers/1/name: must not be empty",
            "/decision/checkers/1/args: unknown key; expected one of: name, command",
            "/decision/recent_commits: 0 is out of range: must be between 1 and 100000");
  }

  @Test
  void agentPlanningSettingsAreReadValidatedAndWrittenBack() {
    String json =
        config(
            "{\"expression\":\"0 2 * * *\"}",
            "\"decision\":{\"engine\":\"agent\",\"agent\":\"claude-code\","
                + "\"planning_budget\":{\"tokens\":100000,\"cost_usd\":0.5},"
                + "\"max_planned_tasks\":8}");
    OrchestrationConfig c = loader(Map.of()).parse(json, dir, "t");
    AgentPlanning planning = c.decision().planning();
    assertThat(planning.agent()).contains("claude-code");
    assertThat(planning.budget().tokens()).contains(100_000L);
    assertThat(planning.budget().costUsd()).contains(0.5);
    assertThat(planning.timeBudget()).isEqualTo(Duration.ofSeconds(300));
    assertThat(planning.maxTasks()).isEqualTo(8);
    String saved = ConfigWriter.toJson(c);
    assertThat(SchemaValidator.errors(saved)).isEmpty();
    assertThat(SchemaValidator.errors(json)).isEmpty();
    assertThat(loader(Map.of()).parse(saved, dir, "t").decision()).isEqualTo(c.decision());

    assertThat(
            problems(
                config(
                    "{\"expression\":\"0 2 * * *\"}",
                    "\"decision\":{\"engine\":\"agent\","
                        + "\"planning_budget\":{\"agent_seconds\":0,\"turns\":3},"
                        + "\"max_planned_tasks\":21}")))
        .containsExactlyInAnyOrder(
            "/decision/agent: the agent engine needs an agent to plan with: name one of"
                + " claude-code, codex, gemini",
            "/decision/planning_budget/agent_seconds: 0 is out of range: must be a positive"
                + " integer",
            "/decision/planning_budget/turns: unknown key; expected one of: tokens, cost_usd,"
                + " agent_seconds",
            "/decision/max_planned_tasks: 21 is out of range: must be between 1 and 20");
    assertThat(
            problems(
                config(
                    "{\"expression\":\"0 2 * * *\"}",
                    "\"decision\":{\"engine\":\"agent\",\"agent\":\"claud-code\"}")))
        .singleElement()
        .asString()
        .startsWith("/decision/agent: unknown agent \"claud-code\"; did you mean \"claude-code\"?");
    assertThat(
            SchemaValidator.errors(
                config("{\"expression\":\"0 2 * * *\"}", "\"decision\":{\"engine\":\"agent\"}")))
        .isNotEmpty();
  }

  @Test
  void starterConfigIsValid() {
    OrchestrationConfig starter = ConfigTemplates.starter(new ConfigValue(".", dir.toString()));
    String json = ConfigWriter.toJson(starter);
    assertThat(SchemaValidator.errors(json)).isEmpty();
    assertThat(loader(Map.of()).parse(json, dir, "starter")).isEqualTo(starter);
    assertThat(starter.schedule().timezone()).isEmpty();
  }

  @Test
  void missingFileAndNonUtf8AreConfigErrors() throws IOException {
    assertThatThrownBy(() -> loader(Map.of()).load(dir.resolve("nope.json")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("/: config file not found: " + dir.resolve("nope.json"));
    Path latin1 = dir.resolve("latin1.json");
    Files.write(latin1, new byte[] {'{', '"', (byte) 0xE9, '"', '}'});
    assertThat(loader(Map.of()).result(latin1).problems())
        .containsExactly(new ConfigProblem("", "not UTF-8 text"));
  }

  @Test
  void onlyRegularFilesOfAtMostAMegabyteAreRead() throws Exception {
    assertThat(loader(Map.of()).result(Path.of("/dev/zero")).problems())
        .containsExactly(
            new ConfigProblem("", "not a regular file: /dev/zero (a config is a JSON file)"));
    Path fifo = dir.resolve("fifo.json");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    assertThat(loader(Map.of()).result(fifo).problems())
        .extracting(ConfigProblem::message)
        .containsExactly("not a regular file: " + fifo + " (a config is a JSON file)");
    Path big = dir.resolve("big.json");
    Files.writeString(big, "{\"id\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}");
    assertThat(loader(Map.of()).result(big).problems())
        .containsExactly(new ConfigProblem("", "the file is 10.0 MB; a config is at most 1 MB"));
  }

  @Test
  void anEchoedValueIsCut() {
    String id = "x".repeat(500_000) + " ";
    List<String> found =
        problems(config("{\"expression\":\"0 1 * * *\"}", "").replace("\"t\"", "\"" + id + "\""));
    assertThat(found)
        .singleElement()
        .satisfies(p -> assertThat(p).hasSizeLessThan(400).contains("(500").startsWith("/id: "));
  }

  @Test
  void aSymlinkedConfigResolvesRelativePathsWhereTheFileReallyIs() throws IOException {
    Path real = Files.createDirectories(dir.resolve("real"));
    Files.createDirectories(real.resolve("repo"));
    Files.writeString(
        real.resolve("overnight.json"),
        "{\"id\":\"t\",\"workspace_root\":\"repo\",\"schedule\":{\"expression\":\"0 1 * * *\"}}");
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.createDirectories(elsewhere.resolve("repo"));
    Path link =
        Files.createSymbolicLink(
            elsewhere.resolve("overnight.json"), real.resolve("overnight.json"));

    assertThat(loader(Map.of()).load(link).workspaceRoot().path())
        .isEqualTo(real.resolve("repo").toRealPath());
  }

  @Test
  void aPostgresStoreIsReadSavedAndReadAgainWithoutItsPassword() {
    String json =
        config(
            "{\"expression\":\"0 2 * * *\"}",
            "\"store\":{\"kind\":\"postgres\",\"url\":\"jdbc:postgresql://db.home:5432/overnight\","
                + "\"user\":\"overnight\",\"password_env\":\"OVERNIGHT_DB_PASSWORD\"}");

    OrchestrationConfig c = loader(Map.of()).parse(json, dir, "t");

    assertThat(c.store())
        .contains(
            StoreSettings.postgres(
                "jdbc:postgresql://db.home:5432/overnight", "overnight", "OVERNIGHT_DB_PASSWORD"));
    String saved = ConfigWriter.toJson(c);
    assertThat(SchemaValidator.errors(saved)).isEmpty();
    assertThat(loader(Map.of()).parse(saved, dir, "t").store()).isEqualTo(c.store());
    assertThat(
            loader(Map.of()).parse(config("{\"expression\":\"0 2 * * *\"}", ""), dir, "t").store())
        .isEmpty();
  }

  @Test
  void aPostgresStoresTimeoutsAreReadSavedAndReadAgain() {
    String json =
        config(
            "{\"expression\":\"0 2 * * *\"}",
            "\"store\":{\"kind\":\"postgres\",\"url\":\"jdbc:postgresql://db.home:5432/overnight\","
                + "\"connect_timeout_ms\":2000,\"statement_timeout_ms\":5000,"
                + "\"socket_timeout_ms\":20000,\"lock_timeout_ms\":250}");

    OrchestrationConfig c = loader(Map.of()).parse(json, dir, "t");

    assertThat(c.store().orElseThrow().timeouts())
        .isEqualTo(
            new StoreSettings.Timeouts(
                Optional.of(Duration.ofSeconds(2)),
                Optional.of(Duration.ofSeconds(5)),
                Optional.of(Duration.ofSeconds(20)),
                Optional.of(Duration.ofMillis(250))));
    String saved = ConfigWriter.toJson(c);
    assertThat(SchemaValidator.errors(saved)).isEmpty();
    assertThat(loader(Map.of()).parse(saved, dir, "t").store()).isEqualTo(c.store());
  }

  @Test
  void aSocketTimeoutNoLongerThanTheStatementTimeoutIsRefusedAtItsPath() {
    String given =
        config(
            "{\"expression\":\"0 2 * * *\"}",
            "\"store\":{\"kind\":\"postgres\",\"url\":\"jdbc:postgresql://db.home:5432/overnight\","
                + "\"statement_timeout_ms\":20000,\"socket_timeout_ms\":20000}");
    String byDefault =
        config(
            "{\"expression\":\"0 2 * * *\"}",
            "\"store\":{\"kind\":\"postgres\",\"url\":\"jdbc:postgresql://db.home:5432/overnight\","
                + "\"socket_timeout_ms\":10000}");

    assertThatThrownBy(() -> loader(Map.of()).parse(given, dir, "t"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "/store/socket_timeout_ms: 20000 must be longer than the statement timeout (20000)");
    assertThatThrownBy(() -> loader(Map.of()).parse(byDefault, dir, "t"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "/store/socket_timeout_ms: 10000 must be longer than the statement timeout (30000, the"
                + " default)");
  }

  @Test
  void notificationsAreReadSavedAndReadAgainWithTheirSecretsLeftInTheEnvironment() {
    String json =
        config(
            "{\"expression\":\"0 2 * * *\"}",
            "\"notifications\":["
                + "{\"type\":\"webhook\",\"url_env\":\"HOOK_URL\",\"token_env\":\"HOOK_TOKEN\"},"
                + "{\"type\":\"slack\",\"url_env\":\"SLACK_URL\",\"on\":[\"needs_human\"]},"
                + "{\"type\":\"ntfy\",\"topic\":\"my-nights\",\"timeout_sec\":5},"
                + "{\"type\":\"email\",\"host\":\"smtp.example.com\",\"from\":\"o@example.com\","
                + "\"to\":[\"me@example.com\"],\"username\":\"o\",\"password_env\":\"SMTP_PASSWORD\"},"
                + "{\"type\":\"desktop\"},"
                + "{\"type\":\"pager\",\"level\":3}]");
    assertThat(SchemaValidator.errors(json)).isEmpty();

    OrchestrationConfig c = loader(Map.of()).parse(json, dir, "t");

    assertThat(c.notifications())
        .extracting(NotifierSettings::type)
        .containsExactly("webhook", "slack", "ntfy", "email", "desktop", "pager");
    assertThat(c.notifications().get(1).on()).containsExactly(NotificationKind.NEEDS_HUMAN);
    assertThat(c.notifications().get(0).on())
        .containsExactly(
            NotificationKind.NIGHT_ENDED, NotificationKind.NEEDS_HUMAN, NotificationKind.PIPELINE);
    assertThat(c.notifications().get(2).integer("timeout_sec")).contains(5L);
    assertThat(c.notifications().get(3).strings("to")).containsExactly("me@example.com");
    assertThat(c.notifications().get(5).integer("level")).contains(3L);
    String saved = ConfigWriter.toJson(c);
    assertThat(SchemaValidator.errors(saved)).isEmpty();
    assertThat(loader(Map.of()).parse(saved, dir, "t").notifications())
        .isEqualTo(c.notifications());
  }

  @Test
  void everyNotificationProblemIsReportedWithItsPath() {
    String json =
        config(
            "{\"expression\":\"0 2 * * *\"}",
            "\"notifications\":["
                + "{\"type\":\"webhook\",\"url\":\"https://hooks.example.com/s3cret\"},"
                + "{\"type\":\"slack\",\"url_env\":\"not a name\",\"on\":[\"mornings\"]},"
                + "{\"type\":\"ntfy\",\"topic\":\"no spaces\",\"server\":\"ftp://x\"},"
                + "{\"type\":\"email\",\"from\":\"nobody\",\"to\":[],\"security\":\"ssl\","
                + "\"port\":0},"
                + "{\"type\":\"desktop\",\"sound\":true},"
                + "{\"on\":[]},"
                + "\"slack\"]");

    assertThat(problems(json))
        .containsExactlyInAnyOrder(
            "/notifications/0/url: a secret does not belong in the config file: put it in an"
                + " environment variable and name that variable in \"url_env\"",
            "/notifications/0/url_env: is required",
            "/notifications/1/on/0: \"mornings\" is not a notification kind: use \"night_ended\","
                + " \"needs_human\" or \"pipeline\"",
            "/notifications/1/url_env: \"not a name\" is not an environment variable name"
                + " (letters, digits and _)",
            "/notifications/2/topic: \"no spaces\" is not an ntfy topic: use 1-64 letters, digits,"
                + " - and _",
            "/notifications/2/server: \"ftp://x\" is not an http(s) URL",
            "/notifications/3/host: is required",
            "/notifications/3/port: 0 is out of range: must be between 1 and 65535",
            "/notifications/3/from: \"nobody\" is not an email address",
            "/notifications/3/to: is required: at least one address",
            "/notifications/3/security: \"ssl\" is not a mail security: use \"starttls\","
                + " \"tls\" or \"none\"",
            "/notifications/4/sound: unknown key; expected one of: type, on",
            "/notifications/5/type: is required",
            "/notifications/5/on: must name at least one kind, or be left out for all",
            "/notifications/6: expected an object but found a string (\"slack\")");
  }

  @Test
  void issuesAreOffByDefaultAndReadSavedAndReadAgainWhenConfigured() {
    String json =
        config(
            "{\"expression\":\"0 2 * * *\"}",
            "\"issues\":{\"enabled\":true,\"label\":\"night shift\","
                + "\"priority_labels\":{\"urgent\":\"high\",\"someday\":\"low\"}}");
    assertThat(SchemaValidator.errors(json)).isEmpty();

    OrchestrationConfig c = loader(Map.of()).parse(json, dir, "t");

    assertThat(
            loader(Map.of()).parse(config("{\"expression\":\"0 2 * * *\"}", ""), dir, "t").issues())
        .isEqualTo(IssueSettings.disabled());
    assertThat(c.issues().enabled()).isTrue();
    assertThat(c.issues().label()).isEqualTo("night shift");
    assertThat(c.issues().priorityLabels())
        .containsExactly(
            Map.entry("urgent", TaskPriority.HIGH), Map.entry("someday", TaskPriority.LOW));
    assertThat(c.issues().priorityOf(List.of("someday", "urgent"))).contains(TaskPriority.HIGH);
    assertThat(c.issues().priorityOf(List.of("bug"))).isEmpty();
    String saved = ConfigWriter.toJson(c);
    assertThat(SchemaValidator.errors(saved)).isEmpty();
    assertThat(loader(Map.of()).parse(saved, dir, "t").issues()).isEqualTo(c.issues());
  }

  @Test
  void everyIssuesProblemIsReportedWithItsPath() {
    String json =
        config(
            "{\"expression\":\"0 2 * * *\"}",
            "\"issues\":{\"enabled\":\"yes\",\"label\":\"a,b\",\"labels\":[],"
                + "\"priority_labels\":{\"urgent\":\"asap\",\"later\":3,\"a,b\":\"low\"}}");

    assertThat(SchemaValidator.errors(json)).isNotEmpty();
    assertThat(problems(json))
        .containsExactlyInAnyOrder(
            "/issues/enabled: expected true or false but found a string (\"yes\")",
            "/issues/label: \"a,b\" is not a label: 1 to 50 characters, not blank, without commas",
            "/issues/labels: unknown key; did you mean \"label\"?",
            "/issues/priority_labels/urgent: \"asap\" is not a priority: use \"high\", \"medium\""
                + " or \"low\"",
            "/issues/priority_labels/later: expected \"high\", \"medium\" or \"low\" but found a"
                + " number (3)",
            "/issues/priority_labels/a,b: \"a,b\" is not a label: 1 to 50 characters, not blank,"
                + " without commas",
            "/issues/priority_labels/a,b: \"a,b\" is the issues label itself: use another label");
  }

  @Test
  void schemaIsServedFromTheClassPath() {
    assertThat(ConfigLoader.schema())
        .contains("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"");
  }
}
