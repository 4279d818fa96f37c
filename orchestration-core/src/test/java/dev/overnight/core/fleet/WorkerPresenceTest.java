package dev.overnight.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.fleet.WorkerState;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.core.coordinator.AttemptOutcome;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.fakes.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerPresenceTest {
  private static final Instant START = Instant.parse("2026-12-06T23:00:00Z");

  private final ManualTimeSource time = new ManualTimeSource(START);
  private final List<WorkerInfo> recorded = new ArrayList<>();
  private final WorkerRegistry registry =
      new WorkerRegistry() {
        @Override
        public void record(WorkerInfo worker) {
          recorded.add(worker);
        }

        @Override
        public List<WorkerInfo> workers() {
          return recorded.isEmpty() ? List.of() : List.of(recorded.get(recorded.size() - 1));
        }
      };
  private final WorkerIdentity identity =
      WorkerIdentity.of(
          "box-1", "box", OsFamily.LINUX, List.of("codex"), Optional.empty(), List.of());
  private final WorkerPresence presence = new WorkerPresence(registry, () -> identity, time);

  private WorkerInfo last() {
    return recorded.get(recorded.size() - 1);
  }

  @Test
  void nothingIsRecordedBeforeStart() {
    presence.onSchedulerEvent(new SchedulerEvent.CycleStarted(START, "c1", START, false));
    assertThat(recorded).isEmpty();
  }

  @Test
  void aStartedWorkerRecordsItselfAndThenHeartbeatsEveryMinute() {
    presence.start();
    assertThat(last().id()).isEqualTo("box-1");
    assertThat(last().labels()).contains("agent:codex", "os:linux", "worker:box-1");
    assertThat(last().state()).isEqualTo(WorkerState.waitingForWindow());
    assertThat(last().startedAt()).isEqualTo(START);

    time.advance(Duration.ofMinutes(3));

    assertThat(recorded).hasSize(4);
    assertThat(last().lastHeartbeat()).isEqualTo(START.plus(Duration.ofMinutes(3)));
    assertThat(last().startedAt()).isEqualTo(START);
    assertThat(last().offlineAt(time.instant(), WorkerPresence.OFFLINE_AFTER)).isFalse();
    assertThat(
            last()
                .offlineAt(
                    time.instant().plus(Duration.ofMinutes(6)), WorkerPresence.OFFLINE_AFTER))
        .isTrue();
  }

  @Test
  void pausedForConstraintsItSaysWhichAreUnmet() {
    presence.start();
    presence.onSchedulerEvent(
        new SchedulerEvent.ConstraintsChecked(
            START,
            Map.of(
                "plugged_in", ConstraintResult.unsatisfied("on battery"),
                "wifi_only", ConstraintResult.satisfied("on Wi-Fi")),
            false));
    presence.onSchedulerEvent(
        new SchedulerEvent.Paused(START, "plugged_in: on battery", START.plusSeconds(60)));

    assertThat(last().state())
        .isEqualTo(WorkerState.constraintsUnmet(List.of("plugged_in: on battery")));

    presence.onSchedulerEvent(new SchedulerEvent.Resumed(START.plusSeconds(60)));
    assertThat(last().state()).isEqualTo(WorkerState.waitingForWindow());
  }

  @Test
  void inACycleItIsIdleUntilItRunsATaskAndShowsWhich() {
    Task task =
        InMemoryTaskQueue.builder(time).build().enqueue(TaskSpec.builder("work").build()).task();
    presence.start();
    presence.onCoordinatorEvent(
        new CoordinatorEvent.CycleBegan(START, "c1", START.plusSeconds(900)));
    assertThat(last().state()).isEqualTo(WorkerState.idle());

    presence.onCoordinatorEvent(
        new CoordinatorEvent.TaskStarted(START, task, "codex", "overnight/work", "s1"));
    assertThat(last().state()).isEqualTo(WorkerState.running());
    assertThat(last().currentTasks()).containsExactly(task.id());

    presence.onCoordinatorEvent(
        new CoordinatorEvent.TaskEnded(
            START, task, AttemptOutcome.COMPLETED, "", Optional.empty()));
    assertThat(last().state()).isEqualTo(WorkerState.idle());
    assertThat(last().currentTasks()).isEmpty();

    presence.onCoordinatorEvent(new CoordinatorEvent.CycleEnded(START, "c1", 1, Optional.empty()));
    assertThat(last().state()).isEqualTo(WorkerState.waitingForWindow());
  }

  @Test
  void aWakeSkippedWhileItsCycleWaitsForWorkLeavesItIdle() {
    presence.start();
    presence.onSchedulerEvent(new SchedulerEvent.CycleStarted(START, "c1", START, false));
    presence.onCoordinatorEvent(
        new CoordinatorEvent.CycleBegan(START, "c1", START.plusSeconds(7200)));
    // The next minute's wake finds the cycle still running and plans the one after.
    presence.onSchedulerEvent(
        new SchedulerEvent.StateChanged(
            START.plusSeconds(60),
            new SchedulerState.Running(START.plusSeconds(60)),
            new SchedulerState.Running(START.plusSeconds(120))));
    assertThat(last().state()).isEqualTo(WorkerState.idle());

    presence.onCoordinatorEvent(
        new CoordinatorEvent.CycleEnded(START.plusSeconds(90), "c1", 0, Optional.empty()));
    presence.onSchedulerEvent(
        new SchedulerEvent.StateChanged(
            START.plusSeconds(120),
            new SchedulerState.Running(START.plusSeconds(120)),
            new SchedulerState.Running(START.plusSeconds(180))));
    assertThat(last().state()).isEqualTo(WorkerState.waitingForWindow());
  }

  @Test
  void closingRecordsStoppingAndEndsTheHeartbeat() {
    presence.start();
    presence.close();
    assertThat(last().state()).isEqualTo(WorkerState.stopping());
    int count = recorded.size();

    time.advance(Duration.ofMinutes(10));
    presence.onSchedulerEvent(
        new SchedulerEvent.StateChanged(
            START, new SchedulerState.Idle(), new SchedulerState.Stopped()));

    assertThat(recorded).hasSize(count);
  }

  @Test
  void aFailingRegistryNeverStopsTheWorker() {
    WorkerPresence failing =
        new WorkerPresence(
            new WorkerRegistry() {
              @Override
              public void record(WorkerInfo worker) {
                throw new IllegalStateException("database down");
              }

              @Override
              public List<WorkerInfo> workers() {
                return List.of();
              }
            },
            () -> identity,
            time);
    failing.start();
    time.advance(Duration.ofMinutes(2));
    failing.onCoordinatorEvent(new CoordinatorEvent.CycleBegan(START, "c1", START));
    failing.close();
    assertThat(failing.current().state()).isEqualTo(WorkerState.stopping());
  }
}
