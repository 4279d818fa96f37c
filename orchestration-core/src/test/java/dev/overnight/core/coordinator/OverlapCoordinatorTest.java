package dev.overnight.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.ConflictSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeSession;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualCycle;
import dev.overnight.fakes.ManualTimeSource;
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
 * Two tasks predicted to touch the same files never run at the same time, on virtual time: a
 * repository whose history makes {@code Cart.java} and {@code CartTest.java} change together, a
 * task on each, and a third on {@code Search.java} that runs beside either.
 */
class OverlapCoordinatorTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");
  private static final AgentOutcome DONE =
      new AgentOutcome(StopReason.END_TURN, new Usage(100, 10, 0, 0, Optional.empty()));

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final InMemoryTaskQueue queue = InMemoryTaskQueue.create(time);
  private Repository repo;
  private AgentCoordinator coordinator;

  @BeforeEach
  void aHistoryWhereTheCartAndItsTestsChangeTogether() {
    repo = Repository.init(dir.resolve("repo"));
    for (int i = 1; i <= 3; i++) {
      repo.commit(
          "Cart change " + i,
          Map.of(
              "src/Cart.java", "class Cart { int v = " + i + "; }\n",
              "test/CartTest.java", "class CartTest { int v = " + i + "; }\n"));
      repo.commit("Search change " + i, Map.of("src/Search.java", "class Search {" + i + "}\n"));
    }
  }

  @AfterEach
  void close() {
    if (coordinator != null) {
      coordinator.close();
    }
  }

  private AgentCoordinator coordinator(ConflictSettings.Overlap overlap, FakeAgent agent) {
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of(repo.dir().toString()))
            .id("test")
            .stateDir(ConfigValue.of(dir.resolve("state").toString()))
            .maxConcurrent(2)
            .conflicts(new ConflictSettings(ConflictSettings.Strategy.REBASE, overlap, 100))
            .build();
    coordinator =
        AgentCoordinator.builder(config)
            .taskQueue(queue)
            .agentProviders(List.of(agent))
            .timeSource(time)
            .stateDir(dir.resolve("state"))
            .workerId("test-worker")
            .decisionEngine(context -> Optional.empty())
            .build();
    return coordinator;
  }

  private Task task(String title, String target) {
    return queue
        .enqueue(
            TaskSpec.builder("Do this: " + title)
                .title(title)
                .agentId("worker")
                .metadata(TaskFacts.TARGET_FILE.key(), target)
                .build())
        .task();
  }

  private Task now(Task task) {
    return queue.get(task.id()).orElseThrow();
  }

  private static FakeSession sessionOf(FakeAgent agent, Task task) {
    TaskId id = task.id();
    return agent.sessions().stream()
        .filter(s -> s.request().taskId().equals(Optional.of(id)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no session for " + task.title()));
  }

  private long count(Task task, TaskEventType type) {
    return queue.events(task.id()).stream().filter(e -> e.type() == type).count();
  }

  /** Blocks until {@code task} has been claimed (a wait, not a timing). */
  private void awaitClaim(Task task) throws InterruptedException {
    java.util.concurrent.Semaphore claimed = new java.util.concurrent.Semaphore(0);
    queue.subscribe(
        e -> {
          if (e.taskId().equals(task.id()) && e.type() == TaskEventType.CLAIMED) {
            claimed.release();
          }
        });
    if (queue.events(task.id()).stream().noneMatch(e -> e.type() == TaskEventType.CLAIMED)) {
      assertThat(
              claimed.tryAcquire(
                  ManualCycle.SAFETY_NET.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
          .as("%s claimed", task.title())
          .isTrue();
    }
  }

  private ManualCycle cycle() {
    return new ManualCycle("cycle-1", time.instant(), time.instant().plusSeconds(3600));
  }

  @Test
  void theSecondOfTwoOverlappingTasksWaitsWhileATaskElsewhereRunsBeside()
      throws InterruptedException {
    FakeAgent worker =
        FakeAgent.builder("worker").timeSource(time).session(FakeTurn.hang()).build();
    AgentCoordinator c = coordinator(ConflictSettings.Overlap.WAIT, worker);
    Task cart = task("Tidy the cart", "src/Cart.java");
    Task cartTests = task("Test the cart", "test/CartTest.java");
    Task search = task("Speed up search", "src/Search.java");
    // When the cart ends, nothing of its tests may have started yet.
    java.util.concurrent.atomic.AtomicReference<Boolean> testsStartedBeforeTheCartEnded =
        new java.util.concurrent.atomic.AtomicReference<>();
    queue.subscribe(
        e -> {
          if (e.taskId().equals(cart.id()) && e.type() == TaskEventType.COMPLETED) {
            testsStartedBeforeTheCartEnded.set(
                worker.sessions().stream()
                    .anyMatch(s -> s.request().taskId().equals(Optional.of(cartTests.id()))));
          }
        });

    ManualCycle cycle = cycle().start(c);
    worker.awaitTurns(2, ManualCycle.SAFETY_NET);
    assertThat(now(cart).status()).isEqualTo(TaskStatus.IN_PROGRESS);
    assertThat(now(search).status()).isEqualTo(TaskStatus.IN_PROGRESS);

    // The search ends first: the cart's tests still wait for the cart.
    sessionOf(worker, search).finishTurn(DONE);
    sessionOf(worker, cart).finishTurn(DONE);
    worker.awaitTurns(3, ManualCycle.SAFETY_NET);
    sessionOf(worker, cartTests).finishTurn(DONE);
    cycle.awaitEnd();

    assertThat(testsStartedBeforeTheCartEnded.get()).isFalse();
    assertThat(List.of(cart, cartTests, search))
        .extracting(t -> now(t).status())
        .containsOnly(TaskStatus.COMPLETED);
    assertThat(TaskFacts.OVERLAPS_TASK.from(now(cartTests))).contains(cart.id().value());
    assertThat(TaskFacts.PREDICTED_FILES.from(now(cartTests)))
        .contains("src/Cart.java\ntest/CartTest.java");
    assertThat(TaskFacts.STACKED_ON.from(now(cartTests))).isEmpty();
    assertThat(now(cartTests).attempts()).as("waiting costs no attempt").isEqualTo(1);
    assertThat(worker.peakOpenSessions()).isEqualTo(2);
  }

  @Test
  void aWaitingTaskIsClaimedOnceAndNeverGivenBackWhileItWaits() throws InterruptedException {
    FakeAgent worker =
        FakeAgent.builder("worker").timeSource(time).session(FakeTurn.hang()).build();
    AgentCoordinator c = coordinator(ConflictSettings.Overlap.WAIT, worker);
    Task cart = task("Tidy the cart", "src/Cart.java");
    Task cartTests = task("Test the cart", "test/CartTest.java");
    Task search = task("Speed up search", "src/Search.java");
    Task searchTests = task("Test search", "src/Search.java");

    ManualCycle cycle = cycle().start(c);
    worker.awaitTurns(2, ManualCycle.SAFETY_NET);
    awaitClaim(cartTests);
    // Held past a lease's length, the waiting tasks' leases are kept alive.
    for (int minute = 0; minute < 7; minute++) {
      time.advance(java.time.Duration.ofMinutes(1));
    }
    assertThat(now(cartTests).leaseExpiresAt())
        .get()
        .satisfies(t -> assertThat(t).isAfter(time.instant()));
    // Each end is a check of the waiting tasks: none of them is given back and claimed again.
    sessionOf(worker, search).finishTurn(DONE);
    worker.awaitTurns(3, ManualCycle.SAFETY_NET);
    sessionOf(worker, searchTests).finishTurn(DONE);
    sessionOf(worker, cart).finishTurn(DONE);
    worker.awaitTurns(4, ManualCycle.SAFETY_NET);
    sessionOf(worker, cartTests).finishTurn(DONE);
    cycle.awaitEnd();

    for (Task t : List.of(cart, cartTests, search, searchTests)) {
      assertThat(queue.events(t.id()))
          .as("the history of %s", t.title())
          .extracting(e -> e.type())
          .containsOnlyOnce(TaskEventType.CLAIMED, TaskEventType.COMPLETED)
          .doesNotContain(TaskEventType.RELEASED);
    }
    assertThat(count(cartTests, TaskEventType.ANNOTATED))
        .as("what it waited for recorded once, beside what every run records")
        .isEqualTo(count(cart, TaskEventType.ANNOTATED) + 1);
    assertThat(worker.peakOpenSessions()).isEqualTo(2);
  }

  @Test
  void aTaskStillWaitingWhenTheCycleStopsIsGivenBackOnceWithWhatItWaitsFor()
      throws InterruptedException {
    FakeAgent worker =
        FakeAgent.builder("worker").timeSource(time).session(FakeTurn.hang()).build();
    AgentCoordinator c = coordinator(ConflictSettings.Overlap.WAIT, worker);
    Task cart = task("Tidy the cart", "src/Cart.java");
    Task cartTests = task("Test the cart", "test/CartTest.java");

    ManualCycle cycle = cycle().start(c);
    worker.awaitTurns(1, ManualCycle.SAFETY_NET);
    awaitClaim(cartTests);
    cycle.cancel();
    cycle.awaitEnd();

    Task waited = now(cartTests);
    assertThat(waited.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(waited.attempts()).as("waiting costs no attempt").isZero();
    assertThat(count(cartTests, TaskEventType.CLAIMED)).isEqualTo(1);
    assertThat(queue.events(cartTests.id()))
        .filteredOn(e -> e.type() == TaskEventType.RELEASED)
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).contains("waits for task " + cart.id().shortId()));
    assertThat(worker.sessions()).as("its agent never started").hasSize(1);
  }

  @Test
  void withStackTheSecondStartsFromTheFirstsBranchOnceItHasFinished() {
    FakeAgent worker =
        FakeAgent.builder("worker")
            .timeSource(time)
            .session(FakeTurn.builder().write("src/Cart.java", "class Cart { int tidy; }\n").hang())
            .session(
                FakeTurn.builder()
                    .write("test/CartTest.java", "class CartTest { int tidy; }\n")
                    .endTurn())
            .build();
    AgentCoordinator c = coordinator(ConflictSettings.Overlap.STACK, worker);
    Task cart = task("Tidy the cart", "src/Cart.java");
    Task cartTests = task("Test the cart", "test/CartTest.java");

    ManualCycle cycle = cycle().start(c);
    worker.awaitTurns(1, ManualCycle.SAFETY_NET);
    String cartBranch = TaskFacts.BRANCH.from(now(cart)).orElseThrow();
    sessionOf(worker, cart).finishTurn(DONE);
    cycle.awaitEnd();

    Task stacked = now(cartTests);
    assertThat(stacked.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(TaskFacts.STACKED_ON.from(stacked)).contains(cartBranch);
    String branch = TaskFacts.BRANCH.from(stacked).orElseThrow();
    assertThat(repo.subjects(branch)).contains("Tidy the cart", "Test the cart");
    assertThat(repo.show(branch, "src/Cart.java")).contains("int tidy;");
    assertThat(TaskFacts.COMMITS.from(stacked)).as("its own commit only").contains(1L);
  }

  @Test
  void withStackATaskWhoseFirstFailedStartsFromTheBase() {
    FakeAgent worker =
        FakeAgent.builder("worker")
            .timeSource(time)
            .session(
                FakeTurn.builder().write("src/Cart.java", "class Cart { int broken; }\n").hang())
            .session(
                FakeTurn.builder()
                    .write("test/CartTest.java", "class CartTest { int tidy; }\n")
                    .endTurn())
            .build();
    AgentCoordinator c = coordinator(ConflictSettings.Overlap.STACK, worker);
    Task cart =
        queue
            .enqueue(
                TaskSpec.builder("Do this: Tidy the cart")
                    .title("Tidy the cart")
                    .agentId("worker")
                    .maxAttempts(1)
                    .metadata(TaskFacts.TARGET_FILE.key(), "src/Cart.java")
                    .build())
            .task();
    Task cartTests = task("Test the cart", "test/CartTest.java");

    ManualCycle cycle = cycle().start(c);
    worker.awaitTurns(1, ManualCycle.SAFETY_NET);
    String cartBranch = TaskFacts.BRANCH.from(now(cart)).orElseThrow();
    sessionOf(worker, cart).failTurn(new dev.overnight.api.agent.AgentException("it broke"));
    cycle.awaitEnd();

    assertThat(now(cart).status()).isEqualTo(TaskStatus.FAILED);
    Task unstacked = now(cartTests);
    assertThat(unstacked.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(TaskFacts.STACKED_ON.from(unstacked)).contains(cartBranch);
    assertThat(TaskFacts.STACK_DROPPED.from(unstacked))
        .contains(
            "started from the base, not stacked on "
                + cartBranch
                + ": task "
                + cart.id().shortId()
                + " failed");
    String branch = TaskFacts.BRANCH.from(unstacked).orElseThrow();
    assertThat(repo.subjects(branch)).contains("Test the cart").doesNotContain("Tidy the cart");
    assertThat(repo.show(branch, "src/Cart.java")).doesNotContain("broken");
    assertThat(
            new dev.overnight.core.report.MorningReport(
                    "test",
                    ONE_AM,
                    time.instant(),
                    java.time.ZoneOffset.UTC,
                    List.of(),
                    List.of(now(cart), unstacked))
                .markdown())
        .contains("started from the base, not stacked on " + cartBranch);
  }
}
