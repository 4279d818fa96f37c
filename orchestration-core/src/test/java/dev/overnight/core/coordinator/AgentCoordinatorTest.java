package dev.overnight.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.Availability;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.ToolKind;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.AgentPreferences;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Limits;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import dev.overnight.core.queue.ForwardingTaskQueue;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeSession;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualCycle;
import dev.overnight.fakes.ManualTimeSource;
import dev.overnight.fakes.SmallDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's own rules, on virtual time, with real git and in-process fake agents: where a
 * task runs, what happens when its agent fails, hangs or hits a limit, when the decision engine is
 * asked, what stops new tasks, and what its events and counters say. The end-to-end tests in {@code
 * orchestration-cli} run the same rules over real ACP agent processes.
 */
class AgentCoordinatorTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");
  private static final Duration SAFETY_NET = ManualCycle.SAFETY_NET;

  /** What a worker's turn reports: 1,250 tokens and a cent. */
  private static final Usage TURN_USAGE = new Usage(1000, 250, 0, 0, Optional.of(0.01));

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final Events events = new Events();
  private final List<SessionEvent> sessionEvents = new CopyOnWriteArrayList<>();
  private final List<AgentCoordinator> coordinators = new ArrayList<>();
  private Repository repo;
  private Path state;
  private InMemoryTaskQueue queue;
  private int cycles;

  @BeforeEach
  void aRepositoryAndAnEmptyQueue() {
    repo = Repository.init(dir.resolve("repo"));
    state = dir.resolve("state");
    queue = InMemoryTaskQueue.create(time);
  }

  @AfterEach
  void closeCoordinators() {
    coordinators.forEach(AgentCoordinator::close);
  }

  private OrchestrationConfig.Builder config() {
    return OrchestrationConfig.builder(ConfigValue.of(repo.dir().toString()))
        .id("test")
        .stateDir(ConfigValue.of(state.toString()));
  }

  /** A coordinator on this test's queue, time and state folder; the engine has nothing to add. */
  private AgentCoordinator.Builder coordinator(
      OrchestrationConfig config, AgentProvider... agents) {
    return AgentCoordinator.builder(config)
        .taskQueue(queue)
        .agentProviders(List.of(agents))
        .timeSource(time)
        .stateDir(state)
        .workerId("test-worker")
        .listener(events)
        .sessionSink(sessionEvents::add)
        .decisionEngine(context -> Optional.empty());
  }

  private AgentCoordinator build(AgentCoordinator.Builder builder) {
    AgentCoordinator c = builder.build();
    coordinators.add(c);
    return c;
  }

  private FakeAgent.Builder agent(String id) {
    return FakeAgent.builder(id).timeSource(time);
  }

  /** A turn that writes a file and ends with {@link #TURN_USAGE}. */
  private static FakeTurn works(String file) {
    return FakeTurn.builder()
        .write(file, "Done.\n")
        .message("Wrote " + file + ".")
        .endTurn(TURN_USAGE);
  }

  private Task enqueue(String title, String agentId) {
    TaskSpec.Builder spec = TaskSpec.builder("Do this: " + title).title(title);
    if (agentId != null) {
      spec.agentId(agentId);
    }
    return queue.enqueue(spec.build()).task();
  }

  private Task now(Task task) {
    return queue.get(task.id()).orElseThrow();
  }

  private ManualCycle cycle(OrchestrationConfig config) {
    Instant now = time.instant();
    return new ManualCycle("cycle-" + ++cycles, now, now.plusSeconds(config.timeBudgetSec()));
  }

  private List<TaskEventType> queueEvents(Task task) {
    return queue.events(task.id()).stream().map(e -> e.type()).toList();
  }

  private static Limits nightLimit(SpendingLimit perNight) {
    return new Limits(perNight, SpendingLimit.unbounded(), 600, 30);
  }

  /** Limits under which nothing is stuck before the budget runs out: these tests are about it. */
  private static Limits neverStuck() {
    return new Limits(SpendingLimit.unbounded(), SpendingLimit.unbounded(), 3600, 30);
  }

  /**
   * A queue shared with other machines, as PostgreSQL's is: {@link TaskQueue#awaitWork} returns at
   * once the first time, then blocks until work is enqueued (here: by the test) or the cycle is
   * cancelled.
   */
  private static final class SharedQueue extends ForwardingTaskQueue {
    final Semaphore work = new Semaphore(0);
    final Semaphore waiting = new Semaphore(0);
    final List<Duration> timeouts = new CopyOnWriteArrayList<>();
    private volatile boolean first = true;

    SharedQueue(TaskQueue inner) {
      super(inner);
    }

    @Override
    public EnqueueResult enqueue(TaskSpec spec) {
      EnqueueResult r = super.enqueue(spec);
      work.release();
      return r;
    }

    @Override
    public boolean awaitWork(Duration timeout) throws InterruptedException {
      timeouts.add(timeout);
      if (first) {
        first = false;
        return true;
      }
      waiting.release();
      return work.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Test
  void anIdleCycleWaitsForWorkFromAnotherMachineInsteadOfEnding() throws Exception {
    FakeAgent agent = agent("codex").session(works("FROM-AFAR.md")).build();
    OrchestrationConfig config = config().maxConcurrent(1).build();
    SharedQueue shared = new SharedQueue(queue);
    AgentCoordinator coordinator = build(coordinator(config, agent).taskQueue(shared));

    ManualCycle cycle = cycle(config).start(coordinator);
    assertThat(shared.waiting.tryAcquire(SAFETY_NET.toSeconds(), TimeUnit.SECONDS))
        .as("the idle cycle waits for work")
        .isTrue();
    assertThat(cycle.ended()).isFalse();
    // Until the budget is nearly spent: 30 minutes less the 3 minutes a task needs at least.
    assertThat(shared.timeouts.get(shared.timeouts.size() - 1)).isEqualTo(Duration.ofMinutes(27));

    Task fromAfar = shared.enqueue(TaskSpec.builder("Write FROM-AFAR.md").build()).task();
    assertThat(shared.waiting.tryAcquire(SAFETY_NET.toSeconds(), TimeUnit.SECONDS))
        .as("it ran the task, then waits again")
        .isTrue();
    assertThat(now(fromAfar).status()).isEqualTo(TaskStatus.COMPLETED);

    cycle.cancel();
    cycle.awaitEnd();
    assertThat(coordinator.metrics().tasksCompleted()).isEqualTo(1);
  }

  @Test
  void aQueueThatCannotTellEndsTheIdleCycleAsBefore() {
    OrchestrationConfig config = config().build();
    AgentCoordinator coordinator = build(coordinator(config, agent("codex").build()));

    cycle(config).runOn(coordinator);

    assertThat(events.all(CoordinatorEvent.CycleEnded.class)).hasSize(1);
  }

  @Test
  void aClaimedTaskRunsInItsOwnWorktreeAndBranchAndCompletesWithItsFacts() {
    FakeAgent agent =
        agent("claude-code")
            .session(
                FakeTurn.builder()
                    .thought("Reading the parser.")
                    .write("src/Parser.java", "class Parser {}\n")
                    .message("Tidied the parser.")
                    .usageUpdate(1250, 200_000, 0.02)
                    .endTurn(new Usage(1000, 250, 0, 0, Optional.of(0.015))))
            .build();
    OrchestrationConfig config = config().build();
    AgentCoordinator coordinator = build(coordinator(config, agent));
    Task task = enqueue("Tidy the parser", null);
    String mainBefore = repo.git("rev-parse", "main");

    cycle(config).runOn(coordinator);

    FakeSession session = agent.sessions().get(0);
    Path worktree = session.workingDirectory();
    Task done = now(task);
    String branch = done.metadata().get("branch");
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(branch).startsWith("overnight/tidy-the-parser-");
    // The session's cost replaces the turns' sum: it is the session's running total.
    assertThat(done.metadata())
        .containsEntry("agent", "claude-code")
        .containsEntry("worktree", worktree.toString())
        .containsEntry("session_id", session.sessionId())
        .containsEntry("tokens", "1250")
        .containsEntry("cost_usd", "0.0200")
        .containsEntry("commits", "1")
        .containsEntry("head", repo.git("rev-parse", branch))
        .containsEntry("pushed", "false");

    // Its own worktree under the state folder, on its own branch; the checkout is untouched.
    assertThat(worktree).startsWithRaw(state.resolve("worktrees"));
    assertThat(repo.subjects(branch)).containsExactly("Tidy the parser");
    assertThat(repo.show(branch, "src/Parser.java")).isEqualTo("class Parser {}");
    assertThat(repo.dir().resolve("src/Parser.java")).doesNotExist();
    assertThat(repo.git("rev-parse", "main")).isEqualTo(mainBefore);
    assertThat(repo.git("symbolic-ref", "--short", "HEAD")).isEqualTo("main");
    assertThat(worktree).as("a completed task's worktree is removed").doesNotExist();

    // What the agent was asked, and that its session ended.
    assertThat(session.request().taskId()).contains(task.id());
    assertThat(session.request().cancelGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(session.prompts())
        .singleElement()
        .asString()
        .startsWith("Do this: Tidy the parser")
        .contains("worktree at " + worktree, "on branch " + branch);
    assertThat(session.closedAt()).contains(ONE_AM);

    // Every update went to the session sink, numbered and tied to the task.
    assertThat(sessionEvents)
        .extracting(e -> e.sequence() + " " + e.update().kind())
        .containsExactly("1 agent_thought_chunk", "2 agent_message_chunk", "3 usage_update");
    assertThat(sessionEvents)
        .allSatisfy(
            e -> {
              assertThat(e.sessionId()).isEqualTo(session.sessionId());
              assertThat(e.agentId()).isEqualTo("claude-code");
              assertThat(e.taskId()).contains(task.id());
            });

    CoordinatorEvent.TaskStarted started = events.all(CoordinatorEvent.TaskStarted.class).get(0);
    assertThat(started.branch()).isEqualTo(branch);
    assertThat(started.sessionId()).isEqualTo(session.sessionId());
    assertThat(started.agentId()).isEqualTo("claude-code");
    assertThat(events.all(CoordinatorEvent.TaskEnded.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(AttemptOutcome.COMPLETED);
              assertThat(e.task().status()).isEqualTo(TaskStatus.COMPLETED);
            });
    CoordinatorMetrics metrics = coordinator.metrics();
    assertThat(metrics.tasksExecuted()).isEqualTo(1);
    assertThat(metrics.tasksCompleted()).isEqualTo(1);
    assertThat(metrics.tokens()).isEqualTo(1250);
    assertThat(metrics.costUsd()).contains(0.02);
  }

  @Test
  void aFailingAgentsTaskGoesBackToPendingWithItsAttemptCountedThenFailsAtMaxAttempts() {
    FakeAgent agent =
        agent("claude-code")
            .session(
                FakeTurn.builder()
                    .write("HALF-DONE.md", "Work in progress.\n")
                    .crash("the agent exited with code 4"))
            .build();
    OrchestrationConfig config = config().maxConcurrent(1).build();
    AgentCoordinator coordinator = build(coordinator(config, agent));
    Task task = enqueue("Fix the build", "claude-code");

    ManualCycle cycle = cycle(config).runOn(coordinator);

    List<CoordinatorEvent.TaskEnded> ended = events.all(CoordinatorEvent.TaskEnded.class);
    assertThat(ended)
        .extracting(e -> e.outcome() + " " + e.task().status() + " after " + e.task().attempts())
        .containsExactly("retry PENDING after 1", "retry PENDING after 2", "failed FAILED after 3");
    assertThat(ended)
        .extracting(CoordinatorEvent.TaskEnded::reason)
        .containsOnly("the agent exited with code 4");
    Task failed = now(task);
    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.lastError()).contains("the agent exited with code 4");
    assertThat(queueEvents(task))
        .containsSubsequence(
            TaskEventType.RETRY_SCHEDULED, TaskEventType.RETRY_SCHEDULED, TaskEventType.FAILED);

    // Each attempt had a session of its own, each ended; the work in progress is kept on the
    // branch, and the retries were told to continue from it.
    assertThat(agent.sessions()).hasSize(3).allSatisfy(s -> assertThat(s.closedAt()).isPresent());
    assertThat(repo.subjects(failed.metadata().get("branch")))
        .containsExactly("Fix the build (work in progress)");
    assertThat(agent.prompts().get(1)).contains("An earlier attempt already made progress");
    assertThat(agent.sessions().get(0).workingDirectory()).doesNotExist();

    CoordinatorMetrics metrics = coordinator.metrics();
    assertThat(metrics.tasksExecuted()).isEqualTo(3);
    assertThat(metrics.tasksRetried()).isEqualTo(2);
    assertThat(metrics.tasksFailed()).isEqualTo(1);
    assertThat(metrics.tasksCompleted()).isZero();
    assertThat(cycle.notes()).containsExactly("3 tasks run");
  }

  @Test
  void theDeadlineCancelsAHangingAgentKillsItAfterTheGraceAndTheTaskGoesBackToPending() {
    FakeAgent agent =
        agent("claude-code")
            .session(
                FakeTurn.builder()
                    .write("HALF-DONE.md", "Work in progress.\n")
                    .message("Half done; thinking very hard.")
                    .hangIgnoringCancel())
            .build();
    OrchestrationConfig config = config().maxConcurrent(1).limits(neverStuck()).build();
    AgentCoordinator coordinator = build(coordinator(config, agent));
    Task task = enqueue("Finish the feature", "claude-code");

    ManualCycle cycle = cycle(config).start(coordinator);
    agent.awaitTurns(1, SAFETY_NET);
    FakeSession session = agent.sessions().get(0);
    Instant deadline = cycle.deadline();

    time.runUntil(deadline.minusSeconds(1));
    assertThat(session.cancels()).isEmpty();
    time.runUntil(deadline);
    assertThat(session.cancels()).containsExactly(deadline);
    assertThat(session.isAlive()).as("the agent ignores the cancel").isTrue();
    time.runUntil(deadline.plusSeconds(29));
    assertThat(session.closedAt()).isEmpty();
    assertThat(cycle.ended()).isFalse();
    time.runUntil(deadline.plusSeconds(30));
    assertThat(session.closedAt()).contains(deadline.plusSeconds(30));
    cycle.awaitEnd();

    assertThat(events.all(CoordinatorEvent.TaskEnded.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(AttemptOutcome.RETRY);
              assertThat(e.reason()).isEqualTo("time budget exhausted");
            });
    Task pending = now(task);
    assertThat(pending.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(pending.attempts()).isEqualTo(1);
    assertThat(pending.lastError()).contains("time budget exhausted");
    assertThat(repo.show(pending.metadata().get("branch"), "HALF-DONE.md"))
        .isEqualTo("Work in progress.");
    assertThat(agent.sessions()).as("nothing starts after the deadline").hasSize(1);
    assertThat(coordinator.metrics().tasksRetried()).isEqualTo(1);
  }

  @Test
  void anAgentThatHonoursTheCancelEndsAtTheDeadlineWithoutWaitingForTheGrace() {
    FakeAgent agent = agent("claude-code").session(FakeTurn.hang()).build();
    OrchestrationConfig config = config().maxConcurrent(1).limits(neverStuck()).build();
    AgentCoordinator coordinator = build(coordinator(config, agent));
    Task task = enqueue("Finish the feature", "claude-code");

    ManualCycle cycle = cycle(config).start(coordinator);
    agent.awaitTurns(1, SAFETY_NET);
    time.runUntil(cycle.deadline());
    cycle.awaitEnd();

    FakeSession session = agent.sessions().get(0);
    assertThat(session.cancels()).containsExactly(cycle.deadline());
    assertThat(session.closedAt()).contains(cycle.deadline());
    assertThat(now(task).status()).isEqualTo(TaskStatus.PENDING);
    assertThat(now(task).lastError()).contains("time budget exhausted");
  }

  /** A follow-up of a pull request, which a day cycle claims, for {@code agentId}; one attempt. */
  private Task enqueueFollowUp(String title, String agentId) {
    Map<String, String> metadata = new java.util.LinkedHashMap<>();
    TaskFacts.FOLLOW_UP_OF.put(metadata, "origin-task");
    return queue
        .enqueue(
            TaskSpec.builder("Do this: " + title)
                .title(title)
                .agentId(agentId)
                .maxAttempts(1)
                .metadata(metadata)
                .build())
        .task();
  }

  /** A day cycle whose one task hangs until the cycle's deadline, half an hour from now. */
  private Task aDayCycleCutAtItsDeadline(boolean endsAtWindow) {
    FakeAgent agent = agent("claude-code").session(FakeTurn.hang()).build();
    OrchestrationConfig config = config().maxConcurrent(1).limits(neverStuck()).build();
    AgentCoordinator coordinator = build(coordinator(config, agent));
    Task task = enqueueFollowUp("Answer the failing check", "claude-code");

    Instant now = time.instant();
    ManualCycle day = new ManualCycle("day-1", now, now.plus(Duration.ofMinutes(30)));
    day.start(c -> coordinator.runDayCycle(c, endsAtWindow));
    agent.awaitTurns(1, SAFETY_NET);
    time.runUntil(day.deadline());
    day.awaitEnd();
    return now(task);
  }

  @Test
  void aDayCycleEndingWhenTheWindowOpensGivesItsTaskBackWithoutUsingItsAttempt() {
    Task task = aDayCycleCutAtItsDeadline(true);

    assertThat(task.status()).as("it runs in the night").isEqualTo(TaskStatus.PENDING);
    assertThat(task.attempts()).as("the day's cut was not its attempt").isZero();
    assertThat(queue.events(task.id()))
        .last()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(TaskEventType.RELEASED);
              assertThat(e.reason()).startsWith("the night's window opened; it runs in the night");
            });
  }

  @Test
  void aDayCycleEndingWithItsTimeBudgetUsesTheAttemptAsAnyCycleDoes() {
    Task task = aDayCycleCutAtItsDeadline(false);

    assertThat(task.status()).as("its one attempt is spent").isEqualTo(TaskStatus.FAILED);
    assertThat(task.lastError()).contains("time budget exhausted");
  }

  @Test
  void aSilentAgentIsCancelledAsStuckAndItsTaskRetried() {
    FakeAgent agent =
        agent("claude-code")
            .session(FakeTurn.builder().message("Thinking.").hang(), FakeTurn.endTurn())
            .session(works("DONE.md"))
            .build();
    OrchestrationConfig config = config().maxConcurrent(1).build();
    AgentCoordinator coordinator = build(coordinator(config, agent));
    Task task = enqueue("Tidy the parser", "claude-code");

    ManualCycle cycle = cycle(config).start(coordinator);
    agent.awaitTurns(1, SAFETY_NET);
    FakeSession silent = agent.sessions().get(0);
    time.advance(Duration.ofSeconds(599));
    assertThat(silent.cancels()).isEmpty();
    time.advance(Duration.ofSeconds(1));
    cycle.awaitEnd();

    assertThat(silent.cancels()).containsExactly(ONE_AM.plusSeconds(600));
    assertThat(events.all(CoordinatorEvent.TaskEnded.class))
        .extracting(e -> e.outcome() + ": " + e.reason())
        .containsExactly("retry: stuck", "completed: ");
    assertThat(now(task).attempts()).isEqualTo(2);
  }

  @Test
  void anEmptyQueueAsksTheDecisionEngineEnqueuesTheDecisionAndRunsItInTheSameCycle() {
    FakeAgent codex = agent("codex").session(works("src/AppTest.java")).build();
    Decision decision =
        new Decision(
            "Add tests for App",
            "Write unit tests for src/App.java.",
            "codex",
            TaskPriority.MEDIUM,
            DecisionPath.TESTS,
            Optional.of("src/App.java"),
            "src/App.java has no tests",
            0.8,
            List.of(),
            Duration.ofMinutes(20),
            Map.of());
    String opHash = decision.toTaskSpec().opHash();
    List<DecisionContext> asked = new CopyOnWriteArrayList<>();
    DecisionEngine engine =
        context -> {
          asked.add(context);
          return context.finishedOpHashes().contains(opHash)
              ? Optional.empty()
              : Optional.of(decision);
        };
    OrchestrationConfig config = config().maxAttempts(2).build();
    AgentCoordinator coordinator = build(coordinator(config, codex).decisionEngine(engine));

    cycle(config).runOn(coordinator);

    Task task = queue.list(TaskFilter.all()).items().get(0);
    assertThat(queue.list(TaskFilter.all()).items()).hasSize(1);
    assertThat(task.title()).isEqualTo("Add tests for App");
    assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(task.agentId()).contains("codex");
    assertThat(task.maxAttempts()).as("decided tasks get the config's max_attempts").isEqualTo(2);
    assertThat(task.metadata())
        .containsEntry("decision_path", "tests")
        .containsEntry("rationale", "src/App.java has no tests")
        .containsEntry("target_file", "src/App.java")
        .containsEntry("config_id", "test");
    assertThat(repo.show(task.metadata().get("branch"), "src/AppTest.java")).isEqualTo("Done.");

    // Asked with every agent's availability; asked again with the decided task taken.
    assertThat(asked).hasSize(2);
    assertThat(asked.get(0).agents()).containsOnlyKeys("codex");
    assertThat(asked.get(0).agents().get("codex").available()).isTrue();
    assertThat(asked.get(0).finishedOpHashes()).doesNotContain(opHash);
    assertThat(asked.get(1).finishedOpHashes()).contains(opHash);
    List<String> kinds = events.kinds();
    assertThat(kinds)
        .containsSubsequence("CycleBegan", "Decided", "TaskStarted", "TaskEnded", "CycleEnded");
    assertThat(events.all(CoordinatorEvent.Decided.class))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.decision()).isEqualTo(decision);
              assertThat(d.enqueued()).isTrue();
            });
    assertThat(events.all(CoordinatorEvent.NothingToDo.class))
        .extracting(CoordinatorEvent.NothingToDo::reason)
        .containsExactly("the decision engine found nothing new to do");
    assertThat(coordinator.metrics().decisions()).isEqualTo(1);
    assertThat(coordinator.metrics().tasksCompleted()).isEqualTo(1);
  }

  @Test
  void aUsageLimitReleasesTheTaskParksTheAgentUntilItsResetAndTheNextAgentTakesOver() {
    Instant reset = ONE_AM.plus(Duration.ofHours(2));
    FakeAgent claude =
        agent("claude-code")
            .session(
                FakeTurn.builder()
                    .thought("Working.")
                    .usageLimit("You've hit your limit · resets 3am (UTC)", reset))
            .build();
    FakeAgent codex = agent("codex").session(works("DONE.md")).build();
    OrchestrationConfig config =
        config()
            .maxConcurrent(1)
            .agentPreferences(new AgentPreferences(List.of("claude-code", "codex"), List.of()))
            .build();
    AgentCoordinator coordinator = build(coordinator(config, claude, codex));
    Task task = enqueue("Task one", null);

    cycle(config).runOn(coordinator);

    assertThat(events.all(CoordinatorEvent.TaskStarted.class))
        .extracting(CoordinatorEvent.TaskStarted::agentId)
        .containsExactly("claude-code", "codex");
    List<CoordinatorEvent.TaskEnded> ended = events.all(CoordinatorEvent.TaskEnded.class);
    assertThat(ended)
        .extracting(CoordinatorEvent.TaskEnded::outcome)
        .containsExactly(AttemptOutcome.RELEASED, AttemptOutcome.COMPLETED);
    assertThat(ended.get(0).reason()).contains("claude-code", "resets 3am");
    assertThat(ended.get(0).task().status()).isEqualTo(TaskStatus.PENDING);
    assertThat(ended.get(0).task().attempts()).as("a usage limit is not the task's fault").isZero();
    assertThat(events.all(CoordinatorEvent.AgentParked.class))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.agentId()).isEqualTo("claude-code");
              assertThat(p.until()).isEqualTo(reset);
              assertThat(p.reason()).isEqualTo("You've hit your limit · resets 3am (UTC)");
            });
    Task done = now(task);
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(done.metadata()).containsEntry("agent", "codex");
    assertThat(queueEvents(task)).contains(TaskEventType.RELEASED);
    assertThat(claude.sessions())
        .singleElement()
        .satisfies(s -> assertThat(s.closedAt()).isPresent());
    assertThat(coordinator.metrics().tasksReleased()).isEqualTo(1);
    assertThat(coordinator.metrics().tasksRetried()).isZero();

    // Parked until the reset the agent announced, and not a second longer.
    Availability parked = coordinator.agentAvailability().get("claude-code");
    assertThat(parked.available()).isFalse();
    assertThat(parked.reason()).contains("parked until " + reset);
    time.runUntil(reset.minusSeconds(1));
    assertThat(coordinator.agentAvailability().get("claude-code").available()).isFalse();
    time.runUntil(reset);
    assertThat(coordinator.agentAvailability().get("claude-code").available()).isTrue();
  }

  @Test
  void aNightWithTwoAgentsAndAKnownResetIsPacedByTheQuotaLedger() {
    Instant reset = ONE_AM.plus(Duration.ofHours(2));
    TransientSchedulerStateStore ledger = new TransientSchedulerStateStore();
    OrchestrationConfig config =
        config()
            .maxConcurrent(1)
            .agentPreferences(new AgentPreferences(List.of("claude-code", "codex"), List.of()))
            .limits(Limits.defaults().withLeaveForMorning(0.2))
            .build();
    FakeAgent claude =
        agent("claude-code")
            .session(works("ONE.md"))
            .session(
                FakeTurn.builder().usageLimit("You've hit your limit · resets 3am (UTC)", reset))
            .build();
    FakeAgent codex = agent("codex").session(works("TWO.md")).build();
    AgentCoordinator first = build(coordinator(config, claude, codex).quotaStore(ledger));
    Task one = enqueue("One", null);
    Task two = enqueue("Two", null);

    cycle(config).runOn(first);

    assertThat(now(one).metadata()).containsEntry("agent", "claude-code");
    assertThat(now(two).metadata()).containsEntry("agent", "codex");
    // The limit taught the window's size: what had been used of it when the agent hit it.
    assertThat(ledger.quotaWindows())
        .extracting(
            w ->
                w.agentId()
                    + " "
                    + w.usedTokens()
                    + "/"
                    + w.limitTokens()
                    + (w.exhausted() ? " spent" : "")
                    + " until "
                    + w.resetsAt().orElse(null))
        .containsExactly(
            "claude-code 1250/OptionalLong[1250] spent until " + reset,
            "codex 1250/OptionalLong.empty until null");

    // Overnight restarts: the parking is forgotten, the ledger is not.
    time.advance(Duration.ofHours(1));
    FakeAgent claudeAgain =
        agent("claude-code").session(works("FOUR.md")).session(works("SIX.md")).build();
    FakeAgent codexAgain =
        agent("codex").session(works("THREE.md")).session(works("FIVE.md")).build();
    AgentCoordinator second =
        build(coordinator(config, claudeAgain, codexAgain).quotaStore(ledger));
    assertThat(second.agentAvailability().get("claude-code").reason())
        .isEqualTo("claude-code has spent its usage window until " + reset);
    Task three = enqueue("Three", null);
    cycle(config).runOn(second);
    assertThat(now(three).metadata()).containsEntry("agent", "codex");
    assertThat(claudeAgain.sessions()).as("no task for a spent window").isEmpty();

    // After the reset a new window of the same size and length: 80% of it for the night.
    time.runUntil(reset.plus(Duration.ofMinutes(30)));
    Task four = enqueue("Four", null);
    Task five = enqueue("Five", null);
    cycle(config).runOn(second);
    assertThat(now(four).metadata()).containsEntry("agent", "claude-code");
    assertThat(now(five).metadata()).containsEntry("agent", "codex");
    assertThat(second.agentAvailability().get("claude-code").reason())
        .isEqualTo(
            "claude-code keeps 20% of its usage window for the morning (used 1250 of 1250 tokens;"
                + " resets "
                + reset.plus(Duration.ofHours(2))
                + ")");
    time.runUntil(reset.plus(Duration.ofHours(2)));
    assertThat(second.agentAvailability().get("claude-code").available()).isTrue();
  }

  @Test
  void aUsageLimitWithoutAResetParksTheOnlyAgentForHalfAnHourAndTheTaskWaits() {
    FakeAgent claude =
        agent("claude-code").session(FakeTurn.builder().usageLimit("rate limited")).build();
    OrchestrationConfig config = config().maxConcurrent(1).build();
    AgentCoordinator coordinator = build(coordinator(config, claude));
    Task task = enqueue("Task one", "claude-code");

    ManualCycle cycle = cycle(config).runOn(coordinator);

    assertThat(events.all(CoordinatorEvent.AgentParked.class))
        .singleElement()
        .satisfies(p -> assertThat(p.until()).isEqualTo(ONE_AM.plus(Duration.ofMinutes(30))));
    assertThat(events.all(CoordinatorEvent.NothingToDo.class))
        .singleElement()
        .satisfies(n -> assertThat(n.reason()).startsWith("no allowed agent is available"));
    assertThat(now(task).status()).isEqualTo(TaskStatus.PENDING);
    assertThat(now(task).attempts()).isZero();
    assertThat(claude.sessions()).as("the parked agent is not tried again").hasSize(1);
    assertThat(cycle.notes()).hasSize(2).first().isEqualTo("1 task run");
    assertThat(cycle.notes().get(1)).startsWith("no more started: no allowed agent is available");
  }

  @Test
  void anAttemptWhoseAgentNeverStartedLeavesNoEmptyBranchBehind() {
    FakeAgent claude =
        agent("claude-code")
            .failToOpen(new AgentException("claude-code: the agent could not start"))
            .build();
    OrchestrationConfig config = config().maxConcurrent(1).maxAttempts(1).build();
    AgentCoordinator coordinator = build(coordinator(config, claude));
    Task task = enqueue("Task one", "claude-code");

    cycle(config).runOn(coordinator);

    assertThat(now(task).status()).isEqualTo(TaskStatus.PENDING);
    assertThat(now(task).metadata()).containsKey("branch");
    assertThat(repo.git("branch", "--list", "overnight/*")).isEmpty();
    assertThat(repo.git("worktree", "list", "--porcelain").lines())
        .filteredOn(l -> l.startsWith("worktree "))
        .hasSize(1);
  }

  @Test
  void anAgentThatFailsToStartGivesItsTaskBackUncountedAndIsParkedForTheNightAfterThreeTries() {
    FakeAgent claude =
        agent("claude-code")
            .failToOpen(
                new AgentException(
                        "claude-code failed session/new: Internal error (JSON-RPC error -32603)")
                    .withAgentOutput("Invalid API key"))
            .build();
    OrchestrationConfig config = config().maxConcurrent(1).maxAttempts(2).build();
    AgentCoordinator coordinator = build(coordinator(config, claude));
    Task task = enqueue("Task one", "claude-code");

    ManualCycle cycle = cycle(config).runOn(coordinator);

    assertThat(claude.requests()).as("tried three times in a row, then left alone").hasSize(3);
    assertThat(events.all(CoordinatorEvent.TaskEnded.class))
        .hasSize(3)
        .allSatisfy(
            e -> {
              assertThat(e.outcome()).isEqualTo(AttemptOutcome.RELEASED);
              assertThat(e.reason()).contains("JSON-RPC error -32603", "Invalid API key");
            });
    Task after = now(task);
    assertThat(after.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(after.attempts()).as("the agent's failure is not the task's").isZero();
    assertThat(after.metadata().get("agent_error"))
        .contains("JSON-RPC error -32603", "Invalid API key");
    Instant nightEnd = ONE_AM.plus(Duration.ofHours(12));
    assertThat(events.all(CoordinatorEvent.AgentParked.class))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.until()).isEqualTo(nightEnd);
              assertThat(p.reason())
                  .startsWith("failed to start 3 times in a row: ")
                  .contains("Invalid API key");
            });
    assertThat(cycle.notes().get(1))
        .startsWith("no more started: no allowed agent is available: claude-code failed to start")
        .contains("Invalid API key", "parked until " + nightEnd)
        .doesNotContain("{", "=");
    assertThat(repo.git("branch", "--list", "overnight/*")).isEmpty();

    cycle(config).runOn(coordinator);
    assertThat(claude.requests()).as("still parked in the next cycle of the night").hasSize(3);
    time.runUntil(nightEnd);
    assertThat(coordinator.agentAvailability().get("claude-code").available()).isTrue();
  }

  @Test
  void startFailuresCountOnlyInARowAndTheParkingEndsWithTheWindow() {
    FakeAgent claude =
        agent("claude-code")
            .failToOpen(new AgentException("claude-code exited with code 1 while starting"))
            .session(works("ONE.md"))
            .failToOpen(new AgentException("claude-code exited with code 1 while starting"))
            .build();
    OrchestrationConfig config =
        config()
            .maxConcurrent(1)
            .limits(new Limits(SpendingLimit.unbounded(), SpendingLimit.unbounded(), 3600, 30, 2))
            .schedule(
                new dev.overnight.api.config.Schedule(
                    "0 * * * *",
                    Optional.of(java.time.LocalTime.of(23, 0)),
                    Optional.of(java.time.LocalTime.of(6, 0)),
                    0,
                    dev.overnight.api.config.MissedRunPolicy.SKIP,
                    Optional.of(java.time.ZoneOffset.UTC)))
            .build();
    AgentCoordinator coordinator = build(coordinator(config, claude));
    Task first = enqueue("Task one", "claude-code");
    Task second = enqueue("Task two", "claude-code");

    cycle(config).runOn(coordinator);

    assertThat(events.all(CoordinatorEvent.TaskEnded.class))
        .extracting(CoordinatorEvent.TaskEnded::outcome)
        .containsExactly(
            AttemptOutcome.RELEASED,
            AttemptOutcome.COMPLETED,
            AttemptOutcome.RELEASED,
            AttemptOutcome.RELEASED);
    assertThat(List.of(now(first).status(), now(second).status()))
        .containsExactlyInAnyOrder(TaskStatus.COMPLETED, TaskStatus.PENDING);
    assertThat(claude.requests())
        .as("a start between two failures begins the count again")
        .hasSize(4);
    assertThat(events.all(CoordinatorEvent.AgentParked.class))
        .singleElement()
        .satisfies(p -> assertThat(p.until()).isEqualTo(Instant.parse("2026-11-25T06:00:00Z")));
  }

  /** A decided task of {@code path} about {@code file}, as the engine would enqueue it. */
  private Task enqueueDecided(String title, DecisionPath path, String file) {
    Map<String, String> metadata = new java.util.LinkedHashMap<>();
    dev.overnight.api.queue.TaskFacts.DECISION_PATH.put(metadata, path.key());
    dev.overnight.api.queue.TaskFacts.TARGET_FILE.put(metadata, file);
    return queue
        .enqueue(TaskSpec.builder("Do this: " + title).title(title).metadata(metadata).build())
        .task();
  }

  @Test
  void aTaskThatEndsItsTurnWithoutAChangeIsCompletedWithNoChangeJudgedFromTheEvidence() {
    FakeAgent agent =
        agent("claude-code")
            .session(
                FakeTurn.builder()
                    .askPermission("call_1", "Delete the hosts file", ToolKind.DELETE, "/etc/hosts")
                    .toolCall("call_2", "Read App", ToolKind.READ, "src/App.java")
                    .message("All done, everything looks fine.")
                    .endTurn(TURN_USAGE))
            .session(works("NOTES.md"))
            .build();
    OrchestrationConfig config = config().maxConcurrent(1).build();
    AgentCoordinator coordinator = build(coordinator(config, agent));
    Task idle = enqueue("Tidy App", "claude-code");
    Task writes = enqueue("Write notes", "claude-code");

    cycle(config).runOn(coordinator);

    assertThat(events.all(CoordinatorEvent.TaskEnded.class))
        .extracting(e -> e.task().title() + " " + e.outcome())
        .containsExactly("Tidy App completed_no_change", "Write notes completed");
    assertThat(now(idle).status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(now(idle).metadata())
        .containsEntry(
            "no_change",
            "the branch changes nothing after 1 turn, 1 tool call (0 edits), 1 permission request"
                + " refused")
        .containsEntry("turns", "1")
        .containsEntry("tool_calls", "1")
        .containsEntry("permissions_refused", "1")
        .containsEntry("files_changed", "0");
    assertThat(now(writes).metadata())
        .doesNotContainKey("no_change")
        .containsEntry("files_changed", "1")
        .containsEntry("permissions_refused", "0");
    assertThat(coordinator.metrics().tasksCompleted()).isEqualTo(2);
  }

  @Test
  void aCompletedTaskRecordsItsDiffItsFinalMessageAndFlagsATestsTaskThatWroteNoTest() {
    FakeAgent agent =
        agent("claude-code")
            .session(
                FakeTurn.builder()
                    .message("Looking at App first.")
                    .toolCall(
                        "call_1", "Edit App", dev.overnight.api.agent.ToolKind.EDIT, "src/App.java")
                    .write("src/App.java", "class App {\n  int x;\n}\n")
                    .write("docs/NOTES.md", "Read me.\n")
                    .message("I changed App instead of testing it.")
                    .endTurn(TURN_USAGE))
            .build();
    OrchestrationConfig config = config().maxConcurrent(1).build();
    AgentCoordinator coordinator = build(coordinator(config, agent));
    Task task = enqueueDecided("Add tests for App", DecisionPath.TESTS, "src/App.java");

    cycle(config).runOn(coordinator);

    Task done = now(task);
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.metadata())
        .containsEntry("files_changed", "2")
        .containsEntry("insertions", "4")
        .containsEntry("deletions", "1")
        .containsEntry("changed_files", "docs/NOTES.md\nsrc/App.java")
        .containsEntry("final_message", "I changed App instead of testing it.")
        .containsEntry("kind_mismatch", "a tests task that changed no test file");
  }

  @Test
  void aTestsTaskThatWroteATestIsNotFlaggedAndAnEmptyDiffIs() {
    FakeAgent agent =
        agent("claude-code")
            .session(works("src/test/java/AppTest.java"))
            .session(FakeTurn.builder().message("Nothing to do here.").endTurn(TURN_USAGE))
            .build();
    OrchestrationConfig config = config().maxConcurrent(1).build();
    AgentCoordinator coordinator = build(coordinator(config, agent));
    Task tested = enqueueDecided("Add tests for App", DecisionPath.TESTS, "src/App.java");

    cycle(config).runOn(coordinator);
    Task empty = enqueue("Tidy the parser", null);
    cycle(config).runOn(coordinator);

    assertThat(now(tested).metadata())
        .containsEntry("changed_files", "src/test/java/AppTest.java")
        .doesNotContainKey("kind_mismatch");
    assertThat(now(empty).metadata())
        .containsEntry("files_changed", "0")
        .containsEntry("kind_mismatch", "the branch changes nothing")
        .containsEntry("final_message", "Nothing to do here.");
    assertThat(repo.git("branch", "--list", "overnight/*", "--format=%(refname:short)"))
        .as("a task that committed nothing leaves no branch")
        .isEqualTo(now(tested).metadata().get("branch"));
  }

  @Test
  void aFailedGateLeavesItsOutputTailAndWhatTheBranchChangedOnTheTask() {
    FakeAgent agent = agent("claude-code").session(works("NOTES.md")).build();
    OrchestrationConfig config =
        config()
            .maxConcurrent(1)
            .qualityGate(
                new dev.overnight.api.config.QualityGate(
                    Optional.of("echo compiling; echo 'NOTES.md:1: error: not a sentence'; exit 2"),
                    60,
                    false,
                    0))
            .build();
    AgentCoordinator coordinator = build(coordinator(config, agent));
    Task task = enqueue("Write notes", null);

    cycle(config).runOn(coordinator);

    Task failed = now(task);
    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.metadata())
        .containsEntry("gate_output", "compiling\nNOTES.md:1: error: not a sentence")
        .containsEntry("files_changed", "1")
        .containsEntry("changed_files", "NOTES.md")
        .containsEntry("final_message", "Wrote NOTES.md.");
  }

  @Test
  void anAttemptThatFailsAfterCommittingKeepsItsBranch() {
    FakeAgent claude =
        agent("claude-code")
            .session(
                FakeTurn.builder()
                    .write("HALF-DONE.md", "Work in progress.\n")
                    .crash("the agent exited with code 4"))
            .build();
    OrchestrationConfig config = config().maxConcurrent(1).maxAttempts(1).build();
    AgentCoordinator coordinator = build(coordinator(config, claude));
    Task task = enqueue("Task one", "claude-code");

    cycle(config).runOn(coordinator);

    String branch = now(task).metadata().get("branch");
    assertThat(repo.git("branch", "--list", "overnight/*", "--format=%(refname:short)"))
        .isEqualTo(branch);
    assertThat(repo.subjects(branch)).containsExactly("Task one (work in progress)");
  }

  @Test
  void aFullDiskForTheWorktreeGivesTheTaskBackUncountedAndStartsNoOther() {
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 2 * 1024 * 1024)) {
      Path fullState = disk.root().resolve("state");
      FakeAgent claude = agent("claude-code").session(works("NOTES.md")).build();
      OrchestrationConfig config =
          config().stateDir(ConfigValue.of(fullState.toString())).maxConcurrent(1).build();
      AgentCoordinator coordinator = build(coordinator(config, claude).stateDir(fullState));
      Task first = enqueue("Task one", "claude-code");
      Task second = enqueue("Task two", "claude-code");
      disk.fill();

      ManualCycle cycle = cycle(config).runOn(coordinator);

      assertThat(claude.requests()).as("no agent started").isEmpty();
      assertThat(events.all(CoordinatorEvent.TaskEnded.class))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.outcome()).isEqualTo(AttemptOutcome.RELEASED);
                assertThat(e.reason()).startsWith("waiting for disk: ").contains("is full");
              });
      assertThat(now(first).status()).isEqualTo(TaskStatus.PENDING);
      assertThat(now(first).attempts()).as("a full disk is not the task's fault").isZero();
      assertThat(queueEvents(second)).containsExactly(TaskEventType.ENQUEUED);
      assertThat(cycle.notes().get(1)).startsWith("no more started: waiting for disk: ");

      disk.free();
      cycle(config).runOn(coordinator);
      assertThat(now(first).status()).isEqualTo(TaskStatus.COMPLETED);
      assertThat(now(second).status()).isEqualTo(TaskStatus.COMPLETED);
    }
  }

  @Test
  void anAgentThatNeedsALoginIsParkedAndItsTaskReleasedUntouched() {
    FakeAgent claude =
        agent("claude-code")
            .authenticationRequired("claude-code needs ANTHROPIC_API_KEY or a login")
            .build();
    OrchestrationConfig config = config().maxConcurrent(1).build();
    AgentCoordinator coordinator = build(coordinator(config, claude));
    Task task = enqueue("Task one", "claude-code");

    cycle(config).runOn(coordinator);

    assertThat(events.all(CoordinatorEvent.TaskStarted.class)).isEmpty();
    assertThat(events.all(CoordinatorEvent.TaskEnded.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(AttemptOutcome.RELEASED);
              assertThat(e.reason())
                  .isEqualTo(
                      "claude-code needs a login: claude-code needs ANTHROPIC_API_KEY or a login");
            });
    assertThat(events.all(CoordinatorEvent.AgentParked.class))
        .singleElement()
        .satisfies(p -> assertThat(p.until()).isEqualTo(ONE_AM.plus(Duration.ofHours(12))));
    assertThat(now(task).status()).isEqualTo(TaskStatus.PENDING);
    assertThat(now(task).attempts()).isZero();
    assertThat(claude.requests()).hasSize(1);
  }

  @Test
  void anUnavailableAgentLeavesTheQueueUntouchedAndSaysWhy() {
    FakeAgent codex =
        agent("codex").unavailable("command not found: codex-acp", "npm i -g codex-acp").build();
    OrchestrationConfig config = config().build();
    AgentCoordinator coordinator = build(coordinator(config, codex));
    Task task = enqueue("Task one", "codex");

    ManualCycle cycle = cycle(config).runOn(coordinator);

    assertThat(events.all(CoordinatorEvent.NothingToDo.class))
        .singleElement()
        .satisfies(
            n ->
                assertThat(n.reason())
                    .startsWith("no allowed agent is available")
                    .contains("command not found: codex-acp"));
    assertThat(queueEvents(task)).containsExactly(TaskEventType.ENQUEUED);
    assertThat(codex.requests()).isEmpty();
    assertThat(cycle.notes()).hasSize(2).first().isEqualTo("0 tasks run");
    assertThat(cycle.notes().get(1)).startsWith("no more started: no allowed agent is available");
  }

  @Test
  void aCycleThatStartsNothingSaysWhyForItsWakesReceipt() {
    SpendingLimit tokens =
        new SpendingLimit(Optional.of(1000L), Optional.empty(), Optional.empty());
    OrchestrationConfig config = config().maxConcurrent(1).limits(nightLimit(tokens)).build();
    FakeAgent worker = agent("worker").session(works("DONE.md")).build();
    AgentCoordinator coordinator = build(coordinator(config, worker));

    ManualCycle empty = cycle(config).runOn(coordinator);
    assertThat(empty.nothingStarted())
        .contains(
            WakeReceipt.skipped(
                WakeReason.NO_WORK, "the queue is empty and no new work was found"));

    enqueue("First", "worker");
    enqueue("Second", "worker");
    ManualCycle worked = cycle(config).runOn(coordinator);
    assertThat(worked.notes()).first().isEqualTo("1 task run");
    assertThat(worked.nothingStarted()).as("a cycle that started work fired").isEmpty();

    ManualCycle spent = cycle(config).runOn(coordinator);
    assertThat(spent.nothingStarted())
        .contains(
            WakeReceipt.skipped(
                WakeReason.NIGHT_LIMIT_REACHED, "night limit reached (1250 tokens of 1000)"));

    FakeAgent codex =
        agent("codex").unavailable("command not found: codex-acp", "npm i -g codex-acp").build();
    AgentCoordinator noAgent = build(coordinator(config, codex));
    ManualCycle parked = cycle(config).runOn(noAgent);
    assertThat(parked.nothingStarted().orElseThrow().reason()).contains(WakeReason.AGENT_PARKED);
    assertThat(parked.nothingStarted().orElseThrow().detail())
        .startsWith("no allowed agent is available")
        .contains("command not found: codex-acp");
  }

  @Test
  void theNightsTokenLimitWarnsThenStopsNewTasksUntilTheNextNight() {
    SpendingLimit tokens =
        new SpendingLimit(Optional.of(3000L), Optional.empty(), Optional.empty());
    OrchestrationConfig config = config().maxConcurrent(1).limits(nightLimit(tokens)).build();
    FakeAgent worker = agent("worker").session(works("DONE.md")).build();
    AgentCoordinator coordinator = build(coordinator(config, worker));
    List<Task> tasks =
        List.of(
            enqueue("First", "worker"),
            enqueue("Second", "worker"),
            enqueue("Third", "worker"),
            enqueue("Fourth", "worker"));

    ManualCycle first = cycle(config).runOn(coordinator);

    // 2,500 tokens after the second task: a warning; 3,750 after the third: no fourth.
    assertThat(events.all(CoordinatorEvent.LimitWarning.class))
        .extracting(CoordinatorEvent.LimitWarning::message)
        .containsExactly(
            "over 80% of the night's spending limit used",
            "night limit reached (3750 tokens of 3000): no new task starts");
    assertThat(tasks)
        .extracting(t -> now(t).status())
        .containsExactly(
            TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.PENDING);
    assertThat(now(tasks.get(3)).attempts()).isZero();
    assertThat(first.notes())
        .containsExactly(
            "3 tasks run", "no more started: night limit reached (3750 tokens of 3000)");

    // Later the same night: still nothing. The next night counts afresh.
    time.advance(Duration.ofHours(1));
    assertThat(cycle(config).runOn(coordinator).notes())
        .containsExactly(
            "0 tasks run", "no more started: night limit reached (3750 tokens of 3000)");
    time.advance(Duration.ofHours(7));
    assertThat(cycle(config).runOn(coordinator).notes()).containsExactly("1 task run");
    assertThat(now(tasks.get(3)).status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(worker.sessions()).hasSize(4);
  }

  @Test
  void theNightsCostLimitStopsNewTasksToo() {
    SpendingLimit cost = new SpendingLimit(Optional.empty(), Optional.of(0.025), Optional.empty());
    OrchestrationConfig config = config().maxConcurrent(1).limits(nightLimit(cost)).build();
    FakeAgent worker = agent("worker").session(works("DONE.md")).build();
    AgentCoordinator coordinator = build(coordinator(config, worker));
    List<Task> tasks =
        List.of(
            enqueue("First", "worker"),
            enqueue("Second", "worker"),
            enqueue("Third", "worker"),
            enqueue("Fourth", "worker"));

    ManualCycle cycle = cycle(config).runOn(coordinator);

    assertThat(tasks)
        .extracting(t -> now(t).status())
        .containsExactly(
            TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.PENDING);
    assertThat(cycle.notes())
        .containsExactly("3 tasks run", "no more started: night limit reached ($0.03 of $0.025)");
  }

  @Test
  void noMoreThanMaxConcurrentTasksRunAtOnce() {
    FakeAgent worker = agent("worker").session(FakeTurn.hang()).build();
    OrchestrationConfig config = config().maxConcurrent(2).build();
    AgentCoordinator coordinator = build(coordinator(config, worker));
    List<Task> tasks =
        List.of(
            enqueue("First", "worker"), enqueue("Second", "worker"), enqueue("Third", "worker"));

    ManualCycle cycle = cycle(config).start(coordinator);
    worker.awaitTurns(2, SAFETY_NET);

    assertThat(worker.openSessions()).isEqualTo(2);
    assertThat(queue.list(TaskFilter.withStatus(TaskStatus.IN_PROGRESS)).items())
        .extracting(Task::title)
        .containsExactlyInAnyOrder("First", "Second");
    assertThat(now(tasks.get(2)).status()).isEqualTo(TaskStatus.PENDING);
    assertThat(coordinator.metrics().tasksExecuted()).isEqualTo(2);

    // One ends: the third takes its place.
    worker.sessions().get(0).finishTurn(new AgentOutcome(StopReason.END_TURN, TURN_USAGE));
    worker.awaitTurns(3, SAFETY_NET);
    assertThat(now(tasks.get(2)).status()).isEqualTo(TaskStatus.IN_PROGRESS);
    worker.sessions().get(1).finishTurn(new AgentOutcome(StopReason.END_TURN, TURN_USAGE));
    worker.sessions().get(2).finishTurn(new AgentOutcome(StopReason.END_TURN, TURN_USAGE));
    cycle.awaitEnd();

    assertThat(tasks).extracting(t -> now(t).status()).containsOnly(TaskStatus.COMPLETED);
    assertThat(worker.peakOpenSessions()).isEqualTo(2);
    assertThat(cycle.notes()).containsExactly("3 tasks run");
  }

  @Test
  void aStoppingSchedulerReleasesTheRunningTaskWithoutCountingTheAttemptAndStartsNoOther() {
    FakeAgent worker = agent("worker").session(FakeTurn.hang()).build();
    List<CycleRecord> reported = new CopyOnWriteArrayList<>();
    OrchestrationConfig config = config().maxConcurrent(1).build();
    AgentCoordinator coordinator =
        build(coordinator(config, worker).reportHook(recordingInto(reported)));
    Task first = enqueue("First", "worker");
    Task second = enqueue("Second", "worker");

    ManualCycle cycle = cycle(config).start(coordinator);
    worker.awaitTurns(1, SAFETY_NET);
    cycle.cancel();
    cycle.awaitEnd();

    assertThat(events.all(CoordinatorEvent.TaskEnded.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(AttemptOutcome.RELEASED);
              assertThat(e.reason()).isEqualTo("Overnight is stopping");
            });
    assertThat(now(first).status()).isEqualTo(TaskStatus.PENDING);
    assertThat(now(first).attempts()).isZero();
    assertThat(queueEvents(second)).containsExactly(TaskEventType.ENQUEUED);
    assertThat(worker.sessions())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.cancels()).containsExactly(ONE_AM);
              assertThat(s.closedAt()).isPresent();
            });
    assertThat(reported)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.outcome()).isEqualTo(CycleOutcome.CANCELLED);
              assertThat(r.notes()).containsExactly("Overnight stopped", "1 task run");
            });
    assertThat(events.all(CoordinatorEvent.CycleEnded.class))
        .singleElement()
        .satisfies(
            e -> assertThat(e.report()).contains(state.resolve("reports/latest.md").toString()));
    assertThat(coordinator.metrics().tasksReleased()).isEqualTo(1);
  }

  @Test
  void theEventsAndCountersOfACycleSayWhatHappened() {
    FakeAgent agent =
        agent("claude-code")
            .session(works("DONE.md"))
            .session(
                FakeTurn.builder()
                    .message("I will not do that.")
                    .end(StopReason.REFUSAL, new Usage(10, 5, 0, 0, Optional.empty())))
            .build();
    List<CycleRecord> reported = new CopyOnWriteArrayList<>();
    OrchestrationConfig config = config().maxConcurrent(1).build();
    AgentCoordinator coordinator =
        build(coordinator(config, agent).reportHook(recordingInto(reported)));
    Task good = enqueue("Good", "claude-code");
    Task refused =
        queue
            .enqueue(
                TaskSpec.builder("Do this: Refused")
                    .title("Refused")
                    .agentId("claude-code")
                    .maxAttempts(1)
                    .build())
            .task();

    ManualCycle cycle = cycle(config).runOn(coordinator);

    assertThat(events.kinds())
        .containsExactly(
            "CycleBegan",
            "TaskStarted",
            "TaskEnded",
            "TaskStarted",
            "TaskEnded",
            "NothingToDo",
            "CycleEnded");
    CoordinatorEvent.CycleBegan began = events.all(CoordinatorEvent.CycleBegan.class).get(0);
    assertThat(began.cycleId()).isEqualTo(cycle.cycleId());
    assertThat(began.deadline()).isEqualTo(cycle.deadline());
    assertThat(events.all(CoordinatorEvent.TaskEnded.class))
        .extracting(e -> e.task().id() + " " + e.outcome() + " " + e.reason())
        .containsExactly(
            good.id() + " completed ", refused.id() + " failed the agent stopped: refusal");
    assertThat(events.all(CoordinatorEvent.CycleEnded.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.cycleId()).isEqualTo(cycle.cycleId());
              assertThat(e.tasksRun()).isEqualTo(2);
              assertThat(e.report()).contains(state.resolve("reports/latest.md").toString());
            });
    assertThat(reported)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.cycleId()).isEqualTo(cycle.cycleId());
              assertThat(r.outcome()).isEqualTo(CycleOutcome.COMPLETED);
              assertThat(r.notes()).containsExactly("2 tasks run");
            });
    assertThat(coordinator.metrics())
        .isEqualTo(new CoordinatorMetrics(1, 2, 1, 1, 0, 0, 0, 0, 0, 1265, Optional.of(0.01)));
    assertThat(coordinator.workerId()).isEqualTo("test-worker");
  }

  /** A report hook that keeps each finishing cycle's record, which it must be given. */
  private AgentCoordinator.ReportHook recordingInto(List<CycleRecord> reported) {
    return new AgentCoordinator.ReportHook() {
      @Override
      public Path write(Instant now) {
        throw new AssertionError("the cycle's own record must be given");
      }

      @Override
      public Path write(Instant now, CycleRecord finishing) {
        reported.add(finishing);
        return state.resolve("reports/latest.md");
      }
    };
  }
}
