package dev.overnight.server;

import static dev.overnight.server.Fixtures.NOW;
import static dev.overnight.server.Fixtures.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.Subscription;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.schedule.Scheduler;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerListener;
import dev.overnight.api.schedule.SchedulerMetrics;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.core.coordinator.AttemptOutcome;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.queue.InMemoryTaskQueue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InMemoryDashboardBackendTest {
  private final InMemoryTaskQueue queue = InMemoryTaskQueue.builder(Fixtures.CLOCK).build();

  @Test
  void sessionsAndTheirHistoryAreBoundedAndFinishedOnesGoFirst() {
    InMemoryDashboardBackend backend =
        InMemoryDashboardBackend.builder(queue)
            .clock(Fixtures.CLOCK)
            .maxSessions(2)
            .sessionHistory(3)
            .recentHistory(4)
            .build();
    for (int i = 1; i <= 5; i++) {
      backend.onSessionEvent(message("s1", i, "s1 chunk " + i));
    }
    backend.onSessionEvent(message("s2", 6, "s2 chunk"));
    backend.endSession("s2");
    backend.onSessionEvent(message("s3", 7, "s3 chunk"));

    assertThat(backend.sessions())
        .extracting(SessionSummary::sessionId)
        .containsExactly("s3", "s1");
    assertThat(backend.sessionEvents("s1"))
        .extracting(SessionEvent::sequence)
        .containsExactly(3L, 4L, 5L);
    assertThat(backend.sessions().get(1).updates()).isEqualTo(5);
    assertThat(backend.recentSessionEvents(10))
        .extracting(SessionEvent::sequence)
        .containsExactly(4L, 5L, 6L, 7L);
    assertThat(backend.recentSessionEvents(2))
        .extracting(SessionEvent::sequence)
        .containsExactly(6L, 7L);
    assertThat(backend.sessionEvents("s2")).isEmpty();
  }

  @Test
  void aTaskStartLinksItsSessionAndItsEndMarksItFinished() {
    InMemoryDashboardBackend backend = InMemoryDashboardBackend.builder(queue).build();
    Task task = queue.enqueue(TaskSpec.builder("Write docs").build()).task();
    backend.onCoordinatorEvent(
        new CoordinatorEvent.TaskStarted(NOW, task, "gemini", "overnight/write-docs", "sess"));
    SessionSummary started = backend.sessions().get(0);
    assertThat(started.taskId()).hasValue(task.id());
    assertThat(started.title()).hasValue("Write docs");
    assertThat(started.agentId()).isEqualTo("gemini");
    assertThat(started.active()).isTrue();
    backend.onCoordinatorEvent(
        new CoordinatorEvent.TaskEnded(NOW, task, AttemptOutcome.COMPLETED, "", Optional.empty()));
    assertThat(backend.sessions().get(0).active()).isFalse();
  }

  @Test
  void aFailingListenerDoesNotStopTheOthers() {
    InMemoryDashboardBackend backend = InMemoryDashboardBackend.builder(queue).build();
    List<Long> seen = new ArrayList<>();
    backend.subscribeSessions(
        e -> {
          throw new IllegalStateException("broken listener");
        });
    Subscription good = backend.subscribeSessions(e -> seen.add(e.sequence()));
    backend.onSessionEvent(message("s", 1, "one"));
    good.close();
    backend.onSessionEvent(message("s", 2, "two"));
    assertThat(seen).containsExactly(1L);
  }

  @Test
  void withoutASchedulerPauseAndResumeActOnTheMirrorAndAreAnnounced() {
    InMemoryDashboardBackend backend =
        InMemoryDashboardBackend.builder(queue).clock(Fixtures.CLOCK).build();
    List<SchedulerEvent> events = new ArrayList<>();
    backend.subscribeScheduler(events::add);
    backend.onSchedulerEvent(
        new SchedulerEvent.StateChanged(
            NOW, new SchedulerState.Idle(), new SchedulerState.Running(NOW.plusSeconds(60))));
    backend.pause("maintenance");
    assertThat(backend.status().state()).isEqualTo(new SchedulerState.Paused("maintenance", NOW));
    assertThat(backend.status().nextWake()).isEmpty();
    backend.pause("again");
    backend.resume();
    assertThat(backend.status().state()).isEqualTo(new SchedulerState.Running(NOW.plusSeconds(60)));
    assertThat(backend.status().nextWake()).hasValue(NOW.plusSeconds(60));
    assertThat(events)
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("StateChanged", "StateChanged", "Paused", "StateChanged", "Resumed");
    assertThat(backend.controlLog()).containsExactly("pause maintenance", "pause again", "resume");
  }

  @Test
  void aRealSchedulerIsReadAndControlled() {
    RecordingScheduler scheduler = new RecordingScheduler();
    InMemoryDashboardBackend backend =
        InMemoryDashboardBackend.builder(queue).scheduler(scheduler).build();
    assertThat(backend.status().state()).isEqualTo(new SchedulerState.Running(NOW));
    assertThat(backend.status().nextWake()).hasValue(NOW);
    assertThat(backend.status().metrics().cycleCount()).isEqualTo(7);

    scheduler.emit(
        new SchedulerEvent.ConstraintsChecked(
            NOW, Map.of("wifi_only", ConstraintResult.unsatisfied("on Ethernet")), false));
    assertThat(backend.status().constraints())
        .containsEntry("wifi_only", ConstraintResult.unsatisfied("on Ethernet"));

    assertThat(backend.runNow()).isFalse();
    backend.pause("late meeting");
    backend.resume();
    assertThat(scheduler.calls).containsExactly("runNow", "pause late meeting", "resume");
  }

  @Test
  void hooksReplaceTheDefaultControls() {
    List<String> calls = new ArrayList<>();
    InMemoryDashboardBackend backend =
        InMemoryDashboardBackend.builder(queue)
            .onRunNow(
                () -> {
                  calls.add("run");
                  return false;
                })
            .onPause(r -> calls.add("pause " + r))
            .onResume(() -> calls.add("resume"))
            .build();
    assertThat(backend.runNow()).isFalse();
    backend.pause("x");
    backend.resume();
    assertThat(calls).containsExactly("run", "pause x", "resume");
    assertThat(backend.status().state()).isEqualTo(new SchedulerState.Idle());
  }

  @Test
  void reportsAreReadFromTheirFolderOnly(@TempDir Path dir) throws IOException {
    Path reports = Files.createDirectory(dir.resolve("reports"));
    Files.writeString(reports.resolve("night-2026-11-24.md"), "# 24th");
    Files.setLastModifiedTime(
        reports.resolve("night-2026-11-24.md"),
        java.nio.file.attribute.FileTime.from(Instant.parse("2026-11-24T07:00:00Z")));
    Files.writeString(reports.resolve("night-2026-11-25.md"), "# 25th");
    Files.writeString(dir.resolve("private.md"), "not a report");
    Files.createSymbolicLink(reports.resolve("escape.md"), dir.resolve("private.md"));
    InMemoryDashboardBackend backend =
        InMemoryDashboardBackend.builder(queue).reportsDirectory(reports).build();

    assertThat(backend.reports())
        .extracting(ReportFile::name)
        .startsWith("night-2026-11-25.md")
        .contains("night-2026-11-24.md");
    assertThat(backend.readReport("night-2026-11-24.md")).hasValue("# 24th");
    assertThat(backend.readReport("escape.md")).isEmpty();
    assertThat(backend.readReport("../private.md")).isEmpty();
    assertThat(backend.readReport("night.txt")).isEmpty();
    assertThat(InMemoryDashboardBackend.builder(queue).build().reports()).isEmpty();
    assertThat(
            InMemoryDashboardBackend.builder(queue)
                .reportsDirectory(dir.resolve("not-yet"))
                .build()
                .reports())
        .isEmpty();
  }

  /** A scheduler that answers from fixed values and records the controls it receives. */
  private static final class RecordingScheduler implements Scheduler {
    final List<String> calls = new ArrayList<>();
    final List<SchedulerListener> listeners = new CopyOnWriteArrayList<>();

    void emit(SchedulerEvent event) {
      listeners.forEach(l -> l.onEvent(event));
    }

    @Override
    public void start() {}

    @Override
    public void stop() {}

    @Override
    public SchedulerState state() {
      return new SchedulerState.Running(NOW);
    }

    @Override
    public SchedulerMetrics metrics() {
      return new SchedulerMetrics(
          7, "running", Optional.empty(), OptionalLong.empty(), Map.of(), Duration.ZERO);
    }

    @Override
    public Optional<Instant> nextWake() {
      return Optional.of(NOW);
    }

    @Override
    public boolean runNow() {
      calls.add("runNow");
      return false;
    }

    @Override
    public void pause(String reason) {
      calls.add("pause " + reason);
    }

    @Override
    public void resume() {
      calls.add("resume");
    }

    @Override
    public Subscription subscribe(SchedulerListener listener) {
      listeners.add(listener);
      return () -> listeners.remove(listener);
    }

    @Override
    public void close() {}
  }
}
