package dev.overnight.core.pr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.IssueSettings;
import dev.overnight.api.config.Limits;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.NotificationItem;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.api.notify.Notifier;
import dev.overnight.api.notify.NotifierProvider;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.coordinator.GhPullRequestPublisher;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issues as tasks through a whole runtime on virtual time, against the GitHub imitation: an issue
 * labelled becomes a task whose pull request fixes it and whose outcome is commented on it; a
 * second issue labelled, then unlabelled before it could run, is cancelled; both are in the morning
 * report and the one end-of-night notification.
 */
class IssuesDayTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");
  private static final Instant WINDOW_END = Instant.parse("2026-11-25T05:00:00Z");
  private static final String TOKEN = "ghp_day-token-0123456789";

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final BlockingQueue<Notification> told = new LinkedBlockingQueue<>();
  private GitHubImitation github;
  private Path workspace;
  private Path ghCalls;
  private OvernightRuntime runtime;

  @BeforeEach
  void aRepositoryWithARemoteAndGitHub() throws IOException {
    github = new GitHubImitation(TOKEN);
    workspace = IssuesDayFixtures.repositoryWithRemote(dir);
    ghCalls = dir.resolve("gh-calls.txt");
  }

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
    assertThat(github.violations()).isEmpty();
    github.close();
  }

  @Test
  void aLabelledIssueBecomesAPullRequestThatFixesItAndAnUnlabelledOneIsCancelled()
      throws Exception {
    github.issue(1, "Document the setup", "The README says nothing about setup.", "overnight");
    github.issue(2, "Rename the module", "Call it core.", "overnight", "someday");
    github.issue(3, "Not for tonight", "", "bug");
    // One task's tokens use the night's budget up: the second issue waits in the queue.
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(
                FakeTurn.builder()
                    .write("SETUP.md", "# Setup\n\nRun make.\n")
                    .message("Wrote the setup notes.")
                    .endTurn(new Usage(600, 400, 0, 0, Optional.empty())))
            .build();
    runtime = runtime(agent);

    runtime.runOnce();

    Task fixed = onlyTask(runtime, "#1 Document the setup");
    Task waiting = onlyTask(runtime, "#2 Rename the module");
    assertThat(fixed.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(TaskFacts.ISSUE_NUMBER.from(fixed)).contains(1L);
    assertThat(TaskFacts.ISSUE_URL.from(fixed)).contains("https://github.com/octo/app/issues/1");
    assertThat(fixed.prompt())
        .contains("Resolve GitHub issue #1: Document the setup")
        .contains("The README says nothing about setup.");
    assertThat(waiting.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(waiting.priority()).isEqualTo(TaskPriority.LOW);
    assertThat(runtime.taskQueue().list(TaskFilter.all()).items()).hasSize(2);
    // The pull request says it fixes the issue; the issue hears of it once.
    assertThat(Files.readString(ghCalls)).contains("Fixes #1");
    String prUrl = TaskFacts.PR_URL.from(fixed).orElseThrow();
    assertThat(github.issueComments(1))
        .singleElement()
        .satisfies(c -> assertThat(c).contains(prUrl).contains("opened a pull request"));

    // Someone takes the label off the second before another night's budget lets it run.
    github.unlabel(2, "overnight");
    time.runUntil(Instant.parse("2026-11-25T01:30:00Z"));
    runtime.runOnce();

    Task cancelled = runtime.taskQueue().get(waiting.id()).orElseThrow();
    assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(github.issueComments(2)).isEmpty();
    assertThat(github.issueComments(1)).hasSize(1);
    assertThat(runtime.taskQueue().list(TaskFilter.all()).items()).hasSize(2);
    assertThat(dir.resolve("state/reports/latest.md"))
        .content()
        .contains("#1 Document the setup")
        .contains("#2 Rename the module")
        .contains("cancelled");

    time.runUntil(WINDOW_END);
    Notification night = told.poll(30, TimeUnit.SECONDS);
    assertThat(night).isNotNull();
    assertThat(night.kind()).isEqualTo(NotificationKind.NIGHT_ENDED);
    assertThat(night.items())
        .extracting(NotificationItem::title, NotificationItem::outcome)
        .contains(
            org.assertj.core.groups.Tuple.tuple("#1 Document the setup", "completed"),
            org.assertj.core.groups.Tuple.tuple("#2 Rename the module", "cancelled"));
    assertThat(night.items())
        .filteredOn(i -> i.title().startsWith("#1"))
        .singleElement()
        .satisfies(i -> assertThat(i.link()).contains(prUrl));
    assertThat(night.items())
        .filteredOn(i -> i.title().startsWith("#2"))
        .singleElement()
        .satisfies(i -> assertThat(i.detail()).contains("issue #2").contains("label"));
    assertThat(told.poll(0, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void aClosedIssuesTaskIsCancelledAndAnIssueIsNeverQueuedTwice() throws Exception {
    github.issue(4, "Fix the flaky test", "", "overnight");
    github.issue(5, "Speed up the build", "", "overnight");
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(
                FakeTurn.builder()
                    .write("FLAKY.md", "Fixed.\n")
                    .message("Done.")
                    .endTurn(new Usage(600, 400, 0, 0, Optional.empty())))
            .build();
    runtime = runtime(agent);

    runtime.runOnce();
    github.close(5);
    time.runUntil(Instant.parse("2026-11-25T01:30:00Z"));
    runtime.runOnce();
    time.runUntil(Instant.parse("2026-11-25T02:00:00Z"));
    runtime.runOnce();

    List<Task> all = runtime.taskQueue().list(TaskFilter.all()).items();
    assertThat(all).hasSize(2);
    assertThat(all)
        .extracting(Task::title, Task::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("#4 Fix the flaky test", TaskStatus.COMPLETED),
            org.assertj.core.groups.Tuple.tuple("#5 Speed up the build", TaskStatus.CANCELLED));
    assertThat(github.issueComments(4)).hasSize(1);
  }

  private OvernightRuntime runtime(FakeAgent agent) throws IOException {
    String gh = IssuesDayFixtures.standInGh(dir, ghCalls, "https://github.com/octo/app/pull/11");
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
            .id("issues-day")
            .maxConcurrent(1)
            .maxAttempts(1)
            .decision(new DecisionSettings(30, 20, List.of()))
            .schedule(
                Schedule.cron("*/30 1-5 * * *")
                    .withTimezone(ZoneOffset.UTC)
                    .withWindow(LocalTime.of(1, 0), LocalTime.of(5, 0)))
            .prAutomation(
                new PrAutomation(
                    true,
                    true,
                    PrAutomation.DEFAULT_BRANCH_PREFIX,
                    Optional.empty(),
                    true,
                    "origin"))
            .limits(
                new Limits(
                    new SpendingLimit(Optional.of(500L), Optional.empty(), Optional.empty()),
                    SpendingLimit.unbounded(),
                    Limits.DEFAULT_STUCK_AFTER_SEC,
                    Limits.DEFAULT_CANCEL_GRACE_SEC))
            .notifications(List.of(NotifierSettings.of(0, "recording", Map.of())))
            .issues(
                new IssueSettings(
                    true,
                    "overnight",
                    Map.of("urgent", TaskPriority.HIGH, "someday", TaskPriority.LOW)))
            .build();
    return OvernightRuntime.builder(config)
        .statePaths(new StatePaths(dir.resolve("state")))
        .timeSource(time)
        .environment(Map.of())
        .homeDirectory(dir.resolve("home"))
        .shutdownHook(false)
        .cycleExecutor(Runnable::run)
        .decisionEngine(context -> Optional.empty())
        .agentProvider(agent)
        .pullRequestPublisher(new GhPullRequestPublisher(config.prAutomation(), gh))
        .gitHubIssues(
            GitHubIssues.of(
                github.api(), "octo", "app", Optional.of(TOKEN), Duration.ofSeconds(10)))
        .notifierProvider(new Recording(told))
        .build();
  }

  private static Task onlyTask(OvernightRuntime runtime, String title) {
    return runtime.taskQueue().list(TaskFilter.all()).items().stream()
        .filter(t -> t.title().equals(title))
        .reduce(
            (a, b) -> {
              throw new AssertionError("two tasks titled " + title);
            })
        .orElseThrow(() -> new AssertionError("no task titled " + title));
  }

  /** A notifier type that hands every notification to the test. */
  private record Recording(BlockingQueue<Notification> into) implements NotifierProvider {
    @Override
    public String type() {
      return "recording";
    }

    @Override
    public Notifier create(NotifierSettings settings, ProviderContext context) {
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

  /** What a day of issues needs: a repository with a remote, a stand-in {@code gh}. */
  static final class IssuesDayFixtures {
    private IssuesDayFixtures() {}

    /** A repository with one commit whose {@code origin} is a bare repository beside it. */
    static Path repositoryWithRemote(Path dir) throws IOException {
      Path origin = Files.createDirectories(dir.resolve("origin.git"));
      new Git(origin).check("init", "-q", "--bare", "-b", "main");
      Path workspace = Files.createDirectories(dir.resolve("repo"));
      Git git = new Git(workspace);
      git.check("init", "-q", "-b", "main");
      git.check("config", "user.name", "Dev");
      git.check("config", "user.email", "dev@example.com");
      git.check("config", "commit.gpgsign", "false");
      Files.writeString(workspace.resolve("README.md"), "# Demo\n");
      git.check("add", "-A");
      git.check("commit", "-q", "-m", "Start");
      git.check("remote", "add", "origin", origin.toString());
      git.check("push", "-q", "origin", "main");
      return workspace;
    }

    /**
     * A {@code gh} that is installed and logged in, and opens a pull request at {@code url} by
     * printing it; every call's arguments are appended to {@code calls}.
     */
    static String standInGh(Path dir, Path calls, String url) throws IOException {
      Path gh = Files.createDirectories(dir.resolve("bin")).resolve("gh");
      Files.writeString(
          gh,
          "#!/bin/sh\n"
              + "for a in \"$@\"; do printf '%s\\n' \"$a\" >> '"
              + calls
              + "'; done\n"
              + "if [ \"$1\" = pr ] && [ \"$2\" = create ]; then echo '"
              + url
              + "'; fi\n");
      Files.setPosixFilePermissions(gh, PosixFilePermissions.fromString("rwx------"));
      return gh.toString();
    }
  }
}
