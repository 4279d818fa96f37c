package dev.overnight.core.pr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.Limits;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.coordinator.PublishResult;
import dev.overnight.core.coordinator.PullRequestPublisher;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follow-ups outside the schedule's window ({@code follow_ups.in_day}) and what the agent's turns
 * of a sync with the base spend, on virtual time, against the GitHub imitation and a real bare
 * remote: the night opens pull requests, the day happens to them, and what runs when (and what it
 * costs) must follow the configuration.
 */
class FollowUpsInTheDayTest {
  private static final String TOKEN = "ghp_in-day-token";
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");
  private static final Usage TURN = new Usage(800, 200, 0, 0, Optional.of(0.01));
  private static final Usage RESOLUTION = new Usage(4000, 1000, 0, 0, Optional.of(0.05));

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final Map<String, Long> pullsByBranch = new ConcurrentHashMap<>();
  private final AtomicLong pulls = new AtomicLong();
  private GitHubImitation github;
  private Path bare;
  private Git workspace;
  private OvernightRuntime runtime;

  @BeforeEach
  void aRepositoryARemoteAndGitHub() throws IOException {
    github = new GitHubImitation(TOKEN);
    bare = dir.resolve("remote.git");
    mkdirs(bare);
    new Git(bare).check("init", "-q", "--bare", "-b", "main");
    github.followPushesTo(bare);
    workspace = repository(dir.resolve("repo"), "Dev");
    write(workspace.dir().resolve("README.md"), "# Demo\n");
    workspace.check("add", "-A");
    workspace.check("commit", "-q", "-m", "Start");
    workspace.check("push", "-q", "origin", "main");
  }

  @AfterEach
  void closeAll() {
    if (runtime != null) {
      runtime.close();
    }
    assertThat(github.violations()).isEmpty();
    github.close();
  }

  // ---------------------------------------------------------------------------------------------
  // The harness

