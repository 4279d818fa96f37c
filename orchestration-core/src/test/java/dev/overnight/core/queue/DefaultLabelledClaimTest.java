package dev.overnight.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.fakes.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The default labelled claim, for queues that know no labels: never a wrong task. */
class DefaultLabelledClaimTest {
  private static final Duration LEASE = Duration.ofMinutes(5);

  private final InMemoryTaskQueue inner =
      InMemoryTaskQueue.create(new ManualTimeSource(Instant.parse("2026-12-06T22:00:00Z")));

  /** Forwards everything but the labelled claim, so the interface's default answers it. */
  private final TaskQueue unaware = new ForwardingTaskQueue(inner);

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
