package dev.overnight.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.overnight.api.queue.ClaimFilter;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.IllegalTransitionException;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskNotFoundException;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.queue.TaskTransitions;
import dev.overnight.fakes.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link TaskQueue} must keep, as one JUnit 5 suite: extend it, implement {@link
 * #createQueue}, and the store runs every check the in-memory and SQLite queues pass.
 *
 * <p>It covers enqueue and deduplication (live tasks only), claim order (priority, then tasks that
 * have run before, then oldest), atomic claims, leases and heartbeats, every legal and every
 * illegal status move (an illegal one throws {@link IllegalTransitionException} and changes
 * nothing), release without counting the attempt, max attempts, lease recovery, listing and paging,
 * the event history, purge, listeners, claims by a worker's labels, and claims and enqueues from
 * several threads at once.
 *
 * <p>Time comes from a {@link ManualTimeSource} handed to {@link #createQueue}: the store must read
 * time only from it, so that leases run out when a test moves the clock.
 *
 * @since 0.1.0
 */
public abstract class TaskQueueCompatibilityKit {

  /** Where every test's clock starts. */
  protected static final Instant START = Instant.parse("2026-11-25T22:00:00Z");

  /** The default max attempts the kit asks {@link #createQueue} for. */
  protected static final int DEFAULT_MAX_ATTEMPTS = 3;

  private static final Duration LEASE = Duration.ofMinutes(5);

  /** The clock of the queue under test. */
  protected ManualTimeSource clock;

  /** The queue under test. */
  protected TaskQueue queue;

  private final List<TaskQueue> extraQueues = new ArrayList<>();

  /**
   * Creates an empty queue that reads time only from {@code clock} and gives tasks whose spec names
   * no max attempts {@code defaultMaxAttempts}. Called once per test, more for table tests; each
   * call must return a fresh, empty queue.
   */
  protected abstract TaskQueue createQueue(ManualTimeSource clock, int defaultMaxAttempts);

  @BeforeEach
  void openQueue() {
    clock = new ManualTimeSource(START);
    queue = createQueue(clock, DEFAULT_MAX_ATTEMPTS);
  }

  @AfterEach
  void closeQueues() {
    queue.close();
    extraQueues.forEach(TaskQueue::close);
  }

  /**
   * Enqueueing: every spec becomes a pending task once; the same live work is never queued twice.
   */
  @Nested
  class Enqueue {

    @Test
    void enqueueAddsAPendingTaskWithEverythingTheSpecSaid() {
      TaskSpec spec =
          TaskSpec.builder("Add tests for Parser\nCover the error paths.")
              .agentId("codex")
              .priority(TaskPriority.HIGH)
              .metadata("path", "tests")
              .build();

      EnqueueResult result = queue.enqueue(spec);

      assertThat(result.created()).isTrue();
      Task task = result.task();
      assertThat(task.title()).isEqualTo("Add tests for Parser");
      assertThat(task.prompt()).isEqualTo(spec.prompt());
      assertThat(task.agentId()).contains("codex");
      assertThat(task.priority()).isEqualTo(TaskPriority.HIGH);
      assertThat(task.opHash()).isEqualTo(spec.opHash());
      assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
      assertThat(task.attempts()).isZero();
      assertThat(task.maxAttempts()).isEqualTo(DEFAULT_MAX_ATTEMPTS);
      assertThat(task.workerId()).isEmpty();
      assertThat(task.leaseExpiresAt()).isEmpty();
      assertThat(task.createdAt()).isEqualTo(START);
      assertThat(task.updatedAt()).isEqualTo(START);
      assertThat(task.startedAt()).isEmpty();
      assertThat(task.finishedAt()).isEmpty();
      assertThat(task.lastError()).isEmpty();
      assertThat(task.metadata()).containsExactly(Map.entry("path", "tests"));
      assertThat(queue.get(task.id())).contains(task);
    }

    @Test
    void aSpecsMaxAttemptsOverridesTheQueueDefault() {
      Task task = enqueue(TaskSpec.builder("once").maxAttempts(1).build());
      assertThat(task.maxAttempts()).isEqualTo(1);
    }

    @Test
    void enqueueRecordsWhoWhenAndWhy() {
      Task task = enqueue("work");
      assertThat(queue.events(task.id()))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.type()).isEqualTo(TaskEventType.ENQUEUED);
                assertThat(e.taskId()).isEqualTo(task.id());
                assertThat(e.at()).isEqualTo(START);
                assertThat(e.actor()).isEqualTo(TaskTransitions.API_ACTOR);
                assertThat(e.from()).isEmpty();
                assertThat(e.to()).isEqualTo(TaskStatus.PENDING);
                assertThat(e.reason()).contains("MEDIUM").contains("3 attempts");
              });
    }

    @Test
    void aPendingDuplicateReturnsTheExistingTaskAndAddsNothing() {
      Task first = enqueue("same work");
      clock.advance(Duration.ofSeconds(1));

      EnqueueResult again = queue.enqueue(TaskSpec.builder("same work").build());

      assertThat(again.created()).isFalse();
      assertThat(again.task()).isEqualTo(first);
      assertThat(queue.list(TaskFilter.all()).total()).isEqualTo(1);
      assertThat(queue.events(first.id())).hasSize(1);
    }

    @Test
    void anInProgressDuplicateReturnsTheRunningTask() {
      Task first = enqueue("same work");
      Task claimed = claim("w1");

      EnqueueResult again = queue.enqueue(TaskSpec.builder("same work").build());

      assertThat(again.created()).isFalse();
      assertThat(again.task().id()).isEqualTo(first.id());
      assertThat(again.task()).isEqualTo(claimed);
    }

    @Test
    void theSamePromptForAnotherAgentIsOtherWork() {
      Task a = enqueue(TaskSpec.builder("same words").agentId("codex").build());
      Task b = enqueue(TaskSpec.builder("same words").agentId("claude-code").build());
      assertThat(a.id()).isNotEqualTo(b.id());
    }

    @Test
    void finishedTasksNeverBlockTheSameWorkFromBeingQueuedAgain() {
      Task completed = enqueue("done once");
      claim("w1");
      queue.complete(completed.id(), "w1", "done", Map.of());
      Task failed = enqueue(TaskSpec.builder("failed once").maxAttempts(1).build());
      claim("w1");
      queue.fail(failed.id(), "w1", "broke", Retry.NEVER);
      Task cancelled = enqueue("cancelled once");
      queue.cancel(cancelled.id(), "cli", "not tonight");

      for (String prompt : List.of("done once", "failed once", "cancelled once")) {
        EnqueueResult again = queue.enqueue(TaskSpec.builder(prompt).build());
        assertThat(again.created()).as(prompt).isTrue();
        assertThat(again.task().status()).isEqualTo(TaskStatus.PENDING);
      }
      assertThat(queue.list(TaskFilter.all()).total()).isEqualTo(6);
    }

    @Test
    void enqueueAllDeduplicatesAgainstTheQueueAndWithinTheList() {
      Task existing = enqueue("a");

      List<EnqueueResult> results =
          queue.enqueueAll(
              List.of(
                  TaskSpec.builder("a").build(),
                  TaskSpec.builder("b").build(),
                  TaskSpec.builder("c").build(),
                  TaskSpec.builder("b").build()));

      assertThat(results)
          .extracting(EnqueueResult::created)
          .containsExactly(false, true, true, false);
      assertThat(results.get(0).task().id()).isEqualTo(existing.id());
      assertThat(results.get(3).task().id()).isEqualTo(results.get(1).task().id());
      assertThat(queue.list(TaskFilter.all()).total()).isEqualTo(3);
      assertThat(queue.enqueueAll(List.of())).isEmpty();
    }
  }

  /** Which pending task a claim takes: priority, then work already under way, then oldest. */
  @Nested
  class ClaimOrder {

    @Test
    void claimsGoByPriorityThenOldestFirst() {
      Task low = enqueue(TaskSpec.builder("low").priority(TaskPriority.LOW).build());
      clock.advance(Duration.ofSeconds(1));
      Task medium1 = enqueue(TaskSpec.builder("medium 1").build());
      Task high1 = enqueue(TaskSpec.builder("high 1").priority(TaskPriority.HIGH).build());
      Task medium2 = enqueue(TaskSpec.builder("medium 2").build());
      clock.advance(Duration.ofSeconds(1));
      Task high2 = enqueue(TaskSpec.builder("high 2").priority(TaskPriority.HIGH).build());

      List<TaskId> order = new ArrayList<>();
      for (Optional<Task> t = queue.claimNext("w", LEASE);
          t.isPresent();
          t = queue.claimNext("w", LEASE)) {
        order.add(t.get().id());
      }

      assertThat(order)
          .containsExactly(high1.id(), high2.id(), medium1.id(), medium2.id(), low.id());
    }

    @Test
    void aTaskThatHasRunResumesBeforeWorkThatHasNotStartedOfItsPriority() {
      Task older = enqueue("older");
      clock.advance(Duration.ofSeconds(1));
      Task midWay = enqueue("mid-way");
      clock.advance(Duration.ofSeconds(1));
      Task newer = enqueue("newer");
      queue.cancel(older.id(), "cli", "not tonight");
      assertThat(claim("w1").id()).isEqualTo(midWay.id());
      queue.fail(midWay.id(), "w1", "stuck", Retry.IF_ATTEMPTS_LEFT);
      queue.retry(older.id(), "cli", "tonight after all");
      Task urgent = enqueue(TaskSpec.builder("urgent").priority(TaskPriority.HIGH).build());

      assertThat(queue.list(TaskFilter.withStatus(TaskStatus.PENDING)).items())
          .extracting(Task::id)
          .containsExactly(urgent.id(), midWay.id(), older.id(), newer.id());
      assertThat(claim("w2").id()).as("priority first").isEqualTo(urgent.id());
      assertThat(claim("w2").id()).as("then the work under way").isEqualTo(midWay.id());
      assertThat(claim("w2").id()).as("then oldest").isEqualTo(older.id());
      assertThat(claim("w2").id()).isEqualTo(newer.id());
    }

    @Test
    void tasksEnqueuedAtTheSameInstantKeepTheirOrder() {
      List<TaskId> enqueued = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        enqueued.add(enqueue("task " + i).id());
      }
      List<TaskId> claimed = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        claimed.add(claim("w").id());
      }
      assertThat(claimed).isEqualTo(enqueued);
    }

    @Test
    void aTaskBackInPendingKeepsItsPlaceInLine() {
      Task first = enqueue("first");
      clock.advance(Duration.ofSeconds(1));
      Task second = enqueue("second");
      claim("w1");
      queue.fail(first.id(), "w1", "usage limit", Retry.RELEASE);

      assertThat(claim("w2").id()).isEqualTo(first.id());
      assertThat(claim("w2").id()).isEqualTo(second.id());
    }

    @Test
    void anEmptyQueueHasNothingToClaim() {
      assertThat(queue.claimNext("w", LEASE)).isEmpty();
      Task only = enqueue("only");
      claim("w");
      assertThat(queue.claimNext("w", LEASE)).isEmpty();
      queue.complete(only.id(), "w", "done", Map.of());
      assertThat(queue.claimNext("w", LEASE)).isEmpty();
    }
  }

  /**
   * Claims by labels: a worker takes only the tasks whose required labels it carries, in claim
   * order, and leaves the others untouched for a worker that can run them.
   */
  @Nested
  class LabelledClaims {
    private final Set<String> linuxShop = Set.of("os:linux", "repo:github.com/acme/shop");
    private final Set<String> macShop =
        Set.of("os:macos", "repo:github.com/acme/shop", "agent:codex");

    private Task enqueueRequiring(String prompt, String... labels) {
      return enqueue(TaskSpec.builder(prompt).requiredLabels(List.of(labels)).build());
    }

    private Optional<Task> claimWith(String worker, Set<String> labels) {
      return queue.claimNext(worker, labels, LEASE);
    }

    @Test
    void aWorkerClaimsOnlyTasksWhoseLabelsItCarries() {
      Task forMac = enqueueRequiring("needs a mac", "os:macos");
      Task forShop = enqueueRequiring("shop work", "repo:github.com/acme/shop");
      Task forMacWithCodex = enqueueRequiring("mac and codex", "os:macos", "agent:codex");

      assertThat(claimWith("linux", linuxShop)).get().extracting(Task::id).isEqualTo(forShop.id());
      assertThat(claimWith("linux", linuxShop)).as("the mac's tasks are not for it").isEmpty();
      assertThat(claimWith("mac", macShop)).get().extracting(Task::id).isEqualTo(forMac.id());
      assertThat(claimWith("mac", macShop))
          .get()
          .extracting(Task::id)
          .isEqualTo(forMacWithCodex.id());
    }

    @Test
    void tasksPassedOverStayPendingWithNoAttemptAndNoEvent() {
      Task forMac = enqueueRequiring("needs a mac", "os:macos");
      Task any = enqueue("anyone");

      assertThat(claimWith("linux", linuxShop)).get().extracting(Task::id).isEqualTo(any.id());

      Task still = queue.get(forMac.id()).orElseThrow();
      assertThat(still.status()).isEqualTo(TaskStatus.PENDING);
      assertThat(still.attempts()).isZero();
      assertThat(still.workerId()).isEmpty();
      assertThat(queue.events(forMac.id()))
          .extracting(TaskEvent::type)
          .containsExactly(TaskEventType.ENQUEUED);
    }

    @Test
    void aTaskRequiringNothingGoesToAnyWorkerEvenOneWithoutLabels() {
      Task any = enqueue("anyone");
      enqueueRequiring("needs a gpu", "gpu");

      assertThat(claimWith("bare", Set.of())).get().extracting(Task::id).isEqualTo(any.id());
      assertThat(claimWith("bare", Set.of())).isEmpty();
    }

    @Test
    void matchingTasksGoInTheUsualClaimOrder() {
      Task low =
          enqueue(
              TaskSpec.builder("low")
                  .priority(TaskPriority.LOW)
                  .requiredLabels(List.of("os:linux"))
                  .build());
      enqueueRequiring("not mine", "os:macos");
      clock.advance(Duration.ofSeconds(1));
      Task medium = enqueueRequiring("medium", "os:linux");
      Task high =
          enqueue(
              TaskSpec.builder("high")
                  .priority(TaskPriority.HIGH)
                  .requiredLabels(List.of("repo:github.com/acme/shop"))
                  .build());

      List<TaskId> order = new ArrayList<>();
      for (Optional<Task> t = claimWith("w", linuxShop);
          t.isPresent();
          t = claimWith("w", linuxShop)) {
        order.add(t.get().id());
      }
      assertThat(order).containsExactly(high.id(), medium.id(), low.id());
    }

    @Test
    void aTaskKeepsItsRequiredLabelsThroughARelease() {
      Task forMac = enqueueRequiring("needs a mac", "os:macos", "agent:codex");
      assertThat(TaskFacts.REQUIRED_LABELS.from(forMac))
          .contains(Set.of("agent:codex", "os:macos"));
      claimWith("mac", macShop).orElseThrow();
      queue.fail(forMac.id(), "mac", "usage limit", Retry.RELEASE);

      assertThat(claimWith("linux", linuxShop)).isEmpty();
      Task again = claimWith("mac", macShop).orElseThrow();
      assertThat(again.id()).isEqualTo(forMac.id());
      assertThat(TaskFacts.REQUIRED_LABELS.from(again)).contains(Set.of("agent:codex", "os:macos"));
    }

    @Test
    void aClaimWithoutLabelsStillTakesEveryTask() {
      Task forMac = enqueueRequiring("needs a mac", "os:macos");
      assertThat(claim("legacy").id()).isEqualTo(forMac.id());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentWorkersWithDifferentLabelsEachRunOnlyTheirOwnTasksOnce() throws Exception {
      int perGroup = 60;
      List<Set<String>> groups =
          List.of(Set.of("os:linux"), Set.of("os:macos"), Set.of("os:linux", "gpu"));
      List<TaskSpec> specs = new ArrayList<>();
      for (int i = 0; i < perGroup; i++) {
        specs.add(TaskSpec.builder("linux job " + i).requiredLabels(List.of("os:linux")).build());
        specs.add(TaskSpec.builder("mac job " + i).requiredLabels(List.of("os:macos")).build());
        specs.add(
            TaskSpec.builder("gpu job " + i).requiredLabels(List.of("os:linux", "gpu")).build());
        specs.add(TaskSpec.builder("any job " + i).build());
      }
      queue.enqueueAll(specs);
      Map<TaskId, String> claimedBy = new ConcurrentHashMap<>();
      Set<TaskId> claimedTwice = ConcurrentHashMap.newKeySet();
      List<String> mismatches = new CopyOnWriteArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      int workers = groups.size() * 2;
      ExecutorService pool = Executors.newFixedThreadPool(workers);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
          String worker = "worker-" + w;
          Set<String> labels = groups.get(w % groups.size());
          done.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (Optional<Task> t = queue.claimNext(worker, labels, LEASE);
                        t.isPresent();
                        t = queue.claimNext(worker, labels, LEASE)) {
                      Set<String> required =
                          TaskFacts.REQUIRED_LABELS.from(t.get()).orElse(Set.of());
                      if (!labels.containsAll(required)) {
                        mismatches.add(worker + " took " + t.get().title());
                      }
                      if (claimedBy.putIfAbsent(t.get().id(), worker) != null) {
                        claimedTwice.add(t.get().id());
                      }
                      queue.complete(t.get().id(), worker, "ok", Map.of());
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> f : done) {
          f.get(110, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(mismatches).isEmpty();
      assertThat(claimedTwice).isEmpty();
      assertThat(claimedBy).hasSize(specs.size());
      assertThat(queue.list(TaskFilter.withStatus(TaskStatus.PENDING)).total()).isZero();
    }
  }

  /** Claims start attempts under leases; only the holder may renew one. */
  @Nested
  class Leases {

    @Test
    void aClaimStartsAnAttemptUnderALease() {
      Task task = enqueue("work");
      clock.advance(Duration.ofSeconds(10));
      Instant now = clock.instant();

      Task claimed = queue.claimNext("worker-1", Duration.ofSeconds(90)).orElseThrow();

      assertThat(claimed.id()).isEqualTo(task.id());
      assertThat(claimed.status()).isEqualTo(TaskStatus.IN_PROGRESS);
      assertThat(claimed.workerId()).contains("worker-1");
      assertThat(claimed.leaseExpiresAt()).contains(now.plusSeconds(90));
      assertThat(claimed.attempts()).isEqualTo(1);
      assertThat(claimed.startedAt()).contains(now);
      assertThat(claimed.updatedAt()).isEqualTo(now);
      assertThat(claimed.createdAt()).isEqualTo(START);
      assertThat(queue.get(task.id())).contains(claimed);
      assertThat(last(task.id()))
          .satisfies(
              e -> {
                assertThat(e.type()).isEqualTo(TaskEventType.CLAIMED);
                assertThat(e.actor()).isEqualTo("worker-1");
                assertThat(e.from()).contains(TaskStatus.PENDING);
                assertThat(e.to()).isEqualTo(TaskStatus.IN_PROGRESS);
                assertThat(e.at()).isEqualTo(now);
                assertThat(e.reason()).contains("attempt 1 of 3");
              });
    }

    @Test
    void startedAtIsTheFirstClaim() {
      Task task = enqueue("work");
      claim("w1");
      queue.fail(task.id(), "w1", "flaky", Retry.IF_ATTEMPTS_LEFT);
      clock.advance(Duration.ofMinutes(1));

      Task second = claim("w2");

      assertThat(second.attempts()).isEqualTo(2);
      assertThat(second.startedAt()).contains(START);
    }

    @Test
    void claimRejectsABlankWorkerAndANonPositiveLease() {
      enqueue("work");
      assertThatThrownBy(() -> queue.claimNext(" ", LEASE))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> queue.claimNext("w", Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> queue.claimNext("w", Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(queue.list(TaskFilter.withStatus(TaskStatus.PENDING)).total()).isEqualTo(1);
    }

    @Test
    void aHeartbeatExtendsTheLeaseWithoutAnEvent() {
      Task task = enqueue("work");
      claim("w1");
      Instant later = clock.advance(Duration.ofSeconds(40));

      Task beaten = queue.heartbeat(task.id(), "w1", Duration.ofMinutes(2));

      assertThat(beaten.leaseExpiresAt()).contains(later.plus(Duration.ofMinutes(2)));
      assertThat(beaten.status()).isEqualTo(TaskStatus.IN_PROGRESS);
      assertThat(beaten.attempts()).isEqualTo(1);
      assertThat(queue.get(task.id())).contains(beaten);
      assertThat(queue.events(task.id()))
          .extracting(TaskEvent::type)
          .containsExactly(TaskEventType.ENQUEUED, TaskEventType.CLAIMED);
    }

    @Test
    void aHeartbeatKeepsATaskFromRecovery() {
      Task task = enqueue("long work");
      queue.claimNext("w1", Duration.ofSeconds(30)).orElseThrow();
      for (int i = 0; i < 5; i++) {
        clock.advance(Duration.ofSeconds(20));
        queue.heartbeat(task.id(), "w1", Duration.ofSeconds(30));
        assertThat(queue.recoverExpiredLeases()).isEmpty();
      }
      clock.advance(Duration.ofSeconds(30));
      assertThat(queue.recoverExpiredLeases()).extracting(Task::id).containsExactly(task.id());
    }

    @Test
    void onlyTheLeaseHolderMayHeartbeat() {
      Task task = enqueue("work");
      Task claimed = claim("w1");

      assertIllegal(() -> queue.heartbeat(task.id(), "w2", LEASE), task, "w1", "w2");
      assertThat(queue.get(task.id())).contains(claimed);
    }

    @Test
    void aHeartbeatOnAPendingOrUnknownTaskFails() {
      Task task = enqueue("work");
      assertIllegal(() -> queue.heartbeat(task.id(), "w1", LEASE), task, "PENDING");
      assertThatThrownBy(() -> queue.heartbeat(TaskId.of("nope"), "w1", LEASE))
          .isInstanceOf(TaskNotFoundException.class)
          .hasMessageContaining("nope");
    }

    @Test
    void anExpiredLeaseIsStillTheWorkersUntilRecovered() {
      Task task = enqueue("work");
      queue.claimNext("w1", Duration.ofSeconds(30)).orElseThrow();
      clock.advance(Duration.ofMinutes(5));

      Task done = queue.complete(task.id(), "w1", "done late", Map.of());

      assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
      assertThat(queue.recoverExpiredLeases()).isEmpty();
    }
  }

  /** Recovery of tasks whose worker stopped renewing its lease. */
  @Nested
  class LeaseRecovery {

    @Test
    void recoveryReturnsTasksWhoseLeaseRanOutToPending() {
      Task shortLease = enqueue("short");
      Task longLease = enqueue("long");
      queue.claimNext("w1", Duration.ofSeconds(30)).orElseThrow();
      queue.claimNext("w2", Duration.ofSeconds(60)).orElseThrow();
      assertThat(queue.recoverExpiredLeases()).isEmpty();

      Instant expiry = clock.advance(Duration.ofSeconds(30));
      List<Task> recovered = queue.recoverExpiredLeases();

      assertThat(recovered)
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.id()).isEqualTo(shortLease.id());
                assertThat(t.status()).isEqualTo(TaskStatus.PENDING);
                assertThat(t.workerId()).isEmpty();
                assertThat(t.leaseExpiresAt()).isEmpty();
                assertThat(t.attempts()).isEqualTo(1);
                assertThat(t.updatedAt()).isEqualTo(expiry);
              });
      assertThat(queue.get(shortLease.id())).contains(recovered.get(0));
      assertThat(queue.get(longLease.id()).orElseThrow().status())
          .isEqualTo(TaskStatus.IN_PROGRESS);
      assertThat(last(shortLease.id()))
          .satisfies(
              e -> {
                assertThat(e.type()).isEqualTo(TaskEventType.LEASE_EXPIRED);
                assertThat(e.actor()).isEqualTo(TaskTransitions.QUEUE_ACTOR);
                assertThat(e.from()).contains(TaskStatus.IN_PROGRESS);
                assertThat(e.to()).isEqualTo(TaskStatus.PENDING);
                assertThat(e.reason()).contains("w1");
              });

      clock.advance(Duration.ofSeconds(30));
      assertThat(queue.recoverExpiredLeases()).extracting(Task::id).containsExactly(longLease.id());
      assertThat(queue.recoverExpiredLeases()).isEmpty();
    }

    @Test
    void recoveryFailsATaskWithNoAttemptsLeft() {
      Task task = enqueue(TaskSpec.builder("once").maxAttempts(1).build());
      queue.claimNext("w1", Duration.ofSeconds(30)).orElseThrow();
      Instant expiry = clock.advance(Duration.ofMinutes(1));

      Task recovered = queue.recoverExpiredLeases().get(0);

      assertThat(recovered.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(recovered.finishedAt()).contains(expiry);
      assertThat(recovered.lastError()).hasValueSatisfying(e -> assertThat(e).contains("lease"));
      assertThat(last(task.id()).type()).isEqualTo(TaskEventType.LEASE_EXPIRED);
      assertThat(last(task.id()).to()).isEqualTo(TaskStatus.FAILED);
      assertThat(queue.claimNext("w2", LEASE)).isEmpty();
    }

    @Test
    void theTasksOfADeadWorkerAreRecoveredAtOnceAndNoOneElsesAre() {
      Task dead1 = enqueue("dead one");
      Task alive = enqueue("alive");
      Task dead2 = enqueue("dead two");
      Task waiting = enqueue("waiting");
      queue.claimNext("dead", LEASE).orElseThrow();
      queue.claimNext("alive", LEASE).orElseThrow();
      queue.claimNext("dead", LEASE).orElseThrow();
      Instant now = clock.advance(Duration.ofSeconds(1));

      List<Task> recovered = queue.recoverLeasesOf("dead", "its process is gone");

      assertThat(recovered).extracting(Task::id).containsExactly(dead1.id(), dead2.id());
      assertThat(recovered)
          .allSatisfy(
              t -> {
                assertThat(t.status()).isEqualTo(TaskStatus.PENDING);
                assertThat(t.workerId()).isEmpty();
                assertThat(t.leaseExpiresAt()).isEmpty();
                assertThat(t.attempts()).isEqualTo(1);
                assertThat(t.updatedAt()).isEqualTo(now);
              });
      assertThat(last(dead1.id()))
          .satisfies(
              e -> {
                assertThat(e.type()).isEqualTo(TaskEventType.LEASE_EXPIRED);
                assertThat(e.actor()).isEqualTo(TaskTransitions.QUEUE_ACTOR);
                assertThat(e.from()).contains(TaskStatus.IN_PROGRESS);
                assertThat(e.to()).isEqualTo(TaskStatus.PENDING);
                assertThat(e.reason()).contains("dead", "its process is gone");
              });
      assertThat(queue.get(alive.id()).orElseThrow().status()).isEqualTo(TaskStatus.IN_PROGRESS);
      assertThat(queue.get(alive.id()).orElseThrow().workerId()).contains("alive");
      assertThat(queue.get(waiting.id()).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
      assertThat(queue.recoverLeasesOf("dead", "again")).isEmpty();
      assertThat(queue.recoverLeasesOf("nobody", "never was")).isEmpty();
      // The recovered work is the next in line, ahead of the one that never ran.
      assertThat(claim("next").id()).isEqualTo(dead1.id());
    }

    @Test
    void aDeadWorkersTaskWithNoAttemptsLeftFails() {
      Task task = enqueue(TaskSpec.builder("once").maxAttempts(1).build());
      queue.claimNext("dead", LEASE).orElseThrow();

      Task recovered = queue.recoverLeasesOf("dead", "its process is gone").get(0);

      assertThat(recovered.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(recovered.lastError()).hasValueSatisfying(e -> assertThat(e).contains("dead"));
      assertThat(last(task.id()).type()).isEqualTo(TaskEventType.LEASE_EXPIRED);
    }

    @Test
    void aWorkerWhoseTaskWasRecoveredAndReclaimedCannotTouchIt() {
      Task task = enqueue("work");
      queue.claimNext("slow", Duration.ofSeconds(30)).orElseThrow();
      clock.advance(Duration.ofMinutes(1));
      queue.recoverExpiredLeases();
      Task reclaimed = claim("fast");

      assertIllegal(
          () -> queue.complete(task.id(), "slow", "me too", Map.of()), task, "fast", "slow");
      assertIllegal(() -> queue.fail(task.id(), "slow", "x", Retry.NEVER), task, "fast", "slow");
      assertThat(queue.get(task.id())).contains(reclaimed);
    }
  }

  /** Finishing, failing, retrying and cancelling, and the full transition table. */
  @Nested
  class Transitions {

    @Test
    void completeFinishesTheTaskAndMergesMetadata() {
      Task task = enqueue(TaskSpec.builder("work").metadata("target", "Parser.java").build());
      claim("w1");
      Instant now = clock.advance(Duration.ofMinutes(3));

      Task done =
          queue.complete(task.id(), "w1", "added 12 tests", Map.of("branch", "overnight/x"));

      assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
      assertThat(done.finishedAt()).contains(now);
      assertThat(done.updatedAt()).isEqualTo(now);
      assertThat(done.workerId()).isEmpty();
      assertThat(done.leaseExpiresAt()).isEmpty();
      assertThat(done.attempts()).isEqualTo(1);
      assertThat(done.metadata())
          .containsOnly(Map.entry("target", "Parser.java"), Map.entry("branch", "overnight/x"));
      assertThat(queue.get(task.id())).contains(done);
      TaskEvent event = last(task.id());
      assertThat(event.type()).isEqualTo(TaskEventType.COMPLETED);
      assertThat(event.reason()).isEqualTo("added 12 tests");
      assertThat(event.actor()).isEqualTo("w1");
    }

    @Test
    void annotateMergesMetadataAndKeepsTheLease() {
      Task task = enqueue(TaskSpec.builder("work").metadata("a", "1").build());
      Task claimed = claim("w1");

      Task annotated = queue.annotate(task.id(), "w1", Map.of("a", "2", "session", "s-1"));

      assertThat(annotated.metadata())
          .containsOnly(Map.entry("a", "2"), Map.entry("session", "s-1"));
      assertThat(annotated.leaseExpiresAt()).isEqualTo(claimed.leaseExpiresAt());
      assertThat(annotated.status()).isEqualTo(TaskStatus.IN_PROGRESS);
      assertThat(last(task.id()).type()).isEqualTo(TaskEventType.ANNOTATED);
      assertThat(last(task.id()).reason()).contains("session");
      assertThat(queue.get(task.id())).contains(annotated);
    }

    @Test
    void aFinishedTaskTakesNotedFactsAndKeepsItsStatusButALiveOneRefusesThem() {
      Task task = enqueue(TaskSpec.builder("work").metadata("a", "1").build());
      claim("w1");
      Task done = queue.complete(task.id(), "w1", "done", Map.of("pr_url", "https://x/pull/1"));

      Task noted = queue.note(task.id(), "overnight", Map.of("pr_state", "merged"));

      assertThat(noted.status()).isEqualTo(TaskStatus.COMPLETED);
      assertThat(noted.finishedAt()).isEqualTo(done.finishedAt());
      assertThat(noted.metadata())
          .containsEntry("a", "1")
          .containsEntry("pr_url", "https://x/pull/1")
          .containsEntry("pr_state", "merged");
      assertThat(last(task.id()).type()).isEqualTo(TaskEventType.ANNOTATED);
      assertThat(last(task.id()).reason()).contains("pr_state");
      assertThat(queue.get(task.id())).contains(noted);

      Task live = enqueue(TaskSpec.builder("other").build());
      assertThatThrownBy(() -> queue.note(live.id(), "overnight", Map.of("x", "y")))
          .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void aFailureWithAttemptsLeftGoesBackToPendingThenFailsWhenSpent() {
      Task task = enqueue(TaskSpec.builder("flaky").maxAttempts(2).build());
      claim("w1");

      Task retrying = queue.fail(task.id(), "w1", "agent crashed", Retry.IF_ATTEMPTS_LEFT);

      assertThat(retrying.status()).isEqualTo(TaskStatus.PENDING);
      assertThat(retrying.attempts()).isEqualTo(1);
      assertThat(retrying.lastError()).contains("agent crashed");
      assertThat(retrying.finishedAt()).isEmpty();
      assertThat(retrying.workerId()).isEmpty();
      assertThat(last(task.id()).type()).isEqualTo(TaskEventType.RETRY_SCHEDULED);
      assertThat(last(task.id()).reason()).contains("agent crashed");

      claim("w2");
      Instant now = clock.advance(Duration.ofMinutes(1));
      Task failed = queue.fail(task.id(), "w2", "agent crashed again", Retry.IF_ATTEMPTS_LEFT);

      assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(failed.attempts()).isEqualTo(2);
      assertThat(failed.finishedAt()).contains(now);
      assertThat(failed.lastError()).contains("agent crashed again");
      assertThat(last(task.id()).type()).isEqualTo(TaskEventType.FAILED);
      assertThat(queue.claimNext("w3", LEASE)).isEmpty();
    }

    @Test
    void aFailureThatCannotBeFixedByRetryingFailsAtOnce() {
      Task task = enqueue("bad prompt");
      claim("w1");
      Task failed = queue.fail(task.id(), "w1", "the agent refused", Retry.NEVER);
      assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(failed.attempts()).isEqualTo(1);
      assertThat(failed.hasAttemptsLeft()).isTrue();
    }

    @Test
    void aReleaseDoesNotCountTheAttempt() {
      Task task = enqueue(TaskSpec.builder("one shot").maxAttempts(1).build());
      for (int i = 0; i < 5; i++) {
        assertThat(claim("w" + i).attempts()).isEqualTo(1);
        Task released = queue.fail(task.id(), "w" + i, "usage limit reached", Retry.RELEASE);
        assertThat(released.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(released.attempts()).isZero();
        assertThat(released.lastError()).isEmpty();
        assertThat(last(task.id()).type()).isEqualTo(TaskEventType.RELEASED);
      }
      claim("last");
      Task failed = queue.fail(task.id(), "last", "real failure", Retry.IF_ATTEMPTS_LEFT);
      assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void retryPutsAFailedTaskBackWithItsAttemptsReset() {
      Task task = enqueue(TaskSpec.builder("work").maxAttempts(1).build());
      claim("w1");
      queue.fail(task.id(), "w1", "broke", Retry.IF_ATTEMPTS_LEFT);
      Instant now = clock.advance(Duration.ofHours(1));

      Task retried = queue.retry(task.id(), "cli", "fixed the config");

      assertThat(retried.status()).isEqualTo(TaskStatus.PENDING);
      assertThat(retried.attempts()).isZero();
      assertThat(retried.finishedAt()).isEmpty();
      assertThat(retried.updatedAt()).isEqualTo(now);
      TaskEvent event = last(task.id());
      assertThat(event.type()).isEqualTo(TaskEventType.RETRIED);
      assertThat(event.actor()).isEqualTo("cli");
      assertThat(event.reason()).isEqualTo("fixed the config");
      assertThat(event.from()).contains(TaskStatus.FAILED);
      assertThat(claim("w2").attempts()).isEqualTo(1);
    }

    @Test
    void retryIsRefusedWhileAnotherLiveTaskDoesTheSameWork() {
      Task cancelled = enqueue("same work");
      queue.cancel(cancelled.id(), "cli", "later");
      Task twin = enqueue("same work");

      assertIllegal(() -> queue.retry(cancelled.id(), "cli", "now"), cancelled, twin.id().value());

      queue.cancel(twin.id(), "cli", "changed my mind");
      assertThat(queue.retry(cancelled.id(), "cli", "now").status()).isEqualTo(TaskStatus.PENDING);
    }

    @Test
    void cancellingAClaimedTaskTakesItFromItsWorker() {
      Task task = enqueue("work");
      claim("w1");
      Instant now = clock.advance(Duration.ofMinutes(1));

      Task cancelled = queue.cancel(task.id(), "cli", "user asked");

      assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(cancelled.workerId()).isEmpty();
      assertThat(cancelled.leaseExpiresAt()).isEmpty();
      assertThat(cancelled.finishedAt()).contains(now);
      assertThat(last(task.id()).actor()).isEqualTo("cli");
      assertThat(last(task.id()).reason()).isEqualTo("user asked");
      assertIllegal(() -> queue.complete(task.id(), "w1", "done", Map.of()), task, "CANCELLED");
    }

    @Test
    void operationsOnAnUnknownTaskSayItIsNotFound() {
      TaskId ghost = TaskId.of("ghost-task");
      List<Runnable> calls =
          List.of(
              () -> queue.heartbeat(ghost, "w", LEASE),
              () -> queue.annotate(ghost, "w", Map.of()),
              () -> queue.complete(ghost, "w", "s", Map.of()),
              () -> queue.fail(ghost, "w", "r", Retry.NEVER),
              () -> queue.cancel(ghost, "cli", "r"),
              () -> queue.retry(ghost, "cli", "r"));
      for (Runnable call : calls) {
        assertThatThrownBy(call::run)
            .isInstanceOf(TaskNotFoundException.class)
            .hasMessageContaining("ghost-task");
      }
      assertThat(queue.get(ghost)).isEmpty();
      assertThat(queue.events(ghost)).isEmpty();
    }

    /**
     * Every operation on a task in every status: the legal ones move it as {@link TaskStatus} says,
     * the illegal ones throw {@link IllegalTransitionException} naming the task and its status, and
     * change nothing (the task and its history are as before).
     */
    @TestFactory
    Stream<DynamicTest> everyOperationInEveryStatusIsLegalOrRefusedAsTheTableSays() {
      List<DynamicTest> tests = new ArrayList<>();
      for (TaskStatus status : TaskStatus.values()) {
        for (Operation op : Operation.values()) {
          Optional<TaskStatus> expected = op.expectedOutcome(status);
          String name =
              op
                  + " on "
                  + status
                  + " → "
                  + expected.map(TaskStatus::name).orElse("IllegalTransitionException");
          tests.add(DynamicTest.dynamicTest(name, () -> checkTransition(status, op, expected)));
        }
      }
      return tests.stream();
    }

    private void checkTransition(TaskStatus status, Operation op, Optional<TaskStatus> expected) {
      ManualTimeSource caseClock = new ManualTimeSource(START);
      TaskQueue q = createQueue(caseClock, DEFAULT_MAX_ATTEMPTS);
      extraQueues.add(q);
      TaskId id = bringTo(q, status);
      caseClock.advance(Duration.ofSeconds(1));
      Task before = q.get(id).orElseThrow();
      List<TaskEvent> history = q.events(id);

      if (expected.isPresent()) {
        Task after = op.apply(q, id);
        assertThat(after.status()).as("%s on %s", op, status).isEqualTo(expected.get());
        assertThat(q.get(id)).contains(after);
        if (op != Operation.HEARTBEAT_BY_HOLDER) {
          assertThat(q.events(id)).hasSize(history.size() + 1);
          assertThat(q.events(id).get(history.size()).from()).contains(status);
          assertThat(q.events(id).get(history.size()).to()).isEqualTo(expected.get());
        }
      } else {
        Throwable thrown = catchThrowable(() -> op.apply(q, id));
        assertThat(thrown)
            .as("%s on %s", op, status)
            .isInstanceOf(IllegalTransitionException.class)
            .hasMessageContaining(id.value())
            .hasMessageContaining(status.name());
        assertThat(q.get(id)).as("unchanged after a refused %s", op).contains(before);
        assertThat(q.events(id)).as("no event for a refused %s", op).isEqualTo(history);
      }
    }

    /** The operations of the transition table. "Holder" is the worker that claimed the task. */
    private enum Operation {
      COMPLETE_BY_HOLDER,
      COMPLETE_BY_OTHER,
      FAIL_RETRYABLE_BY_HOLDER,
      FAIL_NEVER_BY_HOLDER,
      RELEASE_BY_HOLDER,
      FAIL_BY_OTHER,
      HEARTBEAT_BY_HOLDER,
      HEARTBEAT_BY_OTHER,
      ANNOTATE_BY_HOLDER,
      ANNOTATE_BY_OTHER,
      CANCEL,
      RETRY;

      Task apply(TaskQueue q, TaskId id) {
        return switch (this) {
          case COMPLETE_BY_HOLDER -> q.complete(id, "holder", "done", Map.of());
          case COMPLETE_BY_OTHER -> q.complete(id, "other", "done", Map.of());
          case FAIL_RETRYABLE_BY_HOLDER -> q.fail(id, "holder", "crashed", Retry.IF_ATTEMPTS_LEFT);
          case FAIL_NEVER_BY_HOLDER -> q.fail(id, "holder", "refused", Retry.NEVER);
          case RELEASE_BY_HOLDER -> q.fail(id, "holder", "usage limit", Retry.RELEASE);
          case FAIL_BY_OTHER -> q.fail(id, "other", "crashed", Retry.IF_ATTEMPTS_LEFT);
          case HEARTBEAT_BY_HOLDER -> q.heartbeat(id, "holder", LEASE);
          case HEARTBEAT_BY_OTHER -> q.heartbeat(id, "other", LEASE);
          case ANNOTATE_BY_HOLDER -> q.annotate(id, "holder", Map.of("k", "v"));
          case ANNOTATE_BY_OTHER -> q.annotate(id, "other", Map.of("k", "v"));
          case CANCEL -> q.cancel(id, "cli", "called off");
          case RETRY -> q.retry(id, "cli", "try again");
        };
      }

      Optional<TaskStatus> expectedOutcome(TaskStatus from) {
        TaskStatus to =
            switch (from) {
              case PENDING -> this == CANCEL ? TaskStatus.CANCELLED : null;
              case IN_PROGRESS ->
                  switch (this) {
                    case COMPLETE_BY_HOLDER -> TaskStatus.COMPLETED;
                    case FAIL_RETRYABLE_BY_HOLDER, RELEASE_BY_HOLDER -> TaskStatus.PENDING;
                    case FAIL_NEVER_BY_HOLDER -> TaskStatus.FAILED;
                    case HEARTBEAT_BY_HOLDER, ANNOTATE_BY_HOLDER -> TaskStatus.IN_PROGRESS;
                    case CANCEL -> TaskStatus.CANCELLED;
                    default -> null;
                  };
              case COMPLETED -> null;
              case FAILED, CANCELLED -> this == RETRY ? TaskStatus.PENDING : null;
            };
        if (to != null && to != from && !from.canMoveTo(to)) {
          throw new AssertionError("the kit's table disagrees with TaskStatus: " + from + "→" + to);
        }
        return Optional.ofNullable(to);
      }
    }

    private static TaskId bringTo(TaskQueue q, TaskStatus status) {
      TaskId id = q.enqueue(TaskSpec.builder("subject").build()).task().id();
      if (status == TaskStatus.PENDING) {
        return id;
      }
      if (status == TaskStatus.CANCELLED) {
        q.cancel(id, "cli", "setup");
        return id;
      }
      q.claimNext("holder", LEASE).orElseThrow();
      switch (status) {
        case COMPLETED -> q.complete(id, "holder", "setup", Map.of());
        case FAILED -> q.fail(id, "holder", "setup", Retry.NEVER);
        default -> {}
      }
      assertThat(q.get(id).orElseThrow().status()).isEqualTo(status);
      return id;
    }
  }

  /** Listing, filtering and paging. */
  @Nested
  class Listing {

    @Test
    void listShowsLiveTasksInClaimOrderThenFinishedOnesMostRecentFirst() {
      Task doneEarly = enqueue("done early");
      Task doneLate = enqueue("done late");
      Task running = enqueue(TaskSpec.builder("running").priority(TaskPriority.HIGH).build());
      claim("w");
      claim("w");
      claim("w");
      clock.advance(Duration.ofMinutes(1));
      queue.complete(doneEarly.id(), "w", "ok", Map.of());
      clock.advance(Duration.ofMinutes(1));
      queue.complete(doneLate.id(), "w", "ok", Map.of());
      Task low = enqueue(TaskSpec.builder("low").priority(TaskPriority.LOW).build());
      Task medium = enqueue("medium");

      Page<Task> page = queue.list(TaskFilter.all());

      assertThat(page.items())
          .extracting(Task::id)
          .containsExactly(running.id(), medium.id(), low.id(), doneLate.id(), doneEarly.id());
      assertThat(page.total()).isEqualTo(5);
      assertThat(page.offset()).isZero();
      assertThat(page.hasMore()).isFalse();
    }

    @Test
    void listFiltersByStatusAndAgent() {
      Task codex = enqueue(TaskSpec.builder("a").agentId("codex").build());
      enqueue(TaskSpec.builder("b").agentId("claude-code").build());
      Task anyone = enqueue("c");
      queue.cancel(anyone.id(), "cli", "no");

      assertThat(queue.list(TaskFilter.all().forAgent("codex")).items())
          .extracting(Task::id)
          .containsExactly(codex.id());
      assertThat(queue.list(TaskFilter.withStatus(TaskStatus.CANCELLED)).items())
          .extracting(Task::id)
          .containsExactly(anyone.id());
      assertThat(queue.list(TaskFilter.withStatus(TaskStatus.PENDING)).total()).isEqualTo(2);
      assertThat(queue.list(TaskFilter.withStatus(TaskStatus.PENDING).forAgent("codex")).total())
          .isEqualTo(1);
      assertThat(queue.list(TaskFilter.withStatus(TaskStatus.COMPLETED)).items()).isEmpty();
    }

    @Test
    void listPagesThroughEveryTaskOnce() {
      List<TaskId> all = new ArrayList<>();
      for (int i = 0; i < 23; i++) {
        all.add(enqueue("task " + i).id());
      }
      List<TaskId> seen = new ArrayList<>();
      Page<Task> page = queue.list(TaskFilter.all().page(0, 10));
      seen.addAll(page.items().stream().map(Task::id).toList());
      assertThat(page.hasMore()).isTrue();
      while (page.hasMore()) {
        page = queue.list(TaskFilter.all().page(page.offset() + page.items().size(), 10));
        assertThat(page.total()).isEqualTo(23);
        seen.addAll(page.items().stream().map(Task::id).toList());
      }
      assertThat(seen).isEqualTo(all);
      Page<Task> beyond = queue.list(TaskFilter.all().page(50, 10));
      assertThat(beyond.items()).isEmpty();
      assertThat(beyond.total()).isEqualTo(23);
      assertThat(beyond.hasMore()).isFalse();
    }
  }

  /**
   * The tasks a worker ran ({@link TaskQueue#ranBy}): what one machine of a fleet reports as its
   * night, whoever else shares the queue.
   */
  @Nested
  class RanBy {

    @Test
    void aWorkersTasksAreThoseItClaimedLastThatChangedSinceOldestFirst() {
      Task old = enqueue("finished before the night");
      Task done = enqueue("completed by a");
      Task failed = enqueue("failed by a");
      Task running = enqueue("running under a");
      Task others = enqueue("b's");
      Task waiting = enqueue("never claimed");
      claim("a");
      queue.complete(old.id(), "a", "ok", Map.of());
      clock.advance(Duration.ofHours(1));
      Instant since = clock.instant();
      claim("a");
      claim("a");
      claim("a");
      claim("b");
      queue.complete(done.id(), "a", "ok", Map.of());
      queue.fail(failed.id(), "a", "broke", Retry.NEVER);
      queue.complete(others.id(), "b", "ok", Map.of());

      assertThat(queue.ranBy("a", since))
          .extracting(Task::id)
          .containsExactly(done.id(), failed.id(), running.id());
      assertThat(queue.ranBy("b", since)).extracting(Task::id).containsExactly(others.id());
      assertThat(queue.ranBy("a", START)).extracting(Task::id).startsWith(old.id());
      assertThat(queue.ranBy("nobody", START)).isEmpty();
      assertThat(queue.ranBy("a", START))
          .extracting(Task::id)
          .doesNotContain(waiting.id(), others.id());
    }

    @Test
    void aTaskBelongsToTheWorkerThatClaimedItLastEvenAfterItsLeaseRanOut() {
      Task task = enqueue("tried twice");
      Instant since = clock.instant();
      claim("a");
      clock.advance(LEASE.plusSeconds(1));
      queue.recoverExpiredLeases();

      assertThat(queue.ranBy("a", since)).extracting(Task::id).containsExactly(task.id());

      claim("b");
      queue.complete(task.id(), "b", "ok", Map.of());

      assertThat(queue.ranBy("a", since)).isEmpty();
      assertThat(queue.ranBy("b", since))
          .singleElement()
          .satisfies(t -> assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED));
    }
  }

  /** The event history of a task. */
  @Nested
  class History {

    @Test
    void theHistoryTellsTheWholeStoryInOrder() {
      Task task = enqueue(TaskSpec.builder("story").maxAttempts(3).build());
      clock.advance(Duration.ofSeconds(1));
      claim("w1");
      clock.advance(Duration.ofSeconds(1));
      queue.annotate(task.id(), "w1", Map.of("branch", "b"));
      queue.fail(task.id(), "w1", "crashed", Retry.IF_ATTEMPTS_LEFT);
      claim("w2");
      queue.fail(task.id(), "w2", "usage limit", Retry.RELEASE);
      queue.claimNext("w3", Duration.ofSeconds(10)).orElseThrow();
      clock.advance(Duration.ofSeconds(10));
      queue.recoverExpiredLeases();
      claim("w4");
      queue.cancel(task.id(), "cli", "enough");
      queue.retry(task.id(), "cli", "one more");
      claim("w5");
      queue.complete(task.id(), "w5", "finally", Map.of());

      List<TaskEvent> history = queue.events(task.id());

      assertThat(history)
          .extracting(TaskEvent::type)
          .containsExactly(
              TaskEventType.ENQUEUED,
              TaskEventType.CLAIMED,
              TaskEventType.ANNOTATED,
              TaskEventType.RETRY_SCHEDULED,
              TaskEventType.CLAIMED,
              TaskEventType.RELEASED,
              TaskEventType.CLAIMED,
              TaskEventType.LEASE_EXPIRED,
              TaskEventType.CLAIMED,
              TaskEventType.CANCELLED,
              TaskEventType.RETRIED,
              TaskEventType.CLAIMED,
              TaskEventType.COMPLETED);
      assertThat(history)
          .extracting(TaskEvent::actor)
          .containsExactly(
              "api", "w1", "w1", "w1", "w2", "w2", "w3", "queue", "w4", "cli", "cli", "w5", "w5");
      assertThat(history).extracting(TaskEvent::sequence).isSorted().doesNotHaveDuplicates();
      assertThat(history).extracting(TaskEvent::at).isSorted();
      for (int i = 1; i < history.size(); i++) {
        assertThat(history.get(i).from()).contains(history.get(i - 1).to());
      }
      assertThat(history.get(history.size() - 1).to()).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void eventSequencesIncreaseAcrossTasks() {
      Task a = enqueue("a");
      Task b = enqueue("b");
      claim("w");
      claim("w");
      queue.complete(b.id(), "w", "ok", Map.of());
      queue.complete(a.id(), "w", "ok", Map.of());

      List<TaskEvent> all = new ArrayList<>(queue.events(a.id()));
      all.addAll(queue.events(b.id()));
      all.sort((x, y) -> Long.compare(x.sequence(), y.sequence()));
      assertThat(all)
          .extracting(e -> e.taskId().equals(a.id()) ? "a:" + e.type() : "b:" + e.type())
          .containsExactly(
              "a:ENQUEUED", "b:ENQUEUED", "a:CLAIMED", "b:CLAIMED", "b:COMPLETED", "a:COMPLETED");
    }
  }

  /** Purging old finished work. */
  @Nested
  class Purge {

    @Test
    void purgeDeletesOldFinishedTasksAndTheirHistoryOnly() {
      Task oldDone = enqueue("old done");
      Task oldFailed = enqueue(TaskSpec.builder("old failed").maxAttempts(1).build());
      Task oldCancelled = enqueue("old cancelled");
      Task stillPending = enqueue("still pending");
      claim("w");
      claim("w");
      queue.complete(oldDone.id(), "w", "ok", Map.of());
      queue.fail(oldFailed.id(), "w", "broke", Retry.IF_ATTEMPTS_LEFT);
      queue.cancel(oldCancelled.id(), "cli", "no");
      Instant cutoff = clock.advance(Duration.ofDays(1));
      Task finishedAtCutoff = enqueue("at the cutoff");
      Task running = enqueue("running");
      claim("w");
      claim("w");
      queue.complete(finishedAtCutoff.id(), "w", "ok", Map.of());
      clock.advance(Duration.ofDays(1));

      int purged = queue.purge(cutoff);

      assertThat(purged).isEqualTo(3);
      for (Task gone : List.of(oldDone, oldFailed, oldCancelled)) {
        assertThat(queue.get(gone.id())).isEmpty();
        assertThat(queue.events(gone.id())).isEmpty();
      }
      for (Task kept : List.of(stillPending, finishedAtCutoff, running)) {
        assertThat(queue.get(kept.id())).isPresent();
        assertThat(queue.events(kept.id())).isNotEmpty();
      }
      assertThat(queue.purge(cutoff)).isZero();
      assertThat(queue.list(TaskFilter.all()).total()).isEqualTo(3);
    }

    @Test
    void purgeComparesFinishTimesWithTheCutoffItself() {
      Task task = enqueue("finished at a whole millisecond");
      claim("w");
      Instant finished = clock.advance(Duration.ofMillis(10));
      queue.complete(task.id(), "w", "ok", Map.of());

      assertThat(queue.purge(finished)).isZero();
      assertThat(queue.purge(finished.plusNanos(500_000))).isEqualTo(1);
    }

    @Test
    void takenOpHashesFindsWorkOfEveryStatusUntilItIsPurged() {
      Task done = enqueue("done");
      Task failed = enqueue(TaskSpec.builder("failed").maxAttempts(1).build());
      Task cancelled = enqueue("cancelled");
      claim("w");
      claim("w");
      queue.complete(done.id(), "w", "ok", Map.of());
      queue.fail(failed.id(), "w", "broke", Retry.IF_ATTEMPTS_LEFT);
      queue.cancel(cancelled.id(), "cli", "no");
      Task running = enqueue("running");
      claim("w");
      Task waiting = enqueue("waiting");
      String unknown = TaskSpec.builder("never queued").build().opHash();
      List<Task> all = List.of(done, failed, cancelled, running, waiting);

      assertThat(
              queue.takenOpHashes(
                  java.util.stream.Stream.concat(
                          all.stream().map(Task::opHash), java.util.stream.Stream.of(unknown))
                      .toList()))
          .containsExactlyInAnyOrderElementsOf(all.stream().map(Task::opHash).toList());
      assertThat(queue.takenOpHashes(List.of())).isEmpty();

      clock.advance(Duration.ofDays(1));
      queue.purge(clock.instant());

      assertThat(queue.takenOpHashes(List.of(done.opHash(), running.opHash(), waiting.opHash())))
          .containsExactlyInAnyOrder(running.opHash(), waiting.opHash());
    }

    @Test
    void purgedWorkMayBeQueuedAgainAndSequencesKeepIncreasing() {
      Task task = enqueue("again and again");
      claim("w");
      queue.complete(task.id(), "w", "ok", Map.of());
      long lastSequence = last(task.id()).sequence();
      clock.advance(Duration.ofDays(1));
      assertThat(queue.purge(clock.instant())).isEqualTo(1);

      Task again = enqueue("again and again");

      assertThat(again.id()).isNotEqualTo(task.id());
      assertThat(queue.events(again.id()).get(0).sequence()).isGreaterThan(lastSequence);
    }
  }

  /** Listeners: told of every change, after it is visible. */
  @Nested
  class Listeners {

    @Test
    void listenersHearEveryChangeInOrderAfterItIsVisible() {
      List<TaskEvent> heard = new CopyOnWriteArrayList<>();
      List<String> seenByListener = new CopyOnWriteArrayList<>();
      queue.subscribe(heard::add);
      queue.subscribe(
          e ->
              seenByListener.add(
                  queue.get(e.taskId()).map(t -> t.status().name()).orElse("missing")));

      Task task = enqueue("work");
      claim("w");
      queue.heartbeat(task.id(), "w", LEASE);
      queue.enqueue(TaskSpec.builder("work").build()); // a duplicate changes nothing
      queue.complete(task.id(), "w", "ok", Map.of());

      assertThat(heard).isEqualTo(queue.events(task.id()));
      assertThat(seenByListener).containsExactly("PENDING", "IN_PROGRESS", "COMPLETED");
    }

    @Test
    void aClosedSubscriptionHearsNothingMore() {
      List<TaskEvent> heard = new CopyOnWriteArrayList<>();
      var subscription = queue.subscribe(heard::add);
      enqueue("one");

      subscription.close();
      subscription.close(); // closing twice does nothing
      enqueue("two");

      assertThat(heard).extracting(TaskEvent::type).containsExactly(TaskEventType.ENQUEUED);
    }

    @Test
    void aFailingListenerHarmsNeitherTheChangeNorOtherListeners() {
      AtomicInteger heard = new AtomicInteger();
      queue.subscribe(
          e -> {
            throw new IllegalStateException("listener bug");
          });
      queue.subscribe(e -> heard.incrementAndGet());

      Task task = enqueue("work");

      assertThat(queue.get(task.id())).isPresent();
      assertThat(heard).hasValue(1);
    }

    @Test
    void enqueueAllIsHeardOncePerCreatedTask() {
      List<TaskEvent> heard = new CopyOnWriteArrayList<>();
      queue.subscribe(heard::add);
      enqueue("a");
      heard.clear();

      List<EnqueueResult> results =
          queue.enqueueAll(
              List.of(
                  TaskSpec.builder("a").build(),
                  TaskSpec.builder("b").build(),
                  TaskSpec.builder("c").build()));

      assertThat(heard)
          .extracting(TaskEvent::taskId)
          .containsExactly(results.get(1).task().id(), results.get(2).task().id());
    }
  }

  /** A closed queue. */
  @Nested
  class Closing {

    @Test
    void aClosedQueueRefusesEveryCall() {
      Task task = enqueue("work");
      queue.close();

      List<Runnable> calls =
          List.of(
              () -> queue.enqueue(TaskSpec.builder("x").build()),
              () -> queue.claimNext("w", LEASE),
              () -> queue.get(task.id()),
              () -> queue.list(TaskFilter.all()),
              () -> queue.events(task.id()),
              () -> queue.cancel(task.id(), "cli", "r"),
              () -> queue.recoverExpiredLeases(),
              () -> queue.purge(START));
      for (Runnable call : calls) {
        assertThatThrownBy(call::run).isInstanceOf(TaskQueueException.class);
      }
      queue.close(); // closing twice is harmless
    }
  }

  /** Several workers and producers at once. */
  @Nested
  class Concurrency {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentWorkersClaimEveryTaskExactlyOnce() throws Exception {
      int taskCount = 400;
      int workers = 4;
      List<TaskSpec> specs =
          IntStream.range(0, taskCount)
              .mapToObj(i -> TaskSpec.builder("job " + i).build())
              .toList();
      queue.enqueueAll(specs);
      Map<TaskId, String> claimedBy = new ConcurrentHashMap<>();
      Set<TaskId> claimedTwice = ConcurrentHashMap.newKeySet();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(workers);
      try {
        List<Future<Integer>> done = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
          String worker = "worker-" + w;
          done.add(
              pool.submit(
                  () -> {
                    start.await();
                    int count = 0;
                    for (Optional<Task> t = queue.claimNext(worker, LEASE);
                        t.isPresent();
                        t = queue.claimNext(worker, LEASE)) {
                      if (claimedBy.putIfAbsent(t.get().id(), worker) != null) {
                        claimedTwice.add(t.get().id());
                      }
                      queue.complete(t.get().id(), worker, "ok", Map.of());
                      count++;
                    }
                    return count;
                  }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> f : done) {
          total += f.get(110, TimeUnit.SECONDS);
        }
        assertThat(total).isEqualTo(taskCount);
      } finally {
        pool.shutdownNow();
      }
      assertThat(claimedTwice).isEmpty();
      assertThat(claimedBy).hasSize(taskCount);
      assertThat(queue.list(TaskFilter.withStatus(TaskStatus.COMPLETED)).total())
          .isEqualTo(taskCount);
      TaskId sample = claimedBy.keySet().iterator().next();
      assertThat(queue.events(sample))
          .extracting(TaskEvent::type)
          .containsExactly(TaskEventType.ENQUEUED, TaskEventType.CLAIMED, TaskEventType.COMPLETED);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentEnqueuesOfTheSameWorkCreateOneTask() throws Exception {
      int threads = 8;
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<EnqueueResult>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return queue.enqueue(TaskSpec.builder("the same work").build());
                  }));
        }
        start.countDown();
        Set<TaskId> ids = new HashSet<>();
        int created = 0;
        for (Future<EnqueueResult> f : results) {
          EnqueueResult r = f.get(50, TimeUnit.SECONDS);
          ids.add(r.task().id());
          created += r.created() ? 1 : 0;
        }
        assertThat(ids).hasSize(1);
        assertThat(created).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void producersAndConsumersTogetherLoseNothing() throws Exception {
      int producers = 2;
      int perProducer = 150;
      int consumers = 2;
      int expected = producers * perProducer;
      // One permit per enqueued task not yet taken: a consumer holding one must find a task.
      Semaphore pending = new Semaphore(0);
      AtomicInteger toClaim = new AtomicInteger(expected);
      Set<TaskId> completed = Collections.newSetFromMap(new ConcurrentHashMap<>());
      AtomicInteger duplicates = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(producers + consumers);
      try {
        List<Future<?>> all = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
          int producer = p;
          all.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perProducer; i++) {
                      queue.enqueue(TaskSpec.builder("p" + producer + " job " + i).build());
                      pending.release();
                    }
                    return null;
                  }));
        }
        for (int c = 0; c < consumers; c++) {
          String worker = "consumer-" + c;
          all.add(
              pool.submit(
                  () -> {
                    while (toClaim.getAndDecrement() > 0) {
                      assertThat(pending.tryAcquire(100, TimeUnit.SECONDS)).isTrue();
                      Task task =
                          queue
                              .claimNext(worker, LEASE)
                              .orElseThrow(() -> new AssertionError("an enqueued task is missing"));
                      queue.complete(task.id(), worker, "ok", Map.of());
                      if (!completed.add(task.id())) {
                        duplicates.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : all) {
          f.get(110, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(duplicates).hasValue(0);
      assertThat(completed).hasSize(expected);
      assertThat(queue.claimNext("late", LEASE)).isEmpty();
      assertThat(
              queue.list(TaskFilter.withStatus(TaskStatus.PENDING, TaskStatus.IN_PROGRESS)).total())
          .isZero();
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Enqueues a spec that must be new, and returns its task. */
  protected Task enqueue(TaskSpec spec) {
    EnqueueResult result = queue.enqueue(spec);
    assertThat(result.created()).as("a new task for %s", spec.title()).isTrue();
    return result.task();
  }

  /** Enqueues a new task for a prompt. */
  protected Task enqueue(String prompt) {
    return enqueue(TaskSpec.builder(prompt).build());
  }

  /** Claims the next task, which must exist, with a five-minute lease. */
  protected Task claim(String workerId) {
    return queue
        .claimNext(workerId, LEASE)
        .orElseThrow(() -> new AssertionError("nothing to claim"));
  }

  private TaskEvent last(TaskId id) {
    List<TaskEvent> history = queue.events(id);
    assertThat(history).isNotEmpty();
    return history.get(history.size() - 1);
  }

  private void assertIllegal(Runnable call, Task task, String... mentions) {
    Task before = queue.get(task.id()).orElseThrow();
    List<TaskEvent> history = queue.events(task.id());
    Throwable thrown = catchThrowable(call::run);
    assertThat(thrown).isInstanceOf(IllegalTransitionException.class);
    assertThat(thrown.getMessage()).contains(task.id().value()).contains(mentions);
    assertThat(queue.get(task.id())).contains(before);
    assertThat(queue.events(task.id())).isEqualTo(history);
  }

  /**
   * Claims by a fact the task carries (follow-ups only, outside the schedule's window): the claim
   * takes the matching tasks in claim order, with the worker's labels still applying, and leaves
   * the others untouched.
   */
  @Nested
  class FactClaims {
    private final ClaimFilter followUps = ClaimFilter.any().carrying(TaskFacts.FOLLOW_UP_OF);

    private Task followUp(String prompt, String... labels) {
      return enqueue(
          TaskSpec.builder(prompt)
              .metadata(TaskFacts.FOLLOW_UP_OF.key(), "origin")
              .requiredLabels(List.of(labels))
              .build());
    }

    @Test
    void onlyTasksCarryingTheFactAreClaimedInClaimOrderAndTheOthersAreUntouched() {
      Task ordinary =
          enqueue(TaskSpec.builder("ordinary, first in line").priority(TaskPriority.HIGH).build());
      clock.advance(Duration.ofSeconds(1));
      Task first = followUp("answer the failing check");
      clock.advance(Duration.ofSeconds(1));
      Task urgent =
          enqueue(
              TaskSpec.builder("answer the review")
                  .priority(TaskPriority.HIGH)
                  .metadata(TaskFacts.FOLLOW_UP_OF.key(), "origin")
                  .build());

      assertThat(queue.claimNext("day", followUps, LEASE))
          .get()
          .extracting(Task::id)
          .isEqualTo(urgent.id());
      assertThat(queue.claimNext("day", followUps, LEASE))
          .get()
          .extracting(Task::id)
          .isEqualTo(first.id());
      assertThat(queue.claimNext("day", followUps, LEASE)).as("only ordinary work left").isEmpty();

      Task still = queue.get(ordinary.id()).orElseThrow();
      assertThat(still.status()).isEqualTo(TaskStatus.PENDING);
      assertThat(still.attempts()).isZero();
      assertThat(queue.events(ordinary.id()))
          .extracting(TaskEvent::type)
          .containsExactly(TaskEventType.ENQUEUED);
      assertThat(queue.claimNext("night", ClaimFilter.any(), LEASE))
          .get()
          .extracting(Task::id)
          .isEqualTo(ordinary.id());
    }

    @Test
    void theWorkersLabelsStillApplyToTasksCarryingTheFact() {
      followUp("needs a mac", "os:macos");
      Task mine = followUp("anyone");

      ClaimFilter linux = followUps.withLabels(Set.of("os:linux"));
      assertThat(queue.claimNext("linux", linux, LEASE))
          .get()
          .extracting(Task::id)
          .isEqualTo(mine.id());
      assertThat(queue.claimNext("linux", linux, LEASE)).isEmpty();
      assertThat(queue.claimNext("mac", followUps.withLabels(Set.of("os:macos")), LEASE))
          .isPresent();
    }

    @Test
    void anUnfilteredClaimTakesWhatTheOthersWouldInTheSameOrder() {
      Task a = enqueue("a");
      clock.advance(Duration.ofSeconds(1));
      Task b = followUp("b");

      assertThat(queue.claimNext("w", ClaimFilter.any(), LEASE))
          .get()
          .extracting(Task::id)
          .isEqualTo(a.id());
      assertThat(queue.claimNext("w", ClaimFilter.any(), LEASE))
          .get()
          .extracting(Task::id)
          .isEqualTo(b.id());
    }
  }
}
