package dev.overnight.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.agent.PermissionDecision;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.ToolKind;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.json.ShapeSchemas;
import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications through a whole runtime on virtual time: what is told when a night ends and when a
 * task needs a human, in each receiver's format (webhook JSON, Slack, ntfy, a stand-in {@code
 * notify-send}), and that a receiver that fails never stops a night nor the others.
 */
class NotificationsTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");
  private static final Instant WINDOW_END = Instant.parse("2026-11-25T05:00:00Z");

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final List<OvernightRuntime> runtimes = new ArrayList<>();
  private final Map<String, String> environment = new HashMap<>();
  private Receiver receiver;
  private Path workspace;

  @BeforeEach
  void aRepositoryAndReceivers() throws IOException {
    workspace = Files.createDirectories(dir.resolve("repo"));
    Git git = new Git(workspace);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.name", "Dev");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "commit.gpgsign", "false");
    Files.writeString(workspace.resolve("README.md"), "# Demo\n");
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "Start");
    receiver =
        new Receiver()
            .on("/hook", Receiver.Answer.ACCEPT)
            .on("/slack", Receiver.Answer.ACCEPT)
            .on("/overnight-night", Receiver.Answer.ACCEPT)
            .on("/broken", Receiver.Answer.FAIL)
            .on("/silent", Receiver.Answer.HANG);
  }

  @AfterEach
  void close() {
    runtimes.forEach(OvernightRuntime::close);
    receiver.close();
  }

  private OrchestrationConfig config(List<NotifierSettings> notifications) {
    return OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
        .id("notify-test")
        .maxConcurrent(1)
        .maxAttempts(1)
        .decision(new DecisionSettings(30, 20, List.of()))
        .schedule(
            Schedule.cron("*/30 1-5 * * *")
                .withTimezone(ZoneOffset.UTC)
                .withWindow(LocalTime.of(1, 0), LocalTime.of(5, 0)))
        .notifications(notifications)
        .build();
  }

  private OvernightRuntime runtime(OrchestrationConfig config, FakeAgent... agents) {
    OvernightRuntime.Builder b =
        OvernightRuntime.builder(config)
            .statePaths(new StatePaths(dir.resolve("state")))
            .timeSource(time)
            .environment(environment)
            .homeDirectory(dir.resolve("home"))
            .shutdownHook(false)
            .cycleExecutor(Runnable::run)
            .decisionEngine(context -> Optional.empty());
    for (FakeAgent a : agents) {
      b.agentProvider(a);
    }
    OvernightRuntime runtime = b.build();
    runtimes.add(runtime);
    return runtime;
  }

  private static Task enqueue(OvernightRuntime runtime, String title, String agentId) {
    return runtime
        .taskQueue()
        .enqueue(TaskSpec.builder("Do this: " + title).title(title).agentId(agentId).build())
        .task();
  }

  private static NotifierSettings entry(int index, String type, Map<String, Object> options) {
    return NotifierSettings.of(index, type, options);
  }

  private FakeAgent.Builder agent(String id) {
    return FakeAgent.builder(id).timeSource(time);
  }

  /** An agent that writes its notes and finishes. */
  private FakeAgent finishing(String id) {
    return agent(id)
        .session(FakeTurn.builder().write("NOTES.md", "Notes.\n").message("Done.").endTurn())
        .build();
  }

  @Test
  void nightsThatNeverFireRaiseOneAlarmToldOnceThroughTheNotifiers() throws Exception {
    environment.put("HOOK_URL", receiver.url("/hook"));
    OvernightRuntime runtime =
        runtime(
            config(
                List.of(
                    new NotifierSettings(
                        0,
                        "webhook",
                        EnumSet.of(NotificationKind.NEEDS_HUMAN),
                        Map.of("url_env", "HOOK_URL")))));

    runtime.start();
    // Three nights of wakes that find nothing to do: none fired.
    time.runUntil(ONE_AM.plus(java.time.Duration.ofDays(3)));

    JsonNode alarm = OvernightJson.read(receiver.next("/hook").body());
    assertThat(ShapeSchemas.errors("notification.schema.json", alarm)).isEmpty();
    assertThat(alarm.get("kind").asText()).isEqualTo("needs_human");
    assertThat(alarm.get("attention").asText()).isEqualTo("night_alarm");
    assertThat(alarm.get("text").asText()).startsWith("No wake fired on the last 3 nights");
    runtime.close();
    assertThat(receiver.pending("/hook")).as("told once, not every cycle").isEmpty();
  }

  @Test
  void aTaskBlockedOnARefusedPermissionIsToldAtOnceAndTheNightOnceWhenItsWindowCloses()
      throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path shown = dir.resolve("shown.txt");
    Path notifySend = bin.resolve("notify-send");
    Files.writeString(
        notifySend,
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '" + shown + "'; done\n");
    Files.setPosixFilePermissions(notifySend, PosixFilePermissions.fromString("rwx------"));
    environment.put("PATH", bin + ":/usr/bin:/bin");
    environment.put("HOOK_URL", receiver.url("/hook"));
    environment.put("HOOK_TOKEN", "hook-token-123");
    environment.put("SLACK_URL", receiver.url("/slack"));
    List<PermissionDecision> answers = new CopyOnWriteArrayList<>();
    FakeAgent refused =
        agent("codex")
            .session(
                FakeTurn.builder()
                    .askPermission(ToolKind.EDIT, answers, "/etc/hosts")
                    .end(StopReason.REFUSAL, Usage.NONE))
            .build();
    boolean desktop = OsFamily.current() == OsFamily.LINUX;
    List<NotifierSettings> notifiers = new ArrayList<>();
    notifiers.add(entry(0, "webhook", Map.of("url_env", "HOOK_URL", "token_env", "HOOK_TOKEN")));
    notifiers.add(entry(1, "slack", Map.of("url_env", "SLACK_URL")));
    notifiers.add(entry(2, "ntfy", Map.of("server", receiver.base(), "topic", "overnight-night")));
    if (desktop) {
      notifiers.add(entry(3, "desktop", Map.of()));
    }
    OvernightRuntime runtime = runtime(config(notifiers), finishing("claude-code"), refused);
    Task done = enqueue(runtime, "Write the notes", "claude-code");
    Task blocked = enqueue(runtime, "Edit the hosts file", "codex");

    runtime.runOnce();

    assertThat(answers).singleElement().satisfies(a -> assertThat(a.allowed()).isFalse());
    Task failed = runtime.taskQueue().get(blocked.id()).orElseThrow();
    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(TaskFacts.REFUSED_PERMISSION.from(failed))
        .hasValue("/etc/hosts is outside the worktree");
    assertThat(dir.resolve("state/reports/latest.md"))
        .content()
        .contains(
            "**Needs you:** the permission policy refused /etc/hosts is outside the worktree");
    // At once, before the window closes: the task needs someone.
    JsonNode human = OvernightJson.read(receiver.next("/hook").body());
    assertThat(ShapeSchemas.errors("notification.schema.json", human)).isEmpty();
    assertThat(human.get("kind").asText()).isEqualTo("needs_human");
    assertThat(human.get("attention").asText()).isEqualTo("permission_refused");
    assertThat(human.get("items").get(0).get("task_id").asText()).isEqualTo(blocked.id().value());
    assertThat(human.get("text").asText()).contains("/etc/hosts is outside the worktree");
    Receiver.Request ntfyHuman = receiver.next("/overnight-night");
    assertThat(ntfyHuman.header("Priority")).isEqualTo("high");
    assertThat(ntfyHuman.header("Title")).contains("needs you", "Edit the hosts file");
    assertThat(receiver.next("/slack").body()).contains(":warning:", "Edit the hosts file");
    assertThat(receiver.pending("/hook")).as("no night summary while the window is open").isEmpty();

    time.runUntil(WINDOW_END);

    Receiver.Request hook = receiver.next("/hook");
    assertThat(hook.header("Authorization")).isEqualTo("Bearer hook-token-123");
    assertThat(hook.header("Content-Type")).isEqualTo("application/json");
    JsonNode night = OvernightJson.read(hook.body());
    assertThat(ShapeSchemas.errors("notification.schema.json", night)).isEmpty();
    assertThat(night.get("kind").asText()).isEqualTo("night_ended");
    assertThat(night.has("attention")).isFalse();
    assertThat(night.get("at").asText()).isEqualTo(WINDOW_END.toString());
    assertThat(night.get("title").asText())
        .isEqualTo("Overnight notify-test: night ended, 2 tasks: 1 completed, 1 failed");
    assertThat(night.get("items"))
        .extracting(i -> i.get("task_id").asText() + " " + i.get("outcome").asText())
        .containsExactly(done.id().value() + " completed", blocked.id().value() + " failed");
    assertThat(night.get("report").asText()).endsWith("night-2026-11-25.md");
    JsonNode slack = OvernightJson.read(receiver.next("/slack").body());
    assertThat(slack.get("text").asText())
        .startsWith(":crescent_moon: *Overnight notify-test: night ended, 2 tasks")
        .contains("- completed: Write the notes", "- failed: Edit the hosts file");
    Receiver.Request ntfy = receiver.next("/overnight-night");
    assertThat(ntfy.header("Priority")).isEqualTo("default");
    assertThat(ntfy.header("Title")).startsWith("Overnight notify-test: night ended");
    assertThat(ntfy.body()).contains("Write the notes", "Edit the hosts file");
    runtime.close();
    assertThat(receiver.pending("/hook")).as("the night was told once").isEmpty();
    if (desktop) {
      assertThat(Files.readAllLines(shown))
          .contains("--urgency=critical", "--urgency=normal")
          .anyMatch(l -> l.startsWith("Overnight notify-test: night ended, 2 tasks"));
    }
  }

  @Test
  void aReceiverThatRefusesFailsOrNeverAnswersIsLoggedAndTheNightAndTheOthersGoOn()
      throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    environment.put("REFUSED_URL", "http://127.0.0.1:" + closedPort + "/hook");
    environment.put("BROKEN_URL", receiver.url("/broken"));
    environment.put("SILENT_URL", receiver.url("/silent"));
    environment.put("SLACK_URL", receiver.url("/slack"));
    OvernightRuntime runtime =
        runtime(
            config(
                List.of(
                    entry(0, "webhook", Map.of("url_env", "REFUSED_URL")),
                    entry(1, "webhook", Map.of("url_env", "BROKEN_URL")),
                    entry(2, "webhook", Map.of("url_env", "SILENT_URL", "timeout_sec", 1L)),
                    entry(3, "slack", Map.of("url_env", "SLACK_URL")))),
            finishing("claude-code"));
    Task task = enqueue(runtime, "Write the notes", "claude-code");

    runtime.runOnce();
    time.runUntil(WINDOW_END);

    assertThat(runtime.taskQueue().get(task.id()).orElseThrow().status())
        .isEqualTo(TaskStatus.COMPLETED);
    assertThat(receiver.next("/broken").body()).contains("night_ended");
    assertThat(receiver.next("/silent").body()).contains("night_ended");
    assertThat(receiver.next("/slack").body()).contains("night ended, 1 task: 1 completed");
  }

  @Test
  void aNightStillOpenWhenOvernightClosesIsToldThen() throws Exception {
    environment.put("SLACK_URL", receiver.url("/slack"));
    OvernightRuntime runtime =
        runtime(
            config(List.of(entry(0, "slack", Map.of("url_env", "SLACK_URL")))),
            finishing("claude-code"));
    enqueue(runtime, "Write the notes", "claude-code");
    runtime.runOnce();
    assertThat(receiver.pending("/slack")).isEmpty();

    runtime.close();

    assertThat(receiver.next("/slack").body()).contains("night ended, 1 task: 1 completed");
  }

  @Test
  void anAgentParkedOnAUsageLimitPastTheWindowNeedsAHumanOneParkedWithinItDoesNot()
      throws Exception {
    environment.put("HOOK_URL", receiver.url("/hook"));
    FakeAgent limited =
        agent("claude-code")
            .session(FakeTurn.builder().usageLimit("weekly limit", ONE_AM.plusSeconds(20 * 3600)))
            .build();
    FakeAgent briefly =
        agent("codex")
            .session(FakeTurn.builder().usageLimit("slow down", ONE_AM.plusSeconds(600)))
            .build();
    OvernightRuntime runtime =
        runtime(
            config(
                List.of(
                    new NotifierSettings(
                        0,
                        "webhook",
                        EnumSet.of(NotificationKind.NEEDS_HUMAN),
                        Map.of("url_env", "HOOK_URL")))),
            limited,
            briefly);
    enqueue(runtime, "Short", "codex");
    enqueue(runtime, "Long", "claude-code");

    runtime.runOnce();
    time.runUntil(WINDOW_END);
    runtime.close();

    JsonNode parked = OvernightJson.read(receiver.next("/hook").body());
    assertThat(ShapeSchemas.errors("notification.schema.json", parked)).isEmpty();
    assertThat(parked.get("attention").asText()).isEqualTo("agent_parked");
    assertThat(parked.get("title").asText()).contains("agent claude-code is out until");
    assertThat(receiver.pending("/hook"))
        .as("neither codex's short park nor the night summary (not asked for) is sent")
        .isEmpty();
  }

  @Test
  void aTaskThatFailedAttemptAfterAttemptNeedsAHuman() throws Exception {
    environment.put("HOOK_URL", receiver.url("/hook"));
    FakeAgent crashing =
        agent("claude-code")
            .session(FakeTurn.builder().crash("segfault"))
            .session(FakeTurn.builder().crash("segfault again"))
            .build();
    OvernightRuntime runtime =
        runtime(
            config(List.of(entry(0, "webhook", Map.of("url_env", "HOOK_URL")))).toBuilder()
                .maxAttempts(2)
                .build(),
            crashing);
    Task task = enqueue(runtime, "Fix the parser", "claude-code");

    runtime.runOnce();

    assertThat(runtime.taskQueue().get(task.id()).orElseThrow().attempts()).isEqualTo(2);
    JsonNode human = OvernightJson.read(receiver.next("/hook").body());
    assertThat(human.get("attention").asText()).isEqualTo("failing_repeatedly");
    assertThat(human.get("text").asText()).contains("failed 2 attempts", "segfault again");
  }

  @Test
  void aTaskThatFailedOnceIsInTheNightsSummaryButNeedsNobody() throws Exception {
    environment.put("HOOK_URL", receiver.url("/hook"));
    FakeAgent crashing = agent("claude-code").session(FakeTurn.builder().crash("segfault")).build();
    OvernightRuntime runtime =
        runtime(config(List.of(entry(0, "webhook", Map.of("url_env", "HOOK_URL")))), crashing);
    Task task = enqueue(runtime, "Fix the parser", "claude-code");

    runtime.runOnce();
    time.runUntil(WINDOW_END);

    assertThat(runtime.taskQueue().get(task.id()).orElseThrow().status())
        .isEqualTo(TaskStatus.FAILED);
    JsonNode first = OvernightJson.read(receiver.next("/hook").body());
    assertThat(first.get("kind").asText()).isEqualTo("night_ended");
    assertThat(first.get("title").asText()).endsWith("1 task: 1 failed");
  }

  @Test
  void anUnknownTypeAndAnUnsetSecretAreRefusedAtBuildWithTheirJsonPaths() {
    OrchestrationConfig config =
        config(
            List.of(
                entry(0, "pager", Map.of()),
                entry(1, "slack", Map.of("url_env", "NOT_SET_ANYWHERE"))));

    assertThatThrownBy(() -> runtime(config))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems())
        .satisfies(
            problems ->
                assertThat(problems)
                    .extracting(ConfigProblem::path)
                    .containsExactly("/notifications/0/type", "/notifications/1/url_env"));
  }
}
