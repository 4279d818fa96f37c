package dev.overnight.core.pr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.api.notify.Notifier;
import dev.overnight.api.pipeline.PipelineOperation;
import dev.overnight.api.pipeline.StepStatus;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.coordinator.AgentCoordinator;
import dev.overnight.core.coordinator.PublishResult;
import dev.overnight.core.coordinator.PullRequestPublisher;
import dev.overnight.core.notify.ConfiguredNotifier;
import dev.overnight.core.notify.Notifications;
import dev.overnight.core.pipeline.PipelineManifest;
import dev.overnight.core.pipeline.Pipelines;
import dev.overnight.core.pipeline.StepRecord;
import dev.overnight.core.pipeline.internal.BuiltInOperations;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualCycle;
import dev.overnight.fakes.ManualTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline that opens a pull request, waits on virtual time for its checks through the REST
 * client (against the GitHub imitation), hands the failing check's name and summary to a fixing
 * agent, and tells the configured notifiers.
 */
class PipelineChecksTest {
  private static final String TOKEN = "ghp_pipeline-token-0123456789";
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");
  private static final String MANIFEST =
      String.join(
          "\n",
          "name: ci-watch",
          "description: Open a pull request, wait for its checks, fix what failed, tell people.",
          "steps:",
          "  - id: pr",
          "    op: open_pr",
          "    with:",
          "      title: Tidy the parser",
          "  - id: ci",
          "    op: wait_for_ci",
          "    continue_on_failure: true",
          "    with:",
          "      timeout_sec: \"600\"",
          "  - id: fix",
          "    op: agent_turn",
          "    when: ci.failed",
          "    with:",
          "      prompt: >-",
          "        The check ${steps.ci.failing_check} failed: ${steps.ci.check_summary}.",
          "        Fix the code.",
          "  - id: tell",
          "    op: notify",
          "    with:",
          "      message: CI ${steps.ci.conclusion} on ${steps.ci.failing_check}",
          "");

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final BlockingQueue<Notification> told = new LinkedBlockingQueue<>();
  private GitHubImitation github;
  private Path workspace;
  private Notifications notifications;
  private AgentCoordinator coordinator;

  @BeforeEach
  void aRepositoryAndGitHub() throws Exception {
    github = new GitHubImitation(TOKEN);
    workspace = IssuesDayTest.IssuesDayFixtures.repositoryWithRemote(dir);
    Files.writeString(workspace.resolve("ci-watch.yaml"), MANIFEST);
  }

  @AfterEach
  void close() {
    if (coordinator != null) {
      coordinator.close();
    }
    if (notifications != null) {
      notifications.close();
    }
    assertThat(github.violations()).isEmpty();
    github.close();
  }

