package dev.overnight.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.ProviderContext;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentProviderFactory;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import dev.overnight.api.store.Store;
import dev.overnight.api.store.StoreProvider;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.PublishResult;
import dev.overnight.core.decision.PlanReport;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.schedule.ConstraintGateResult;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.spi.TestServices;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeSession;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import dev.overnight.fakes.RecordingWakeScheduler;
import dev.overnight.fakes.ScriptedCheckerProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's assembly and life: what it defaults, discovers, refuses and closes; how it stops;
 * and one cycle through it with an in-process agent, on virtual time.
 */
class OvernightRuntimeTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");

  /** How long a test waits at most: a bound against a hung test, not a speed check. */
  private static final Duration SAFETY_NET = Duration.ofSeconds(60);

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final List<OvernightRuntime> runtimes = new ArrayList<>();
  private Path workspace;
  private StatePaths paths;

  @BeforeEach
  void aRepository() throws IOException {
    workspace = Files.createDirectories(dir.resolve("repo"));
    Git git = new Git(workspace);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.name", "Dev");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "commit.gpgsign", "false");
    Files.writeString(workspace.resolve("README.md"), "# Demo\n");
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "Start");
    paths = new StatePaths(dir.resolve("state"));
    RecordingStoreProvider.OPENED.clear();
    TimedAgentFactory.CONTEXTS.clear();
  }

  @AfterEach
  void closeRuntimes() {
    runtimes.forEach(OvernightRuntime::close);
  }

  private OrchestrationConfig.Builder config() {
    return OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
        .id("runtime-test")
        .decision(new DecisionSettings(30, 20, List.of()));
  }

  /** A runtime on this test's virtual time and state folder, hiding the machine's own state. */
  private OvernightRuntime.Builder runtime(OrchestrationConfig config) {
    return OvernightRuntime.builder(config)
        .statePaths(paths)
        .timeSource(time)
        .environment(Map.of())
        .homeDirectory(dir.resolve("home"))
        .shutdownHook(false)
        .cycleExecutor(Runnable::run);
  }

  /** {@link #runtime} with a decision engine that never adds work: only queued tasks run. */
  private OvernightRuntime.Builder quiet(OrchestrationConfig config) {
    return runtime(config).decisionEngine(context -> Optional.empty());
  }

  private OvernightRuntime build(OvernightRuntime.Builder builder) {
    OvernightRuntime runtime = builder.build();
    runtimes.add(runtime);
    return runtime;
  }

  private ProviderLoader services(Class<?> spi, Class<?>... implementations) {
    return TestServices.in(dir.resolve("services")).register(spi, implementations).loader();
  }

  private FakeAgent.Builder agent(String id) {
    return FakeAgent.builder(id).timeSource(time);
  }

  private static Task enqueue(OvernightRuntime runtime, String title, String agentId) {
    return runtime
        .taskQueue()
        .enqueue(TaskSpec.builder("Do this: " + title).title(title).agentId(agentId).build())
        .task();
  }

  private static Task now(OvernightRuntime runtime, Task task) {
    return runtime.taskQueue().get(task.id()).orElseThrow();
  }

  /** Runs {@code runOnce} on a thread of its own, so the test can stop it. */
  private static CompletableFuture<Void> runOnceInBackground(OvernightRuntime runtime) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                runtime.runOnce();
                done.complete(null);
              } catch (Throwable e) {
                done.completeExceptionally(e);
              }
            },
            "run-once");
    t.setDaemon(true);
    t.start();
    return done;
  }

  private static void await(CompletableFuture<Void> cycle) {
    try {
      cycle.get(SAFETY_NET.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("runOnce failed", e.getCause());
    } catch (Exception e) {
      throw new AssertionError("runOnce did not end", e);
    }
  }

  @Nested
  class Assembly {
    @Test
    void withoutAStoreProviderTheQueueAndSchedulerStateLiveInMemory() {
      FakeAgent agent = agent("claude-code").build();
      OvernightRuntime runtime =
          build(runtime(config().maxAttempts(5).build()).agentProvider(agent));

      assertThat(runtime.discovery().storeProvider()).isEmpty();
      assertThat(runtime.taskQueue()).isInstanceOf(InMemoryTaskQueue.class);
      assertThat(runtime.schedulerStateStore()).isInstanceOf(TransientSchedulerStateStore.class);
      assertThat(enqueue(runtime, "Task", "claude-code").maxAttempts())
          .as("the in-memory queue takes the config's max_attempts")
          .isEqualTo(5);
      assertThat(runtime.timeSource()).isSameAs(time);
      assertThat(runtime.agents()).containsExactly(agent);
      assertThat(runtime.keepAwake()).isSameAs(KeepAwake.noop());
      assertThat(runtime.paths()).isEqualTo(paths);
      assertThat(runtime.coordinator().agentAvailability()).containsOnlyKeys("claude-code");
    }

    @Test
    void aDiscoveredStoreIsOpenedInTheStateFolderKeptReadableByStopAndClosedByClose() {
      OvernightRuntime runtime =
          build(
              runtime(config().build())
                  .providerLoader(services(StoreProvider.class, RecordingStoreProvider.class)));

      RecordingStore store = RecordingStoreProvider.single();
      assertThat(store.stateDirectory).isEqualTo(paths.root());
      assertThat(runtime.taskQueue()).isSameAs(store.queue);
      assertThat(runtime.schedulerStateStore()).isSameAs(store.states);

      assertThat(runtime.stop(SAFETY_NET)).isTrue();
      assertThat(store.closed).as("a stopped runtime's store stays readable").isFalse();
      runtime.close();
      assertThat(store.closed).isTrue();
    }

    @Test
    void aGivenQueueIsUsedInsteadOfTheDiscoveredStoreAndLeftOpen() {
      InMemoryTaskQueue mine = InMemoryTaskQueue.create(time);
      OvernightRuntime runtime =
          build(
              runtime(config().build())
                  .providerLoader(services(StoreProvider.class, RecordingStoreProvider.class))
                  .taskQueue(mine));

      assertThat(runtime.taskQueue()).isSameAs(mine);
      assertThat(RecordingStoreProvider.OPENED).isEmpty();
      runtime.close();
      assertThat(mine.enqueue(TaskSpec.builder("Still open").build()).created()).isTrue();
    }

    @Test
    void aStoreWithItsOwnQueueCannotBeGivenAQueueToo() {
      RecordingStore store = new RecordingStore(paths.root(), time);
      OvernightRuntime.Builder builder =
          runtime(config().build())
              .lockStateFolder(true)
              .store(store)
              .taskQueue(InMemoryTaskQueue.create(time));

      assertThatThrownBy(builder::build)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("store(...)")
          .hasMessageContaining("taskQueue(...)");
      assertThat(StateLock.isHeld(paths)).as("nothing was opened").isFalse();
      assertThatThrownBy(
              () ->
                  runtime(config().build())
                      .store(store)
                      .schedulerStateStore(new TransientSchedulerStateStore())
                      .build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("schedulerStateStore(...)");
    }

    @Test
    void aPartSetTwiceIsRefusedUnlessItIsTheSameOne() {
      OvernightRuntime.Builder builder = runtime(config().build());

      assertThat(builder.timeSource(time)).isSameAs(builder);
      assertThatThrownBy(() -> builder.timeSource(ManualTimeSource.at("2026-01-01T00:00:00Z")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("timeSource(...) was set twice; set it once");
      builder.decisionEngine(context -> Optional.empty());
      assertThatThrownBy(() -> builder.decisionEngine(context -> Optional.empty()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("decisionEngine(...)");
    }

    @Test
    void twoAgentsWithOneIdAreRefused() {
      OvernightRuntime.Builder builder =
          runtime(config().build()).agentProvider(agent("claude-code").build());

      assertThatThrownBy(() -> builder.agentProvider(agent("claude-code").build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'claude-code'");
    }

    @Test
    void whatTheBuilderOpenedIsClosedWhenBuildFails() {
      OrchestrationConfig config =
          config().decision(new DecisionSettings("oracle", 30, 20, List.of())).build();
      OvernightRuntime.Builder builder =
          runtime(config)
              .lockStateFolder(true)
              .providerLoader(services(StoreProvider.class, RecordingStoreProvider.class));

      assertThatThrownBy(builder::build)
          .isInstanceOfSatisfying(
              ConfigException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(ConfigProblem::path)
                      .containsExactly("/decision/engine"));

      assertThat(RecordingStoreProvider.single().closed).isTrue();
      assertThat(StateLock.isHeld(paths)).as("the state folder's lock is released").isFalse();
      build(runtime(config().build()).lockStateFolder(true));
    }

    @Test
    void discoveredAgentFactoriesSeeTheRuntimesTimeSourceStateFolderAndEnvironment() {
      OvernightRuntime runtime =
          build(
              runtime(config().build())
                  .decisionEngine(c -> Optional.empty())
                  .environment(Map.of("FAKE_API_KEY", "not-a-secret"))
                  .providerLoader(services(AgentProviderFactory.class, TimedAgentFactory.class)));

      assertThat(runtime.agents()).extracting(AgentProvider::id).containsExactly("discovered");
      ProviderContext context = TimedAgentFactory.CONTEXTS.get(0);
      assertThat(context.timeSource()).isSameAs(time);
      assertThat(context.stateDirectory()).isEqualTo(paths.root());
      assertThat(context.environment()).containsExactly(Map.entry("FAKE_API_KEY", "not-a-secret"));

      // The agent it made reads the runtime's virtual time.
      Task task = enqueue(runtime, "Task", "discovered");
      time.advance(Duration.ofMinutes(5));
      runtime.runOnce();
      FakeAgent discovered = (FakeAgent) runtime.agents().get(0);
      assertThat(discovered.sessions())
          .singleElement()
          .satisfies(s -> assertThat(s.closedAt()).contains(ONE_AM.plus(Duration.ofMinutes(5))));
      assertThat(now(runtime, task).status()).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void checkConstraintsUsesTheExplicitlyRegisteredCheckers() {
      Constraints constraints =
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
              Map.of(
                  ScriptedCheckerProvider.NAME,
                  Map.of("status", "unsatisfied", "reason", "everyone is awake")));
      OrchestrationConfig config = config().constraints(constraints).build();
      OvernightRuntime.Builder none =
          runtime(config)
              .providerLoader(ProviderLoader.none())
              .decisionEngine(c -> Optional.empty());

      ConstraintGateResult result =
          build(none.constraintProvider(new ScriptedCheckerProvider())).checkConstraints();

      assertThat(result.satisfied()).isFalse();
      assertThat(result.results().get(ScriptedCheckerProvider.NAME).status())
          .isEqualTo(ConstraintStatus.UNSATISFIED);
      assertThat(result.reason()).contains("everyone is awake");
      // Nothing else serves it: without the registration the runtime refuses the config.
      assertThatThrownBy(
              () ->
                  runtime(config)
                      .providerLoader(ProviderLoader.none())
                      .decisionEngine(c -> Optional.empty())
                      .build())
          .isInstanceOfSatisfying(
              ConfigException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(ConfigProblem::path)
                      .containsExactly("/constraints/checkers/scripted"));
    }
  }

  @Nested
  class Life {
    @Test
    void theStateFolderLockKeepsASecondRuntimeOffUntilTheFirstCloses() {
      OvernightRuntime first = build(runtime(config().build()).lockStateFolder(true));

      assertThatThrownBy(() -> runtime(config().build()).lockStateFolder(true).build())
          .isInstanceOfSatisfying(
              StateInUseException.class,
              e -> {
                assertThat(e.pid()).hasValue(ProcessHandle.current().pid());
                assertThat(e.getMessage()).contains(paths.root().toString(), "is in use");
              });
      assertThat(StateLock.isHeld(paths)).as("the refused runtime left the lock alone").isTrue();

      first.close();
      assertThat(StateLock.isHeld(paths)).isFalse();
      build(runtime(config().build()).lockStateFolder(true));
      assertThat(StateLock.isHeld(paths)).isTrue();
    }

    @Test
    void withWakesEnabledTheMachineIsWokenAheadOfTheNextWakeUntilTheRuntimeStops() {
      RecordingWakeScheduler wakes = new RecordingWakeScheduler();
      Schedule nightly =
          Schedule.cron("0 3 * * *")
              .withTimezone(ZoneOffset.UTC)
              .withWake(new Schedule.Wake(true, 300));
      OvernightRuntime runtime =
          build(quiet(config().schedule(nightly).build()).wakeScheduler(wakes));

      runtime.start();
      assertThat(wakes.outstanding()).containsExactly(Instant.parse("2026-11-25T02:55:00Z"));

      runtime.stop(Duration.ofDays(1));
      assertThat(wakes.outstanding()).isEmpty();
    }

    @Test
    void withWakesOffTheWakeSchedulerIsNeverAsked() {
      RecordingWakeScheduler wakes = new RecordingWakeScheduler();
      OvernightRuntime runtime =
          build(quiet(config().schedule(Schedule.cron("0 3 * * *")).build()).wakeScheduler(wakes));

      runtime.start();
      runtime.stop(Duration.ofDays(1));

      assertThat(wakes.calls()).isEmpty();
    }

    @Test
    void stopWithNoCycleReturnsAtOnceIsIdempotentAndRefusesAStartAfterIt() {
      OvernightRuntime runtime = build(runtime(config().build()));

      assertThat(assertTimeoutPreemptively(SAFETY_NET, () -> runtime.stop(Duration.ofDays(1))))
          .isTrue();
      assertThat(runtime.stop(Duration.ofDays(1))).isTrue();
      assertThatThrownBy(runtime::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("stopped");
      assertThatThrownBy(runtime::runOnce).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stopCancelsARunningCycleWaitsForItAndReleasesItsTask() {
      FakeAgent agent = agent("claude-code").session(FakeTurn.hang()).build();
      List<CoordinatorEvent> events = new CopyOnWriteArrayList<>();
      OvernightRuntime runtime =
          build(
              quiet(config().maxConcurrent(1).build())
                  .agentProvider(agent)
                  .coordinatorListener(events::add));
      Task first = enqueue(runtime, "First", "claude-code");
      Task second = enqueue(runtime, "Second", "claude-code");

      CompletableFuture<Void> cycle = runOnceInBackground(runtime);
      agent.awaitTurns(1, SAFETY_NET);
      boolean ended = runtime.stop(SAFETY_NET);

      assertThat(ended).isTrue();
      assertThat(events)
          .as("stop returned only once the cycle had ended")
          .last()
          .isInstanceOf(CoordinatorEvent.CycleEnded.class);
      await(cycle);
      assertThat(agent.sessions())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.cancels()).containsExactly(ONE_AM);
                assertThat(s.closedAt()).isPresent();
              });
      Task released = now(runtime, first);
      assertThat(released.status()).isEqualTo(TaskStatus.PENDING);
      assertThat(released.attempts()).as("stopping is not the task's fault").isZero();
      assertThat(runtime.taskQueue().events(second.id()))
          .extracting(e -> e.type())
          .as("no task starts once Overnight is stopping")
          .containsExactly(TaskEventType.ENQUEUED);
    }

    @Test
    void stopWaitsNoLongerThanItIsToldForACycleThatWillNotEnd() {
      FakeAgent agent = agent("claude-code").session(FakeTurn.hangIgnoringCancel()).build();
      OvernightRuntime runtime = build(quiet(config().build()).agentProvider(agent));
      Task task = enqueue(runtime, "Stubborn", "claude-code");

      CompletableFuture<Void> cycle = runOnceInBackground(runtime);
      agent.awaitTurns(1, SAFETY_NET);

      assertThat(runtime.stop(Duration.ofMillis(50))).isFalse();
      assertThat(cycle).isNotDone();
      FakeSession session = agent.sessions().get(0);
      assertThat(session.cancels()).containsExactly(ONE_AM);
      // The agent ignores the cancel; after the grace period it is killed and the cycle ends.
      time.advance(Duration.ofSeconds(30));
      await(cycle);
      assertThat(session.closedAt()).contains(ONE_AM.plusSeconds(30));
      assertThat(now(runtime, task).status()).isEqualTo(TaskStatus.PENDING);
      assertThat(runtime.stop(SAFETY_NET)).isTrue();
    }

    @Test
    void runOnceCompletesATaskWithTheAgentAndWritesTheReport() {
      FakeAgent agent =
          agent("claude-code")
              .session(
                  FakeTurn.builder()
                      .write("NOTES.md", "Notes.\n")
                      .message("Wrote NOTES.md.")
                      .endTurn())
              .build();
      List<CoordinatorEvent> events = new CopyOnWriteArrayList<>();
      OvernightRuntime runtime =
          build(
              quiet(
                      config()
                          .schedule(Schedule.cron("*/30 1-5 * * *").withTimezone(ZoneOffset.UTC))
                          .build())
                  .agentProvider(agent)
                  .coordinatorListener(events::add));
      Task task = enqueue(runtime, "Write the notes", "claude-code");

      runtime.runOnce();

      Task done = now(runtime, task);
      assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
      assertThat(done.metadata()).containsEntry("agent", "claude-code");
      Path report = paths.reports().resolve("latest.md");
      assertThat(report).exists();
      assertThat(report).content().contains("Write the notes", "completed");
      assertThat(events)
          .filteredOn(CoordinatorEvent.CycleEnded.class::isInstance)
          .singleElement()
          .satisfies(
              e ->
                  assertThat(((CoordinatorEvent.CycleEnded) e).report())
                      .contains(paths.reports().resolve("night-2026-11-25.md").toString()));
      assertThat(runtime.coordinator().metrics().tasksCompleted()).isEqualTo(1);
    }

    @Test
    void aCycleRunByHandIsRecordedInTheHistoryWithItsReceipt() {
      FakeAgent agent = agent("claude-code").session(FakeTurn.builder().endTurn()).build();
      OvernightRuntime runtime = build(quiet(config().build()).agentProvider(agent));
      enqueue(runtime, "Some work", "claude-code");

      runtime.runOnce();
      time.advance(Duration.ofMinutes(1));
      runtime.runOnce();

      List<CycleRecord> history =
          runtime.schedulerStateStore().recentCycles(runtime.config().id(), 10);
      assertThat(history)
          .extracting(c -> c.cycleId().substring(0, 5) + " " + c.outcome() + " " + c.receipt())
          .containsExactly(
              "once- COMPLETED "
                  + WakeReceipt.skipped(
                      WakeReason.NO_WORK, "the queue is empty and no new work was found"),
              "once- COMPLETED " + WakeReceipt.fired());
      assertThat(history.get(1).notes()).containsExactly("1 task run");
      assertThat(history.get(1).startedAt()).contains(ONE_AM);
    }
  }

  @Nested
  class SecretsAndFiles {
    private static final String ENV_SECRET = "env-secret-0123456789";
    private static final String CONFIG_SECRET = "cfg-secret-0123456789";

    /** A config whose claude-code entry gives the agent a key, as a user's config does. */
    private OrchestrationConfig withAgentKey() {
      return config()
          .maxAttempts(1)
          .agents(
              Map.of(
                  "claude-code",
                  new AgentCommand(
                      ConfigValue.of("claude-agent-acp"),
                      List.of(),
                      Map.of("ANTHROPIC_API_KEY", CONFIG_SECRET),
                      Optional.empty())))
          .build();
    }

    @Test
    void whatAnAgentPrintsIsStoredEmittedAndReportedWithoutTheSecretsItWasGiven() throws Exception {
      FakeAgent agent =
          agent("claude-code")
              .session(
                  FakeTurn.crash("401 for key " + CONFIG_SECRET + " (GH_TOKEN=" + ENV_SECRET + ")"))
              .build();
      List<CoordinatorEvent> events = new CopyOnWriteArrayList<>();
      OvernightRuntime runtime =
          build(
              quiet(withAgentKey())
                  .environment(Map.of("GH_TOKEN", ENV_SECRET, "PATH", "/usr/bin"))
                  .agentProvider(agent)
                  .coordinatorListener(events::add));
      Task task = enqueue(runtime, "Fix the login", "claude-code");

      runtime.runOnce();

      Task failed = now(runtime, task);
      assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(failed.lastError().orElseThrow())
          .contains("401 for key [REDACTED:ANTHROPIC_API_KEY] (GH_TOKEN=[REDACTED:GH_TOKEN])");
      assertThat(runtime.taskQueue().events(task.id()))
          .extracting(e -> e.reason())
          .anySatisfy(r -> assertThat(r).contains("[REDACTED:ANTHROPIC_API_KEY]"))
          .allSatisfy(r -> assertThat(r).doesNotContain(CONFIG_SECRET, ENV_SECRET));
      assertThat(events)
          .filteredOn(CoordinatorEvent.TaskEnded.class::isInstance)
          .singleElement()
          .satisfies(
              e ->
                  assertThat(((CoordinatorEvent.TaskEnded) e).reason())
                      .contains("[REDACTED:GH_TOKEN]")
                      .doesNotContain(ENV_SECRET));
      for (String report : List.of("latest.md", "latest.html")) {
        assertThat(paths.reports().resolve(report))
            .content()
            .contains("[REDACTED:ANTHROPIC_API_KEY]")
            .doesNotContain(CONFIG_SECRET, ENV_SECRET);
      }
    }

    @Test
    void theDescriptionAPullRequestGetsAndTheFactsKeptAreRedactedToo() {
      FakeAgent agent =
          agent("claude-code")
              .session(
                  FakeTurn.builder()
                      .write("NOTES.md", "Notes.\n")
                      .message("Logged in with " + CONFIG_SECRET + " and wrote NOTES.md.")
                      .endTurn())
              .build();
      List<String> descriptions = new CopyOnWriteArrayList<>();
      OvernightRuntime runtime =
          build(
              quiet(withAgentKey())
                  .environment(Map.of("GH_TOKEN", ENV_SECRET))
                  .agentProvider(agent)
                  .pullRequestPublisher(
                      (worktree, t, gate, summary) -> {
                        descriptions.add(summary);
                        return new PublishResult(
                            worktree.branch(),
                            1,
                            "abc123",
                            false,
                            Optional.of("push refused for " + ENV_SECRET),
                            Optional.empty(),
                            Optional.of("gh said: bad credentials " + ENV_SECRET));
                      }));
      Task task = enqueue(runtime, "Write the notes", "claude-code");

      runtime.runOnce();

      assertThat(descriptions)
          .containsExactly("Logged in with [REDACTED:ANTHROPIC_API_KEY] and wrote NOTES.md.");
      Task done = now(runtime, task);
      assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
      assertThat(done.metadata().values()).noneMatch(v -> v.contains(ENV_SECRET));
      assertThat(done.metadata())
          .containsEntry("pr_note", "gh said: bad credentials [REDACTED:GH_TOKEN]");
      assertThat(runtime.taskQueue().events(task.id()))
          .extracting(e -> e.reason())
          .noneMatch(r -> r.contains(ENV_SECRET));
    }

    @Test
    void theStateFolderAndWhatTheRuntimeWritesInItAreTheOwnersOnly() throws Exception {
      FakeAgent agent = agent("claude-code").session(FakeTurn.crash("gone")).build();
      OvernightRuntime runtime =
          build(quiet(config().maxAttempts(1).build()).agentProvider(agent).lockStateFolder(true));
      enqueue(runtime, "Anything", "claude-code");

      runtime.runOnce();

      assertThat(mode(paths.root())).isEqualTo("rwx------");
      assertThat(mode(paths.daemonLock())).isEqualTo("rw-------");
      assertThat(mode(paths.worktrees())).isEqualTo("rwx------");
      assertThat(mode(paths.reports())).isEqualTo("rwx------");
      try (var reports = Files.list(paths.reports())) {
        assertThat(reports.toList())
            .isNotEmpty()
            .allSatisfy(f -> assertThat(mode(f)).isEqualTo("rw-------"));
      }
    }

    private String mode(Path p) {
      try {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Nested
  class Plans {
    @Test
    void planExplainsTheRuntimesOwnEngineAndPassesOverWhatTheQueueHolds() {
      DecisionEngine tidy =
          context ->
              Optional.of(
                      new Decision(
                          "Tidy the README",
                          "Tidy the README.",
                          "claude-code",
                          TaskPriority.MEDIUM,
                          DecisionPath.EXPLORATION,
                          Optional.of("README.md"),
                          "the README is untidy",
                          0.5,
                          List.of(),
                          Duration.ofMinutes(15),
                          Map.of()))
                  .filter(d -> !context.finishedOpHashes().contains(d.toTaskSpec().opHash()));
      OvernightRuntime runtime =
          build(
              runtime(config().build())
                  .decisionEngine(tidy)
                  .agentProvider(agent("claude-code").build()));

      PlanReport before = runtime.plan();
      assertThat(before.explanation().decision()).map(Decision::title).contains("Tidy the README");
      assertThat(before.explanation().agent()).contains("claude-code");

      runtime.taskQueue().enqueue(before.explanation().decision().orElseThrow().toTaskSpec());
      PlanReport after = runtime.plan();
      assertThat(after.explanation().decision()).isEmpty();
      assertThat(after.context().finishedOpHashes())
          .contains(before.explanation().decision().orElseThrow().toTaskSpec().opHash());
    }
  }

  // ------------------------------------------------------------------------------- providers

  /** A store in memory that records where it was opened and whether it was closed. */
  static final class RecordingStore implements Store {
    final Path stateDirectory;
    final InMemoryTaskQueue queue;
    final SchedulerStateStore states = new TransientSchedulerStateStore();
    volatile boolean closed;

    RecordingStore(Path stateDirectory, InstantSource time) {
      this.stateDirectory = stateDirectory;
      this.queue = InMemoryTaskQueue.create(time);
    }

    @Override
    public TaskQueue taskQueue() {
      return queue;
    }

    @Override
    public SchedulerStateStore schedulerStateStore() {
      return states;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** Opens {@link RecordingStore}s and keeps them for the test to look at. */
  public static final class RecordingStoreProvider implements StoreProvider {
    static final List<RecordingStore> OPENED = new CopyOnWriteArrayList<>();

    static RecordingStore single() {
      assertThat(OPENED).hasSize(1);
      return OPENED.get(0);
    }

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public Store open(ProviderContext context) {
      RecordingStore store = new RecordingStore(context.stateDirectory(), context.timeSource());
      OPENED.add(store);
      return store;
    }
  }

  /** Makes one fake agent on the time source it is given, and keeps the context. */
  public static final class TimedAgentFactory implements AgentProviderFactory {
    static final List<ProviderContext> CONTEXTS = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "timed";
    }

    @Override
    public List<AgentProvider> create(ProviderContext context) {
      CONTEXTS.add(context);
      return List.of(FakeAgent.builder("discovered").timeSource(context.timeSource()).build());
    }
  }
}
