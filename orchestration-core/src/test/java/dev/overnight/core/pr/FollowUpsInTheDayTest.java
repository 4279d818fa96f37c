package dev.overnight.core.pr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.Limits;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.coordinator.PullRequestFollowUps;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private GitHubImitation github;
  private ImitatedPullRequests pullRequests;
  private Path bare;
  private Git workspace;
  private OvernightRuntime runtime;

  @BeforeEach
  void aRepositoryARemoteAndGitHub() throws IOException {
    github = new GitHubImitation(TOKEN);
    pullRequests = new ImitatedPullRequests(github);
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
    return ImitatedPullRequests.repository(where, name, name.toLowerCase() + "@example.com", bare);
  }

  private static void write(Path file, String content) {
    ImitatedPullRequests.write(file, content);
  }

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
            .pullRequestPublisher(pullRequests.publisher())
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
    return pullRequests.numberOf(TaskFacts.BRANCH.from(task(t)).orElseThrow());
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

  // ---------------------------------------------------------------------------------------------
  // Follow-ups in the day

  private static final Instant FIVE_PAST_NOON = Instant.parse("2026-11-25T12:05:00Z");
  private static final Instant NEXT_NIGHT = Instant.parse("2026-11-26T01:10:00Z");

  /** Follow-ups in the day, watched every hour: fewer rounds of the imitation to go through. */
  private static final PrAutomation.FollowUps HOURLY_IN_DAY =
      new PrAutomation.FollowUps(3, 10, true, Duration.ofHours(1));

  /** Every turn, first or follow-up, adds a line to the worktree's WORK.md. */
  private FakeAgent claude() {
    return FakeAgent.builder("claude-code")
        .timeSource(time)
        .session(
            FakeTurn.builder()
                .act(
                    worktree ->
                        write(worktree.resolve("WORK.md"), "worked at " + time.instant() + "\n"))
                .message("Did what was asked.")
                .endTurn(TURN))
        .build();
  }

  /** Whether the machine is at the desk's power: a constraint the test turns on and off. */
  private final AtomicBoolean pluggedIn = new AtomicBoolean(true);

  private final ConstraintCheckerProvider desk =
      new ConstraintCheckerProvider() {
        @Override
        public String name() {
          return "desk";
        }

        @Override
        public ConstraintChecker create(ConstraintSettings settings) {
          return new ConstraintChecker() {
            @Override
            public String name() {
              return "desk";
            }

            @Override
            public ConstraintResult check() {
              return pluggedIn.get()
                  ? ConstraintResult.satisfied("at the desk")
                  : ConstraintResult.unsatisfied("on battery");
            }
          };
        }
      };

  private OrchestrationConfig dayConfig(PrAutomation.FollowUps followUps) {
    return dayConfig(followUps, SpendingLimit.unbounded());
  }

  private OrchestrationConfig dayConfig(PrAutomation.FollowUps followUps, SpendingLimit night) {
    OrchestrationConfig base = config(followUps, night);
    return base.toBuilder()
        .constraints(
            new Constraints(
                false,
                false,
                false,
                Optional.empty(),
                false,
                false,
                Constraints.DEFAULT_IDLE_MINUTES,
                UnknownPolicy.FAIL,
                Constraints.DEFAULT_CHECK_TIMEOUT,
                Constraints.DEFAULT_RECHECK_INTERVAL,
                Map.of("desk", Map.of())))
        .build();
  }

  /**
   * The night opens one pull request per title at 01:00 and the schedule runs from then on; at
   * 12:05 each pull request's build fails and someone queues ordinary work.
   */
  private List<Task> aNightThenChecksFailingAtNoon(
      PrAutomation.FollowUps followUps, String... titles) {
    return aNightThenChecksFailingAtNoon(dayConfig(followUps), titles);
  }

  private List<Task> aNightThenChecksFailingAtNoon(OrchestrationConfig config, String... titles) {
    runtime = runtime(config, claude()).constraintProvider(desk).build();
    List<Task> tasks = Arrays.stream(titles).map(t -> enqueue(t, "claude-code")).toList();
    runtime.runOnce();
    runtime.start();
    time.runUntil(FIVE_PAST_NOON);
    for (Task t : tasks) {
      assertThat(followUpsOf(t)).as("nothing to follow up in the night").isEmpty();
      github.actionsCheck(pullRequestOf(t), "build", "failure", "AppTest: expected 1 but was 2\n");
    }
    enqueue("Ordinary work", "claude-code");
    return tasks;
  }

  private Task ordinaryWork() {
    return runtime.taskQueue().list(TaskFilter.all()).items().stream()
        .filter(t -> t.title().equals("Ordinary work"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void withoutInDayAFollowUpOnACheckFailingAtNoonWaitsForTheWindow() {
    Task task = aNightThenChecksFailingAtNoon(PrAutomation.FollowUps.defaults(), "Add sub").get(0);

    time.runUntil(Instant.parse("2026-11-25T23:00:00Z"));
    assertThat(followUpsOf(task)).as("no one watches in the day").isEmpty();
    assertThat(github.commentsOn(pullRequestOf(task))).isEmpty();

    time.runUntil(NEXT_NIGHT);
    assertThat(followUpsOf(task))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.status()).isEqualTo(TaskStatus.COMPLETED);
              assertThat(f.createdAt()).isEqualTo(Instant.parse("2026-11-26T01:00:00Z"));
            });
    assertThat(ordinaryWork().status()).isEqualTo(TaskStatus.COMPLETED);
  }

  @Test
  void withInDayTheFollowUpRunsAtTheNextDayRoundAndNothingElseRunsInTheDay() {
    Task task = aNightThenChecksFailingAtNoon(HOURLY_IN_DAY, "Add sub").get(0);

    time.runUntil(Instant.parse("2026-11-25T13:05:00Z"));
    assertThat(followUpsOf(task))
        .as("answered at the next round, at 13:00")
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.status()).isEqualTo(TaskStatus.COMPLETED);
              assertThat(f.createdAt()).isEqualTo(Instant.parse("2026-11-25T13:00:00Z"));
            });
    assertThat(github.commentsOn(pullRequestOf(task)))
        .singleElement()
        .asString()
        .startsWith("Overnight pushed a follow-up answering the failing check build");

    time.runUntil(Instant.parse("2026-11-26T00:55:00Z"));
    Task waiting = ordinaryWork();
    assertThat(waiting.status())
        .as("ordinary work waits for the window")
        .isEqualTo(TaskStatus.PENDING);
    assertThat(waiting.attempts()).isZero();
    assertThat(runtime.taskQueue().events(waiting.id())).hasSize(1);

    time.runUntil(NEXT_NIGHT);
    assertThat(ordinaryWork().status()).isEqualTo(TaskStatus.COMPLETED);
  }

  @Test
  void withInDayNothingRunsInTheDayWhileTheConstraintsAreUnmet() {
    Task task = aNightThenChecksFailingAtNoon(HOURLY_IN_DAY, "Add sub").get(0);
    pluggedIn.set(false);

    time.runUntil(Instant.parse("2026-11-25T18:00:00Z"));
    assertThat(followUpsOf(task)).as("not even watched").isEmpty();
    assertThat(github.commentsOn(pullRequestOf(task))).isEmpty();

    pluggedIn.set(true);
    time.runUntil(Instant.parse("2026-11-25T19:05:00Z"));
    assertThat(followUpsOf(task))
        .singleElement()
        .satisfies(f -> assertThat(f.status()).isEqualTo(TaskStatus.COMPLETED));
    assertThat(ordinaryWork().status()).isEqualTo(TaskStatus.PENDING);
  }

  @Test
  void theDayHasABudgetOfItsOwnOfPerNightFollowUpsAndTheNightStartsAfresh() {
    List<Task> tasks =
        aNightThenChecksFailingAtNoon(
            new PrAutomation.FollowUps(3, 1, true, Duration.ofHours(1)), "Add sub", "Add mul");

    time.runUntil(Instant.parse("2026-11-25T23:00:00Z"));
    assertThat(tasks.stream().mapToInt(t -> followUpsOf(t).size()).sum())
        .as("one follow-up in the whole day")
        .isEqualTo(1);
    Task answered = tasks.stream().filter(t -> !followUpsOf(t).isEmpty()).findFirst().orElseThrow();
    Task unanswered =
        tasks.stream().filter(t -> followUpsOf(t).isEmpty()).findFirst().orElseThrow();
    assertThat(followUpsOf(answered).get(0).createdAt())
        .isEqualTo(Instant.parse("2026-11-25T13:00:00Z"));

    time.runUntil(NEXT_NIGHT);
    assertThat(followUpsOf(unanswered))
        .as("the night's budget is not the day's")
        .singleElement()
        .satisfies(f -> assertThat(f.createdAt()).isEqualTo(Instant.parse("2026-11-26T01:00:00Z")));
  }

  @Test
  void doctorRehearseAndPlanSayWhenFollowUpsRunInTheDay() {
    assertThat(PullRequestFollowUps.inDayNote(dayConfig(PrAutomation.FollowUps.defaults())))
        .isEmpty();
    assertThat(
            PullRequestFollowUps.inDayNote(
                dayConfig(new PrAutomation.FollowUps(3, 4, true, Duration.ofMinutes(20)))))
        .hasValueSatisfying(
            note ->
                assertThat(note)
                    .startsWith("follow-ups on pull requests also run in the day")
                    .contains("every 20 min")
                    .contains("only follow-ups run, at most 4"));
    OrchestrationConfig noWindow =
        dayConfig(HOURLY_IN_DAY).toBuilder().schedule(Schedule.cron("0 2 * * *")).build();
    assertThat(PullRequestFollowUps.inDayNote(noWindow))
        .hasValueSatisfying(note -> assertThat(note).contains("changes nothing"));
  }

  @Test
  void aDaysFollowUpWaitsForTheNextNightWhenTheNightsLimitIsSpent() {
    Task task =
        aNightThenChecksFailingAtNoon(
                dayConfig(
                    HOURLY_IN_DAY,
                    new SpendingLimit(
                        Optional.of(TURN.totalTokens()), Optional.empty(), Optional.empty())),
                "Add sub")
            .get(0);

    time.runUntil(Instant.parse("2026-11-25T13:05:00Z"));
    assertThat(followUpsOf(task))
        .as("queued at 13:00, not run: the night's tokens are spent")
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.status()).isEqualTo(TaskStatus.PENDING);
              assertThat(f.attempts()).isZero();
            });

    time.runUntil(NEXT_NIGHT);
    assertThat(followUpsOf(task))
        .as("a new night, a new limit")
        .singleElement()
        .satisfies(f -> assertThat(f.status()).isEqualTo(TaskStatus.COMPLETED));
  }
}
