package dev.overnight.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.fleet.WorkerState;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import dev.overnight.core.secrets.Redactor;
import dev.overnight.fakes.ManualTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Empty nights found in a schedule's history, on virtual time. */
class NightAlarmsTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** 23:30 in Berlin on Monday 8 June: a wake late in the evening. */
  private static final Instant MONDAY = Instant.parse("2026-06-08T21:30:00Z");

  private final ManualTimeSource time = new ManualTimeSource(MONDAY);
  private final InMemoryTaskQueue queue = InMemoryTaskQueue.create(time);
  private final List<CycleRecord> history = new ArrayList<>();

  /** A wake on night {@code n} (0 = Monday's), at 23:30 and again at 01:30 after midnight. */
  private Instant wake(int n, boolean afterMidnight) {
    return MONDAY.plus(Duration.ofDays(n)).plus(Duration.ofHours(afterMidnight ? 2 : 0));
  }

  private void fired(int n, boolean afterMidnight) {
    Instant at = wake(n, afterMidnight);
    history.add(
        new CycleRecord(
            "cycle-" + history.size(),
            "nightly",
            at,
            Optional.of(at),
            Optional.of(at.plus(Duration.ofMinutes(20))),
            CycleOutcome.COMPLETED,
            Optional.empty(),
            List.of(),
            false));
  }

  private void idle(int n, WakeReason why) {
    Instant at = wake(n, false);
    history.add(
        new CycleRecord(
                "cycle-" + history.size(),
                "nightly",
                at,
                Optional.of(at),
                Optional.of(at.plusSeconds(5)),
                CycleOutcome.COMPLETED,
                Optional.empty(),
                List.of(),
                false)
            .withReceipt(WakeReceipt.skipped(why, why.words())));
  }

  private void asleep(int n) {
    Instant at = wake(n, true);
    history.add(
        new CycleRecord(
            "skip-" + at,
            "nightly",
            at,
            Optional.empty(),
            Optional.empty(),
            CycleOutcome.SKIPPED,
            Optional.of(SkipReason.MACHINE_ASLEEP),
            List.of("the wall clock passed it by 3 h (asleep?)"),
            false));
  }

  /** A task that runs during night {@code n}'s first wake and completes with these facts. */
  private void completes(int n, Map<String, String> facts) {
    time.setWallClock(wake(n, false).plus(Duration.ofMinutes(10)));
    Task t = queue.enqueue(TaskSpec.builder("Work of night " + n).build()).task();
    queue.claimNext("w", Duration.ofMinutes(5)).orElseThrow();
    queue.complete(t.id(), "w", "done", facts);
  }

  private void fails(int n) {
    time.setWallClock(wake(n, false).plus(Duration.ofMinutes(10)));
    Task t = queue.enqueue(TaskSpec.builder("Failing work of night " + n).build()).task();
    queue.claimNext("w", Duration.ofMinutes(5)).orElseThrow();
    queue.fail(t.id(), "w", "the agent stopped: refusal", Retry.NEVER);
  }

  private List<NightAlarm> alarms(int k) {
    return NightAlarms.of(history, queue.list(TaskFilter.all()).items(), BERLIN, k);
  }

  private static Map<String, String> unchanged() {
    return Map.of(
        TaskFacts.NO_CHANGE.key(),
            "the branch changes nothing after 1 turn, 0 tool calls (0 edits)",
        TaskFacts.FILES_CHANGED.key(), "0");
  }

  private static Map<String, String> changed() {
    return Map.of(TaskFacts.FILES_CHANGED.key(), "2");
  }

  @Test
  void threeNightsThatFiredWithoutAChangeRaiseTheAlarmAndOneChangeEndsIt() {
    fired(0, false);
    completes(0, changed());
    for (int n = 1; n <= 3; n++) {
      fired(n, false);
      fired(n, true); // after midnight: the same night
      if (n == 1) {
        completes(n, unchanged());
      } else if (n == 2) {
        fails(n);
      }
    }

    assertThat(alarms(3))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo(NightAlarm.Kind.NO_CHANGE);
              assertThat(a.nights())
                  .containsExactly(
                      LocalDate.parse("2026-06-09"),
                      LocalDate.parse("2026-06-10"),
                      LocalDate.parse("2026-06-11"));
              assertThat(a.message())
                  .isEqualTo(
                      "The schedule fired on each of the last 3 nights (the nights of 2026-06-09"
                          + " to 2026-06-11) without producing a change: 1 completed with no"
                          + " change, 1 failed, of 2 tasks.");
            });
    assertThat(alarms(4)).as("Monday's night produced a change").isEmpty();

    fired(4, false);
    completes(4, changed());
    assertThat(alarms(3)).isEmpty();
  }

  @Test
  void threeDueNightsOnWhichNoWakeFiredRaiseTheOtherAlarmWithTheReasons() {
    fired(0, false);
    idle(1, WakeReason.NO_WORK);
    asleep(1);
    idle(2, WakeReason.AGENT_PARKED);
    asleep(3);
    // Nights without a due wake (a weekend) neither count nor break the row.
    asleep(6);

    List<NightAlarm> found = alarms(3);
    assertThat(found)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo(NightAlarm.Kind.NEVER_FIRED);
              assertThat(a.nights())
                  .containsExactly(
                      LocalDate.parse("2026-06-10"),
                      LocalDate.parse("2026-06-11"),
                      LocalDate.parse("2026-06-14"));
              assertThat(a.message())
                  .isEqualTo(
                      "No wake fired on the last 3 nights it was due (the nights of 2026-06-10 to"
                          + " 2026-06-14): machine asleep ×2, agent parked.");
            });
    assertThat(alarms(5)).as("Monday's night fired").isEmpty();
    assertThat(alarms(10)).as("fewer nights known than K").isEmpty();
  }

  @Test
  void theMorningReportLooksBackKNightsForItsAlarm(@TempDir Path reports) throws Exception {
    TransientSchedulerStateStore store = new TransientSchedulerStateStore();
    for (int n = 0; n < 4; n++) {
      fired(n, false);
      completes(n, unchanged());
    }
    history.forEach(store::record);
    time.setWallClock(wake(3, true));
    ReportWriter writer =
        new ReportWriter(
            "nightly",
            queue,
            Optional.of(store),
            BERLIN,
            reports,
            Redactor.forEnvironment(Map.of()),
            4);

    Path written = writer.write(time.instant());

    MorningReport report = writer.build(time.instant());
    assertThat(report.tasks()).as("the report's own day").hasSize(1);
    assertThat(report.alarms())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo(NightAlarm.Kind.NO_CHANGE);
              assertThat(a.message()).contains("4 completed with no change, 0 failed, of 4 tasks");
            });
    assertThat(Files.readString(written)).contains("> **Alarm:** The schedule fired on each");
  }

  @Test
  void theStoreReadingFindsTheSameAlarm() {
    TransientSchedulerStateStore store = new TransientSchedulerStateStore();
    asleep(0);
    asleep(1);
    history.forEach(store::record);

    assertThat(NightAlarms.read(queue, store, "nightly", BERLIN, 2))
        .extracting(NightAlarm::kind)
        .containsExactly(NightAlarm.Kind.NEVER_FIRED);
    assertThat(NightAlarms.read(queue, store, "other", BERLIN, 2)).isEmpty();
  }

  @Test
  void onAQueueMachinesShareOnlyThisWorkersTasksCountAndItsReportShowsOnlyThem(
      @TempDir Path reports) {
    TransientSchedulerStateStore store = new TransientSchedulerStateStore();
    for (int n = 0; n < 2; n++) {
      fired(n, false);
      completes(n, unchanged());
      // Another machine's change the same night: not this machine's work.
      Task theirs = queue.enqueue(TaskSpec.builder("Their work of night " + n).build()).task();
      queue.claimNext("build-box-1", Duration.ofMinutes(5)).orElseThrow();
      queue.complete(theirs.id(), "build-box-1", "done", changed());
    }
    history.forEach(store::record);
    time.setWallClock(wake(1, true));
    List<WorkerInfo> fleet =
        List.of(
            worker("w", "mac-mini"),
            worker("build-box-1", "build-box"),
            worker("laptop-1", "laptop"));
    ReportWriter writer =
        new ReportWriter(
                "nightly",
                queue,
                Optional.of(store),
                BERLIN,
                reports,
                Redactor.forEnvironment(Map.of()),
                2)
            .ofWorker("w", registry(fleet));

    assertThat(NightAlarms.read(queue, store, "nightly", BERLIN, 2))
        .as("every task of the queue: the other machine's change silences the alarm")
        .isEmpty();
    assertThat(NightAlarms.read(queue, store, "nightly", Optional.of("w"), BERLIN, 2))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo(NightAlarm.Kind.NO_CHANGE);
              assertThat(a.message()).contains("2 completed with no change, 0 failed, of 2 tasks");
            });
    MorningReport report = writer.build(time.instant());
    assertThat(report.tasks())
        .as("the report's own day")
        .extracting(Task::title)
        .containsExactly("Work of night 1");
    assertThat(report.alarms())
        .extracting(NightAlarm::kind)
        .containsExactly(NightAlarm.Kind.NO_CHANGE);
    assertThat(report.fleet())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.machine()).isEqualTo("build-box");
              assertThat(m.words()).isEqualTo("1 completed");
            });
    assertThat(report.markdown())
        .contains("**1 completed (1 with no change), 0 failed")
        .contains("The rest of the fleet: build-box 1 completed.")
        .doesNotContain("Their work")
        .doesNotContain("laptop");
  }

  private static WorkerInfo worker(String id, String name) {
    return new WorkerInfo(
        id, name, Set.of(), WorkerState.idle(), List.of(), MONDAY, MONDAY.minusSeconds(60));
  }

  private static WorkerRegistry registry(List<WorkerInfo> workers) {
    return new WorkerRegistry() {
      @Override
      public void record(WorkerInfo worker) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<WorkerInfo> workers() {
        return workers;
      }
    };
  }
}
