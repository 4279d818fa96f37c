package dev.overnight.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link SchedulerStateStore} must keep, as one JUnit 5 suite: extend it and
 * implement {@link #createStore()}.
 *
 * <p>It checks that snapshots round-trip and replace each other per scheduler, that the cycle
 * history is kept newest first, with a re-recorded cycle replaced in place (per scheduler: another
 * scheduler's cycle of the same id is a record of its own) and every wake's receipt kept, that
 * instants survive at least to the millisecond, and that the store lists the schedulers that use
 * it.
 *
 * @since 0.1.0
 */
public abstract class SchedulerStateStoreCompatibilityKit {

  private static final Instant T0 = Instant.parse("2026-11-25T22:00:00Z");

  /** The store under test. */
  protected SchedulerStateStore store;

  /** A fresh, empty store; called once per test. */
  protected abstract SchedulerStateStore createStore();

  @BeforeEach
  void openStore() {
    store = createStore();
  }

  /** The scheduler snapshot: saved, loaded and replaced per scheduler. */
  @Nested
  class Snapshots {
    @Test
    void aSchedulerWithNoSnapshotLoadsNothing() {
      assertThat(store.load("nightly")).isEmpty();
      assertThat(store.recentCycles("nightly", 10)).isEmpty();
    }

    @Test
    void aSnapshotRoundTripsWithEveryField() {
      SchedulerSnapshot full =
          new SchedulerSnapshot(
              "nightly",
              Optional.of(T0),
              Optional.of(T0.minusSeconds(5)),
              Optional.of(T0.plus(Duration.ofDays(1))),
              true,
              42,
              T0.plusMillis(1234));
      SchedulerSnapshot empty =
          new SchedulerSnapshot(
              "fresh", Optional.empty(), Optional.empty(), Optional.empty(), false, 0, T0);

      store.save(full);
      store.save(empty);

      assertThat(store.load("nightly")).contains(full);
      assertThat(store.load("fresh")).contains(empty);
    }

    @Test
    void savingAgainReplacesTheSnapshotOfThatSchedulerOnly() {
      store.save(snapshot("a", 1));
      store.save(snapshot("b", 1));
      store.save(snapshot("a", 2));

      assertThat(store.load("a").orElseThrow().cycleCount()).isEqualTo(2);
      assertThat(store.load("b").orElseThrow().cycleCount()).isEqualTo(1);
    }

    @Test
    void instantsSurviveAtLeastToTheMillisecond() {
      Instant precise = T0.plusNanos(123_456_789);
      store.save(
          new SchedulerSnapshot(
              "n", Optional.of(precise), Optional.empty(), Optional.empty(), false, 1, precise));

      Instant loaded = store.load("n").orElseThrow().savedAt();

      assertThat(loaded.truncatedTo(ChronoUnit.MILLIS))
          .isEqualTo(precise.truncatedTo(ChronoUnit.MILLIS));
      assertThat(loaded).isBeforeOrEqualTo(precise);
    }
  }

  /** Which schedulers use the store. */
  @Nested
  class Schedulers {
    @Test
    void everySchedulerWithASnapshotOrACycleIsListedOnceAndSorted() {
      assertThat(store.schedulerIds()).isEmpty();

      store.save(snapshot("nightly", 1));
      store.record(ran("c1", "weekend", T0));
      store.record(ran("c2", "nightly", T0));
      store.save(snapshot("nightly", 2));

      assertThat(store.schedulerIds()).containsExactly("nightly", "weekend");
    }
  }

  /** The cycle history: newest first, replaced by id, reasons kept. */
  @Nested
  class CycleHistory {
    @Test
    void cyclesComeBackNewestFirstAndLimited() {
      for (int i = 0; i < 5; i++) {
        store.record(ran("c" + i, "nightly", T0.plus(Duration.ofDays(i))));
      }
      store.record(ran("other", "weekly", T0.plus(Duration.ofDays(10))));

      assertThat(store.recentCycles("nightly", 3))
          .extracting(CycleRecord::cycleId)
          .containsExactly("c4", "c3", "c2");
      assertThat(store.recentCycles("nightly", 100)).hasSize(5);
      assertThat(store.recentCycles("weekly", 100))
          .extracting(CycleRecord::cycleId)
          .containsExactly("other");
      assertThat(store.recentCycles("nightly", 0)).isEmpty();
    }

    @Test
    void recordingACycleAgainReplacesIt() {
      CycleRecord started =
          new CycleRecord(
              "c1",
              "nightly",
              T0,
              Optional.of(T0.plusSeconds(3)),
              Optional.empty(),
              CycleOutcome.COMPLETED,
              Optional.empty(),
              List.of("running"),
              false);
      store.record(started);
      store.record(ran("c2", "nightly", T0.plus(Duration.ofDays(1))));
      CycleRecord finished =
          new CycleRecord(
              "c1",
              "nightly",
              T0,
              Optional.of(T0.plusSeconds(3)),
              Optional.of(T0.plusSeconds(3600)),
              CycleOutcome.FAILED,
              Optional.empty(),
              List.of("agent crashed — «codex» exited 137", "0 tasks run; none finished", ""),
              true);

      store.record(finished);

      assertThat(store.recentCycles("nightly", 10))
          .containsExactly(ran("c2", "nightly", T0.plus(Duration.ofDays(1))), finished);
    }

    @Test
    void schedulersRecordingTheSameCycleIdEachKeepTheirOwn() {
      // Each scheduler counts its cycles from its own start: two machines both run a "cycle-3".
      CycleRecord laptops = ran("cycle-3", "nightly@laptop", T0);
      CycleRecord buildBoxs =
          new CycleRecord(
              "cycle-3",
              "nightly@build-box",
              T0.plus(Duration.ofHours(1)),
              Optional.empty(),
              Optional.empty(),
              CycleOutcome.SKIPPED,
              Optional.of(SkipReason.CONSTRAINTS_UNSATISFIED),
              List.of("plugged_in: on battery"),
              false);

      store.record(laptops);
      store.record(buildBoxs);
      CycleRecord laptopsAgain = laptops.withReceipt(WakeReceipt.skipped(WakeReason.NO_WORK, ""));
      store.record(laptopsAgain);

      assertThat(store.recentCycles("nightly@laptop", 10)).containsExactly(laptopsAgain);
      assertThat(store.recentCycles("nightly@build-box", 10)).containsExactly(buildBoxs);
    }

    @Test
    void notesComeBackAsTheListTheyWere() {
      List<List<String>> cases =
          List.of(
              List.of(),
              List.of(""),
              List.of("one; with the old separator inside", "two"),
              List.of("line\nbreak", "«unicode» ✓", "\"quoted\""));
      for (int i = 0; i < cases.size(); i++) {
        store.record(
            new CycleRecord(
                "n" + i,
                "notes",
                T0.plusSeconds(i),
                Optional.of(T0.plusSeconds(i)),
                Optional.of(T0.plusSeconds(i + 1)),
                CycleOutcome.COMPLETED,
                Optional.empty(),
                cases.get(i),
                false));
      }
      List<CycleRecord> back = store.recentCycles("notes", 10);
      for (int i = 0; i < cases.size(); i++) {
        assertThat(back.get(cases.size() - 1 - i).notes()).isEqualTo(cases.get(i));
      }
    }

    @Test
    void aSkippedCycleKeepsItsReason() {
      CycleRecord skipped =
          new CycleRecord(
              "s1",
              "nightly",
              T0,
              Optional.empty(),
              Optional.empty(),
              CycleOutcome.SKIPPED,
              Optional.of(SkipReason.CONSTRAINTS_UNSATISFIED),
              List.of("plugged_in: on battery"),
              false);
      store.record(skipped);
      assertThat(store.recentCycles("nightly", 1)).containsExactly(skipped);
    }

    @Test
    void everyWakeReceiptComesBackAsItWasRecorded() {
      CycleRecord ranIdle =
          ran("idle", "nightly", T0)
              .withReceipt(
                  WakeReceipt.skipped(
                      WakeReason.NIGHT_LIMIT_REACHED,
                      "night limit reached (tokens 120000/100000)"));
      CycleRecord deferred =
          new CycleRecord(
              "late",
              "nightly",
              T0.plus(Duration.ofDays(1)),
              Optional.empty(),
              Optional.empty(),
              CycleOutcome.SKIPPED,
              Optional.of(SkipReason.MACHINE_ASLEEP),
              List.of("the wall clock passed it by 3 h (asleep?)"),
              false,
              WakeReceipt.deferred(
                  WakeReason.MACHINE_ASLEEP, "the wall clock passed it by 3 h (asleep?)"));
      CycleRecord fired = ran("worked", "nightly", T0.plus(Duration.ofDays(2)));
      CycleRecord noDetail =
          ran("empty", "nightly", T0.plus(Duration.ofDays(3)))
              .withReceipt(WakeReceipt.skipped(WakeReason.NO_WORK, ""));

      List.of(ranIdle, deferred, fired, noDetail).forEach(store::record);

      assertThat(store.recentCycles("nightly", 10))
          .containsExactly(noDetail, fired, deferred, ranIdle);
      assertThat(store.recentCycles("nightly", 10))
          .extracting(c -> c.receipt().words())
          .containsExactly(
              "skipped: no work",
              "fired",
              "deferred: machine asleep",
              "skipped: night limit reached");
    }

    @Test
    void cyclesPlannedForTheSameInstantKeepTheOrderTheyWereRecordedIn() {
      store.record(ran("first", "n", T0));
      store.record(ran("second", "n", T0));
      assertThat(store.recentCycles("n", 10))
          .extracting(CycleRecord::cycleId)
          .containsExactly("second", "first");
    }
  }

  /** The quota ledger: each agent's usage windows, replaced by agent and start. */
  @Nested
  class QuotaLedger {
    @Test
    void windowsRoundTripAndAreReplacedByAgentAndStart() {
      assertThat(store.quotaWindows()).isEmpty();
      QuotaWindow open =
          new QuotaWindow("codex", T0, Optional.empty(), 1200, OptionalLong.empty(), false);
      QuotaWindow spent =
          new QuotaWindow(
              "claude-code",
              T0,
              Optional.of(T0.plus(Duration.ofHours(5))),
              50_000,
              OptionalLong.of(50_000),
              true);
      store.saveQuotaWindow(open);
      store.saveQuotaWindow(spent);
      QuotaWindow later =
          new QuotaWindow("codex", T0, Optional.empty(), 4800, OptionalLong.empty(), false);
      store.saveQuotaWindow(later);
      QuotaWindow next =
          new QuotaWindow(
              "claude-code",
              T0.plus(Duration.ofHours(5)),
              Optional.of(T0.plus(Duration.ofHours(10))),
              0,
              OptionalLong.of(50_000),
              false);
      store.saveQuotaWindow(next);

      assertThat(store.quotaWindows()).containsExactly(spent, next, later);
    }
  }

  /** Several writers at once. */
  @Nested
  class Concurrency {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentWritersLoseNoCycle() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int thread = t;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 25; i++) {
                      store.record(ran("t" + thread + "-" + i, "n", T0.plusSeconds(i)));
                      store.save(snapshot("n", i));
                    }
                  }));
        }
        for (Future<?> f : done) {
          f.get(50, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(store.recentCycles("n", 1000)).hasSize(100);
      assertThat(store.load("n")).isPresent();
    }
  }

  private static SchedulerSnapshot snapshot(String id, long cycles) {
    return new SchedulerSnapshot(
        id, Optional.of(T0), Optional.of(T0), Optional.empty(), false, cycles, T0);
  }

  private static CycleRecord ran(String cycleId, String schedulerId, Instant plannedAt) {
    return new CycleRecord(
        cycleId,
        schedulerId,
        plannedAt,
        Optional.of(plannedAt.plusMillis(250)),
        Optional.of(plannedAt.plus(Duration.ofMinutes(30))),
        CycleOutcome.COMPLETED,
        Optional.empty(),
        List.of("2 tasks completed"),
        false);
  }
}
