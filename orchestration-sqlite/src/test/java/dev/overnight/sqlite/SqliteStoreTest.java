package dev.overnight.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.fakes.ManualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One file as the whole memory of a night: what survives a restart, and who closes what. */
class SqliteStoreTest {

  private static final Instant NIGHT = Instant.parse("2026-11-25T23:00:00Z");

  @TempDir Path dir;

  @Test
  void tasksHistoryAndSchedulerStateSurviveARestart() {
    Path file = dir.resolve("night.db");
    ManualTimeSource clock = new ManualTimeSource(NIGHT);
    TaskId claimedId;
    TaskId doneId;
    SchedulerSnapshot snapshot =
        new SchedulerSnapshot(
            "nightly",
            Optional.of(NIGHT),
            Optional.of(NIGHT),
            Optional.of(NIGHT.plus(Duration.ofDays(1))),
            true,
            7,
            NIGHT);
    CycleRecord cycle =
        new CycleRecord(
            "cycle-1",
            "nightly",
            NIGHT,
            Optional.of(NIGHT),
            Optional.empty(),
            CycleOutcome.COMPLETED,
            Optional.empty(),
            List.of("running"),
            false);
    try (SqliteStore store = SqliteStore.builder(file).clock(clock).build()) {
      var queue = store.taskQueue();
      doneId = queue.enqueue(TaskSpec.builder("finished before the restart").build()).task().id();
      claimedId = queue.enqueue(TaskSpec.builder("running at the restart").build()).task().id();
      queue.enqueue(
          TaskSpec.builder("still waiting")
              .priority(dev.overnight.api.queue.TaskPriority.LOW)
              .build());
      queue.claimNext("w1", Duration.ofMinutes(5));
      queue.complete(doneId, "w1", "done", Map.of("branch", "overnight/a"));
      queue.claimNext("w1", Duration.ofMinutes(5));
      store.schedulerStateStore().save(snapshot);
      store.schedulerStateStore().record(cycle);
    }

    clock.advance(Duration.ofMinutes(10));
    try (SqliteStore store = SqliteStore.builder(file).clock(clock).build()) {
      var queue = store.taskQueue();
      assertThat(queue.get(doneId).orElseThrow().metadata()).containsEntry("branch", "overnight/a");
      assertThat(queue.events(doneId))
          .extracting(e -> e.type())
          .containsExactly(TaskEventType.ENQUEUED, TaskEventType.CLAIMED, TaskEventType.COMPLETED);
      assertThat(queue.get(claimedId).orElseThrow().status()).isEqualTo(TaskStatus.IN_PROGRESS);
      assertThat(queue.recoverExpiredLeases()).extracting(Task::id).containsExactly(claimedId);
      assertThat(queue.claimNext("w2", Duration.ofMinutes(5)).orElseThrow().id())
          .isEqualTo(claimedId);
      assertThat(store.schedulerStateStore().load("nightly")).contains(snapshot);
      assertThat(store.schedulerStateStore().recentCycles("nightly", 5)).containsExactly(cycle);
    }
  }

  @Test
  void closingTheQueueLeavesTheStoreOpenAndClosingTheStoreClosesBoth() {
    SqliteStore store = SqliteStore.open(dir.resolve("shared.db"));
    store.taskQueue().enqueue(TaskSpec.builder("x").build());

    store.taskQueue().close();
    assertThatThrownBy(() -> store.taskQueue().list(TaskFilter.all()))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining("closed");
    assertThat(store.schedulerStateStore().load("nightly")).isEmpty();

    store.close();
    assertThatThrownBy(() -> store.schedulerStateStore().load("nightly"))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining("shared.db")
        .hasMessageContaining("closed");
    store.close();
  }

