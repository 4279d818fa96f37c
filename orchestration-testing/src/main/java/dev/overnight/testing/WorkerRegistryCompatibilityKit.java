package dev.overnight.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.fleet.WorkerState;
import dev.overnight.api.queue.TaskId;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link WorkerRegistry} that keeps workers must keep, as one JUnit 5 suite:
 * extend it and implement {@link #createRegistry()}. A worker recorded is read back whole (labels,
 * state, unmet constraints, current tasks, times to the millisecond); recording it again replaces
 * it; workers are listed by name, then id.
 *
 * @since 0.1.0
 */
public abstract class WorkerRegistryCompatibilityKit {
  private static final Instant START = Instant.parse("2026-12-06T22:00:00Z");

  /** The registry under test. */
  protected WorkerRegistry registry;

  /** Returns an empty registry; called once per test. */
  protected abstract WorkerRegistry createRegistry();

  @BeforeEach
  void openRegistry() {
    registry = createRegistry();
  }

  private static WorkerInfo worker(String id, String name, WorkerState state) {
    return new WorkerInfo(
        id,
        name,
        Set.of("os:linux", "agent:codex", "repo:github.com/acme/shop", "worker:" + id),
        state,
        List.of(),
        START.plusMillis(1500),
        START);
  }

  @Test
  void anEmptyRegistryKnowsNoWorker() {
    assertThat(registry.workers()).isEmpty();
    assertThat(registry.worker("nobody")).isEmpty();
  }

  @Test
  void aRecordedWorkerIsReadBackWhole() {
    TaskId a = TaskId.random();
    TaskId b = TaskId.random();
    WorkerInfo running =
        new WorkerInfo(
            "box-1",
            "build box",
            Set.of("os:linux", "gpu", "worker:box-1"),
            WorkerState.running(),
            List.of(a, b),
            START.plusMillis(1234),
            START);

    registry.record(running);

    assertThat(registry.workers()).containsExactly(running);
    assertThat(registry.worker("box-1")).contains(running);
  }

  @Test
  void recordingAgainReplacesTheWorkersStateAndHeartbeat() {
    registry.record(worker("mini-1", "mac mini", WorkerState.waitingForWindow()));
    WorkerInfo held =
        worker("mini-1", "mac mini", WorkerState.waitingForWindow())
            .with(
                WorkerState.constraintsUnmet(
                    List.of("plugged_in: on battery", "wifi_only: on a wired link")),
                List.of(),
                START.plusSeconds(60));

    registry.record(held);

    assertThat(registry.workers()).containsExactly(held);
    assertThat(registry.worker("mini-1").orElseThrow().state().unmet())
        .containsExactly("plugged_in: on battery", "wifi_only: on a wired link");
  }

  @Test
  void workersAreListedByNameThenId() {
    WorkerInfo laptopB = worker("b", "laptop", WorkerState.idle());
    WorkerInfo laptopA = worker("a", "laptop", WorkerState.stopping());
    WorkerInfo box = worker("z", "build box", WorkerState.running());
    registry.record(laptopB);
    registry.record(box);
    registry.record(laptopA);

    assertThat(registry.workers()).containsExactly(box, laptopA, laptopB);
  }
}