  private static void mkdirs(Path where) {
    try {
      Files.createDirectories(where);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Git repository(Path where, String name) {
    mkdirs(where);
    Git git = new Git(where);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.name", name);
    git.check("config", "user.email", name.toLowerCase() + "@example.com");
    git.check("config", "commit.gpgsign", "false");
    git.check("remote", "add", "origin", bare.toString());
    return git;
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pushes the task's branch and opens a pull request in the imitation, as gh would. */
  private final PullRequestPublisher opener =
      (worktree, task, gate, summary) -> {
        worktree.commitLeftovers(task, "");
        worktree.git().check("push", "-q", "origin", worktree.branch());
        String head = worktree.git().check("rev-parse", "HEAD");
        long n = pulls.incrementAndGet();
        github.open(n, worktree.branch(), head);
        pullsByBranch.put(worktree.branch(), n);
        return new PublishResult(
            worktree.branch(),
            1,
            head,
            true,
            Optional.empty(),
            Optional.of("https://github.com/octo/app/pull/" + n),
            Optional.empty());
      };

  /** The window is 01:00 to 05:00 UTC, a cycle every half hour in it. */
  private OrchestrationConfig config(PrAutomation.FollowUps followUps, SpendingLimit night) {
    return OrchestrationConfig.builder(ConfigValue.of(workspace.dir().toString()))
        .id("in-day")
        .maxConcurrent(1)
        .maxAttempts(1)
        .decision(new DecisionSettings(30, 20, List.of()))
        .schedule(
            Schedule.cron("*/30 1-4 * * *")
                .withTimezone(ZoneOffset.UTC)
                .withWindow(LocalTime.of(1, 0), LocalTime.of(5, 0)))
        .prAutomation(
            new PrAutomation(true, true, "overnight/", Optional.of("main"), true, "origin")
                .withFollowUps(followUps))
        .limits(
            new Limits(
                night,
                SpendingLimit.unbounded(),
                Limits.DEFAULT_STUCK_AFTER_SEC,
                Limits.DEFAULT_CANCEL_GRACE_SEC))
        .build();
  }

  private OvernightRuntime.Builder runtime(OrchestrationConfig config, FakeAgent... agents) {
    OvernightRuntime.Builder b =
        OvernightRuntime.builder(config)
            .statePaths(new StatePaths(dir.resolve("state")))
            .timeSource(time)
            .environment(Map.of())
            .homeDirectory(dir.resolve("home"))
            .shutdownHook(false)
            .cycleExecutor(Runnable::run)
            .decisionEngine(context -> Optional.empty())
            .pullRequestPublisher(opener)
            .pullRequestForge(
                GitHubPullRequests.of(
                    github.api(), "octo", "app", Optional.of(TOKEN), Duration.ofSeconds(10)));
    for (FakeAgent a : agents) {
      b.agentProvider(a);
    }
    return b;
  }

  private Task enqueue(String title, String agentId) {
    return runtime
        .taskQueue()
        .enqueue(TaskSpec.builder("Do this: " + title).title(title).agentId(agentId).build())
        .task();
  }

  private Task task(Task t) {
    return runtime.taskQueue().get(t.id()).orElseThrow();
  }

  private long pullRequestOf(Task t) {
    return pullsByBranch.get(TaskFacts.BRANCH.from(task(t)).orElseThrow());
  }

  private List<Task> followUpsOf(Task origin) {
    return runtime.taskQueue().list(TaskFilter.all()).items().stream()
        .filter(f -> TaskFacts.FOLLOW_UP_OF.from(f).equals(Optional.of(origin.id().toString())))
        .toList();
  }

  private String report() throws IOException {
    return Files.readString(dir.resolve("state").resolve("reports").resolve("latest.md"));
  }

  /** Merges pull request {@code pr} of {@code branch} into main, as its merge button would. */
  private void merge(long pr, String branch) {
    Git maintainer = repository(dir.resolve("people").resolve("maintainer"), "maintainer");
    maintainer.check("fetch", "-q", "origin", "main", branch);
    maintainer.check("checkout", "-q", "-B", "main", "origin/main");
    maintainer.check("merge", "-q", "--no-ff", "-m", "Merge " + branch, "origin/" + branch);
    maintainer.check("push", "-q", "origin", "main");
    github.merge(pr);
  }

  private static FakeTurn parser(String content, Usage usage) {
    return FakeTurn.builder()
        .write("Parser.java", content)
        .message("Wrote the parser.")
        .endTurn(usage);
  }

  /**
   * Two tasks adding the same file, then a turn resolving the conflict between them once the first
   * is merged: the second's branch conflicts with main.
   */
  private FakeAgent parserAgent() {
    return FakeAgent.builder("codex")
        .timeSource(time)
        .session(parser("class Parser {\n  int depth = 2;\n}\n", TURN))
        .session(parser("class Parser {\n  int depth = 1;\n  int max = 10;\n}\n", TURN))
        .session(parser("class Parser {\n  int depth = 2;\n  int max = 10;\n}\n", RESOLUTION))
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // What a sync's turns spend

  @Test
  void aSyncTurnsTokensCountInTheNightsTotalsAsATasksTurnDoes() throws IOException {
    FakeAgent codex = parserAgent();
    runtime =
        runtime(config(PrAutomation.FollowUps.defaults(), SpendingLimit.unbounded()), codex)
            .build();
    Task deepen = enqueue("Deepen the parser", "codex");
    Task bound = enqueue("Bound the parser", "codex");

    runtime.runOnce();
    merge(pullRequestOf(deepen), TaskFacts.BRANCH.from(task(deepen)).orElseThrow());
    time.advance(Duration.ofMinutes(30));
    runtime.runOnce();

    Task synced = task(bound);
    assertThat(TaskFacts.BASE_SYNC.from(synced)).hasValue("resolved");
    assertThat(codex.sessions()).as("both tasks, then the conflict's turn").hasSize(3);
    assertThat(TaskFacts.TOKENS.from(synced))
        .as("the task's own turn and its sync's")
        .hasValue(TURN.totalTokens() + RESOLUTION.totalTokens());
    assertThat(TaskFacts.COST_USD.from(synced))
        .hasValueSatisfying(c -> assertThat(c).isCloseTo(0.06, within(1e-9)));
    long night = 2 * TURN.totalTokens() + RESOLUTION.totalTokens();
    assertThat(runtime.coordinator().metrics().tokens()).isEqualTo(night);
    assertThat(report()).contains(night + " tokens");
  }

  @Test
  void aSpentTokenLimitStartsNoSync() {
    FakeAgent codex = parserAgent();
    runtime =
        runtime(
                config(
                    PrAutomation.FollowUps.defaults(),
                    new SpendingLimit(
                        Optional.of(2 * TURN.totalTokens()), Optional.empty(), Optional.empty())),
                codex)
            .build();
    Task deepen = enqueue("Deepen the parser", "codex");
    Task bound = enqueue("Bound the parser", "codex");

    runtime.runOnce();
    String branch = TaskFacts.BRANCH.from(task(bound)).orElseThrow();
    String before = new Git(bare).check("rev-parse", "refs/heads/" + branch);
    merge(pullRequestOf(deepen), TaskFacts.BRANCH.from(task(deepen)).orElseThrow());
    time.advance(Duration.ofMinutes(30));
    runtime.runOnce();

    assertThat(codex.sessions()).as("no turn at the conflict").hasSize(2);
    assertThat(TaskFacts.BASE_SYNC.from(task(bound))).isEmpty();
    assertThat(new Git(bare).check("rev-parse", "refs/heads/" + branch)).isEqualTo(before);
    assertThat(runtime.coordinator().metrics().tokens()).isEqualTo(2 * TURN.totalTokens());
  }
}
