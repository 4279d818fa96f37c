package dev.overnight.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.Subscription;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.fakes.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The default labelled claim, for queues that know no labels: never a wrong task. */
class DefaultLabelledClaimTest {
  private static final Duration LEASE = Duration.ofMinutes(5);

  private final InMemoryTaskQueue inner =
      InMemoryTaskQueue.create(new ManualTimeSource(Instant.parse("2026-12-06T22:00:00Z")));

  /** Forwards everything but the labelled claim, so the interface's default answers it. */
  private final TaskQueue unaware =
      new TaskQueue() {
        @Override
        public EnqueueResult enqueue(TaskSpec spec) {
          return inner.enqueue(spec);
        }

        @Override
        public Optional<Task> claimNext(String workerId, Duration lease) {
          return inner.claimNext(workerId, lease);
        }

        @Override
        public Task heartbeat(TaskId id, String workerId, Duration lease) {
          return inner.heartbeat(id, workerId, lease);
        }

        @Override
        public Task annotate(TaskId id, String workerId, Map<String, String> metadata) {
          return inner.annotate(id, workerId, metadata);
        }

        @Override
        public Task complete(
            TaskId id, String workerId, String summary, Map<String, String> metadata) {
          return inner.complete(id, workerId, summary, metadata);
        }

        @Override
        public Task fail(TaskId id, String workerId, String reason, Retry retry) {
          return inner.fail(id, workerId, reason, retry);
        }

        @Override
        public Task cancel(TaskId id, String actor, String reason) {
          return inner.cancel(id, actor, reason);
        }

        @Override
        public Task retry(TaskId id, String actor, String reason) {
          return inner.retry(id, actor, reason);
        }

        @Override
        public List<Task> recoverExpiredLeases() {
          return inner.recoverExpiredLeases();
        }

        @Override
        public Optional<Task> get(TaskId id) {
          return inner.get(id);
        }

        @Override
        public Page<Task> list(TaskFilter filter) {
          return inner.list(filter);
        }

        @Override
        public List<TaskEvent> events(TaskId id) {
          return inner.events(id);
        }

        @Override
        public int purge(Instant finishedBefore) {
          return inner.purge(finishedBefore);
        }

        @Override
        public Subscription subscribe(Consumer<TaskEvent> listener) {
          return inner.subscribe(listener);
        }

        @Override
        public void close() {
          inner.close();
        }
      };

  @Test
  void aTaskForAnotherWorkerIsGivenBackUntouchedAndNothingIsClaimed() {
    Task forMac =
        unaware
            .enqueue(TaskSpec.builder("mac work").requiredLabels(List.of("os:macos")).build())
            .task();

    assertThat(unaware.claimNext("linux", Set.of("os:linux"), LEASE)).isEmpty();

    Task after = unaware.get(forMac.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(after.attempts()).as("a release counts no attempt").isZero();
    assertThat(unaware.claimNext("mac", Set.of("os:macos"), LEASE))
        .get()
        .extracting(Task::id)
        .isEqualTo(forMac.id());
  }

  @Test
  void aTaskRequiringNothingIsClaimedAsUsual() {
    Task any = unaware.enqueue(TaskSpec.builder("any work").build()).task();
    assertThat(unaware.claimNext("linux", Set.of(), LEASE))
        .get()
        .extracting(Task::id)
        .isEqualTo(any.id());
  }
}