  @Test
  void aStandaloneQueueClosesItsFile() {
    Path file = dir.resolve("alone.db");
    SqliteTaskQueue queue = SqliteTaskQueue.builder(file).syncEveryCommit(true).build();
    queue.enqueue(TaskSpec.builder("x").build());
    queue.close();
    assertThatThrownBy(() -> queue.claimNext("w", Duration.ofMinutes(1)))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining("alone.db");
    // The file is free again: another queue opens it and sees the task.
    try (SqliteTaskQueue again = SqliteTaskQueue.builder(file).build()) {
      assertThat(again.list(TaskFilter.all()).total()).isEqualTo(1);
    }
  }

  @Test
  void theDefaultClockIsTheSystemClock() {
    Instant before = Instant.now().minusSeconds(1);
    try (SqliteTaskQueue queue = SqliteTaskQueue.builder(dir.resolve("clock.db")).build()) {
      Task task = queue.enqueue(TaskSpec.builder("now").build()).task();
      assertThat(task.createdAt()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
      assertThat(task.maxAttempts()).isEqualTo(3);
    }
  }

  @Test
  void buildersRejectNonsense() {
    assertThatThrownBy(() -> SqliteStore.builder(dir.resolve("x.db")).defaultMaxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> SqliteStore.builder(dir.resolve("x.db")).busyTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void twoConnectionsInOneProcessNeverClaimTheSameTask() throws Exception {
    Path file = dir.resolve("two.db");
    int tasks = 600;
    try (SqliteTaskQueue a = SqliteTaskQueue.builder(file).build();
        SqliteTaskQueue b = SqliteTaskQueue.builder(file).build()) {
      a.enqueueAll(
          IntStream.range(0, tasks).mapToObj(i -> TaskSpec.builder("task " + i).build()).toList());
      Set<TaskId> claimed = ConcurrentHashMap.newKeySet();
      List<TaskId> twice = new java.util.concurrent.CopyOnWriteArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
          SqliteTaskQueue queue = w % 2 == 0 ? a : b;
          String worker = "worker-" + w;
          workers.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (Optional<Task> t = queue.claimNext(worker, Duration.ofMinutes(5));
                        t.isPresent();
                        t = queue.claimNext(worker, Duration.ofMinutes(5))) {
                      if (!claimed.add(t.get().id())) {
                        twice.add(t.get().id());
                      }
                      queue.complete(t.get().id(), worker, "ok", Map.of());
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> f : workers) {
          f.get(110, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(twice).isEmpty();
      assertThat(claimed).hasSize(tasks);
      assertThat(b.list(TaskFilter.withStatus(TaskStatus.COMPLETED)).total()).isEqualTo(tasks);
    }
  }

  @Test
  void leasesRunOnTheLeaseClockWhileTaskTimesRunOnTheClock() {
    // A demonstration night 15 hours ahead of the machine's real time.
    ManualTimeSource night = new ManualTimeSource(NIGHT.plus(Duration.ofHours(15)));
    ManualTimeSource real = new ManualTimeSource(NIGHT);
    try (SqliteStore store =
        SqliteStore.builder(dir.resolve("night.db")).clock(night).leaseClock(real).build()) {
      var queue = store.taskQueue();
      queue.enqueue(TaskSpec.builder("work").build());

      Task claimed = queue.claimNext("w", Duration.ofMinutes(5)).orElseThrow();
      assertThat(claimed.leaseExpiresAt()).contains(NIGHT.plus(Duration.ofMinutes(5)));
      assertThat(claimed.startedAt()).contains(night.instant());

      night.advance(Duration.ofHours(1));
      assertThat(queue.recoverExpiredLeases()).isEmpty();
      real.advance(Duration.ofMinutes(4));
      Task renewed = queue.heartbeat(claimed.id(), "w", Duration.ofMinutes(5));
      assertThat(renewed.leaseExpiresAt()).contains(NIGHT.plus(Duration.ofMinutes(9)));
      assertThat(renewed.updatedAt()).isEqualTo(night.instant());

      real.advance(Duration.ofMinutes(5));
      assertThat(queue.recoverExpiredLeases()).extracting(Task::id).containsExactly(claimed.id());
    }
  }
}