  @Test
  void aFailingCheckIsWaitedForOnVirtualTimeAndItsNameAndSummaryReachTheFixAndTheNotifiers()
      throws Exception {
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
            .id("ci-watch")
            .stateDir(ConfigValue.of(dir.resolve("state").toString()))
            .build();
    // GitHub runs "unit tests" on the pull request: running at the first two asks, then failed.
    PullRequestPublisher publisher =
        (worktree, task, gate, summary) -> {
          worktree.commitLeftovers(task, "");
          String head = worktree.git().check("rev-parse", "HEAD");
          GitHubImitation.Pull pull = github.open(12, worktree.branch(), head);
          github.check(pull, "lint", 0, "success", "No findings.");
          github.check(pull, "unit tests", 2, "failure", "2 of 118 tests failed: ParserTest");
          return new PublishResult(
              worktree.branch(),
              1,
              head,
              true,
              Optional.empty(),
              Optional.of("https://github.com/octo/app/pull/12"),
              Optional.empty());
        };
    GitHubPullRequests client =
        GitHubPullRequests.of(
            github.api(), "octo", "app", Optional.of(TOKEN), Duration.ofSeconds(10));
    AtomicInteger asked = new AtomicInteger();
    AtomicBoolean stillPending = new AtomicBoolean();
    AtomicReference<Thread> waiter = new AtomicReference<>();
    AtomicReference<Instant> askedAt = new AtomicReference<>();
    ChecksLookup counted =
        branch -> {
          waiter.set(Thread.currentThread());
          askedAt.set(time.instant());
          Optional<ChecksOutcome> r = client.checksOf(branch);
          stillPending.set(r.filter(o -> o.state() == ChecksOutcome.State.PENDING).isPresent());
          asked.incrementAndGet();
          return r;
        };
    notifications =
        Notifications.create(
            config,
            time,
            List.of(
                new ConfiguredNotifier(
                    NotifierSettings.of(0, "recording", Map.of()), recording(told))));
    Map<String, PipelineOperation> ops = new LinkedHashMap<>();
    BuiltInOperations.all().forEach(o -> ops.put(o.name(), o));
    Pipelines pipelines =
        Pipelines.of(ops, workspace).readingChecks(counted).notifyingWith(notifications::tell);
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(
                FakeTurn.builder()
                    .write("src/Parser.java", "class Parser {}\n")
                    .message("Fixed ParserTest.")
                    .endTurn(new Usage(100, 50, 0, 0, Optional.empty())))
            .build();
    InMemoryTaskQueue queue = InMemoryTaskQueue.create(time);
    PipelineManifest manifest = pipelines.catalog().load("ci-watch.yaml");
    Task task =
        queue
            .enqueue(
                pipelines.enqueue(
                    "ci-watch.yaml", Map.of(), manifest.shortHash(), config, Set.of("claude-code")))
            .task();
    coordinator =
        AgentCoordinator.builder(config)
            .taskQueue(queue)
            .agentProviders(List.of(agent))
            .timeSource(time)
            .stateDir(dir.resolve("state"))
            .publisher(publisher)
            .decisionEngine(context -> Optional.empty())
            .pipelines(pipelines)
            .build();

    ManualCycle cycle =
        new ManualCycle("cycle-1", ONE_AM, ONE_AM.plusSeconds(config.timeBudgetSec()))
            .start(coordinator);
    // Virtual time moves only while the step sleeps between asks: once per pending answer, to
    // the next ask (a sleeping step has set its timer; nothing else sleeps timed in a pipeline).
    int advancedFor = 0;
    while (!cycle.ended()) {
      Thread t = waiter.get();
      int answers = asked.get();
      if (answers > advancedFor
          && stillPending.get()
          && t != null
          && t.getState() == Thread.State.TIMED_WAITING) {
        advancedFor = answers;
        time.runUntil(askedAt.get().plus(ChecksWait.DEFAULT_INTERVAL));
      } else {
        Thread.onSpinWait();
      }
    }
    cycle.awaitEnd();

    Task done = queue.get(task.id()).orElseThrow();
    assertThat(done.status()).as(done.lastError().orElse("")).isEqualTo(TaskStatus.COMPLETED);
    Map<String, StepRecord> steps = StepRecord.on(done);
    assertThat(steps.get("ci").status()).isEqualTo(StepStatus.FAILED);
    assertThat(steps.get("ci").outputs())
        .containsEntry("conclusion", "failed")
        .containsEntry("failing_check", "unit tests")
        .containsEntry("check_summary", "2 of 118 tests failed: ParserTest");
    assertThat(steps.get("ci").summary())
        .isEqualTo("check unit tests failed: 2 of 118 tests failed: ParserTest");
    assertThat(asked.get()).isEqualTo(3);
    assertThat(steps.get("fix").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(agent.prompts())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .contains("The check unit tests failed: 2 of 118 tests failed: ParserTest."));
    Notification n = told.poll(30, TimeUnit.SECONDS);
    assertThat(n).isNotNull();
    assertThat(n.kind()).isEqualTo(NotificationKind.PIPELINE);
    assertThat(n.text()).isEqualTo("CI failed on unit tests");
    assertThat(n.items())
        .singleElement()
        .satisfies(i -> assertThat(i.link()).contains("https://github.com/octo/app/pull/12"));
  }

  private static Notifier recording(BlockingQueue<Notification> into) {
    return new Notifier() {
      @Override
      public String describe() {
        return "recording";
      }

      @Override
      public void send(Notification notification) {
        into.add(notification);
      }
    };
  }
}
