package dev.overnight.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.Schedule;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.schedule.CycleContext;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerMetrics;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.schedule.SkipReason;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The original design's compressed overnight integration suite, on virtual time: a whole night in
 * milliseconds instead of minutes of real sleep, with exact assertions instead of ranges.
 */
class OvernightIntegrationTest {

  private static final Schedule NIGHTLY =
      Night.windowed("*/30 1-5 * * *", "01:00", "05:00").withJitterMs(300_000);

  /**
   * A whole night of {@code *&#47;30} in a 01:00–05:00 window with five minutes of jitter, on
   * battery until 02:10: constraint checking, window enforcement, jitter, sleep prevention, metrics
   * and the hand-off to the cycle callback, together.
   */
  @Test
  void compressedOvernightRun() {
    Night night = new Night("Europe/Berlin", "2026-06-09T21:00");
    SwitchableChecker power =
        new SwitchableChecker("plugged_in", ConstraintResult.unsatisfied("on battery (58%)"));
    night.time.schedule(
        night.at("2026-06-10T02:10"),
        () -> power.answer(ConstraintResult.satisfied("on AC power")));
    List<Integer> heldDuringCycles = new ArrayList<>();
    night.work =
        ctx -> {
          heldDuringCycles.add(night.keepAwake.heldNow());
          night.time.advance(Duration.ofMinutes(10));
        };
    DefaultScheduler scheduler =
        night
            .scheduler(NIGHTLY, night.gate(Night.pluggedIn(), power.provider()))
            .random(new SplittableRandom(42))
            .build();

    scheduler.start();
    night.advanceTo("2026-06-10T03:05");
    assertThat(scheduler.state()).isInstanceOf(SchedulerState.Running.class);
    night.advanceTo("2026-06-10T07:00");

    // Constraint checking: 01:00 and 01:30 were held back on battery until the next occurrence
    // came; 02:00 was held until the machine was plugged in at 02:10, then ran.
    assertThat(night.skips())
        .containsExactly(
            "2026-06-10T01:00+02:00 constraints_unsatisfied",
            "2026-06-10T01:30+02:00 constraints_unsatisfied");
    assertThat(night.events.events(SchedulerEvent.Paused.class))
        .singleElement()
        .satisfies(p -> assertThat(p.reason()).isEqualTo("plugged_in: on battery (58%)"));
    assertThat(night.events.events(SchedulerEvent.Resumed.class)).hasSize(1);
    assertThat(night.planned())
        .containsExactly(
            "2026-06-10T02:00+02:00",
            "2026-06-10T02:30+02:00",
            "2026-06-10T03:00+02:00",
            "2026-06-10T03:30+02:00",
            "2026-06-10T04:00+02:00",
            "2026-06-10T04:30+02:00");
    CycleContext held = night.cycles.get(0);
    assertThat(held.startedAt())
        .isBetween(night.at("2026-06-10T02:10"), night.at("2026-06-10T02:11"));

    // Window enforcement: every planned time lies in [01:00, 05:00).
    for (CycleContext c : night.cycles) {
      LocalTime local = ZonedDateTime.ofInstant(c.plannedAt(), night.zone).toLocalTime();
      assertThat(local).isBetween(LocalTime.of(1, 0), LocalTime.of(4, 59));
    }

    // Jitter: each on-time cycle started within five minutes after its cron time, not always
    // by the same amount.
    Set<Duration> offsets = new HashSet<>();
    for (CycleContext c : night.cycles.subList(1, night.cycles.size())) {
      Duration offset = Duration.between(c.plannedAt(), c.startedAt());
      assertThat(offset).isBetween(Duration.ZERO, Duration.ofMinutes(5));
      offsets.add(offset);
    }
    assertThat(offsets).hasSizeGreaterThan(1);

    // Sleep prevention: held during every cycle, released after each.
    assertThat(heldDuringCycles).containsOnly(1).hasSize(6);
    assertThat(night.keepAwake.acquisitions()).isEqualTo(6);
    assertThat(night.keepAwake.heldNow()).isZero();

    // Hand-off to the cycle callback: ids, budgets, plain (not catch-up) cycles.
    for (int i = 0; i < night.cycles.size(); i++) {
      CycleContext c = night.cycles.get(i);
      assertThat(c.cycleId()).isEqualTo("cycle-" + (i + 1));
      assertThat(c.deadline()).isEqualTo(c.startedAt().plus(Duration.ofMinutes(30)));
      assertThat(c.catchUp()).isFalse();
      assertThat(c.isCancelled()).isFalse();
    }

    // Metrics.
    Instant lastStart = night.cycles.get(5).startedAt();
    SchedulerMetrics m = scheduler.metrics();
    assertThat(m.cycleCount()).isEqualTo(6);
    assertThat(m.state()).isEqualTo("running");
    assertThat(m.lastRunTime()).contains(lastStart);
    assertThat(m.secondsSinceLastRun())
        .hasValue(Duration.between(lastStart, night.at("2026-06-10T07:00")).getSeconds());
    assertThat(m.skippedByReason())
        .containsExactly(Map.entry(SkipReason.CONSTRAINTS_UNSATISFIED, 2L));
    assertThat(m.totalCycleTime()).isEqualTo(Duration.ofMinutes(60));
    assertThat(m.toJson())
        .startsWith("{\"cycle_count\":6,\"state\":\"running\",\"last_run_time\":\"" + lastStart)
        .contains("\"skipped_by_reason\":{\"constraints_unsatisfied\":2}")
        .endsWith("\"total_cycle_time_ms\":3600000}");

    // The history a restarted daemon and the morning report read.
    assertThat(night.store.recentCycles("night", 100))
        .extracting(CycleRecord::outcome)
        .containsExactly(
            CycleOutcome.COMPLETED,
            CycleOutcome.COMPLETED,
            CycleOutcome.COMPLETED,
            CycleOutcome.COMPLETED,
            CycleOutcome.COMPLETED,
            CycleOutcome.COMPLETED,
            CycleOutcome.SKIPPED,
            CycleOutcome.SKIPPED);

    scheduler.stop();
    assertThat(scheduler.state()).isEqualTo(new SchedulerState.Stopped());
    assertThat(night.time.pending()).isZero();
  }

  @Test
  void constraintCheckingPreventsExecution() {
    Night night = new Night("Europe/Berlin", "2026-06-09T21:00");
    SwitchableChecker power =
        new SwitchableChecker("plugged_in", ConstraintResult.unsatisfied("on battery (40%)"));
    DefaultScheduler scheduler =
        night
            .scheduler(
                Night.windowed("*/30 1-5 * * *", "01:00", "05:00"),
                night.gate(Night.pluggedIn(), power.provider()))
            .build();
    scheduler.start();

    night.advanceTo("2026-06-10T03:10");
    assertThat(scheduler.state())
        .isEqualTo(
            new SchedulerState.Paused(
                "plugged_in: on battery (40%)", night.at("2026-06-10T03:11")));
    night.advanceTo("2026-06-10T07:00");

    assertThat(night.cycles).isEmpty();
    assertThat(night.skips())
        .hasSize(8)
        .allMatch(s -> s.endsWith("constraints_unsatisfied"))
        .last()
        .isEqualTo("2026-06-10T04:30+02:00 constraints_unsatisfied");
    // Checked at every minute from 01:00 to 04:59 while the window was open; at 05:00 the window
    // closed and the last occurrence was dropped without another check.
    assertThat(power.calls.get()).isEqualTo(4 * 60);
    assertThat(scheduler.state())
        .isEqualTo(new SchedulerState.Running(night.at("2026-06-11T01:00")));
    assertThat(night.keepAwake.acquisitions()).isZero();
  }

  @Test
  void timeWindowEnforcement() {
    Night night = new Night("America/New_York", "2026-06-09T22:00");
    DefaultScheduler scheduler =
        night.scheduler(Night.windowed("*/2 * * * *", "00:00", "01:00")).build();
    scheduler.start();

    night.advance(Duration.ofMinutes(2));
    assertThat(night.cycles).isEmpty();
    night.advanceTo("2026-06-09T23:59");
    assertThat(night.cycles).isEmpty();

    night.advanceTo("2026-06-10T03:00");
    assertThat(night.cycles).hasSize(30);
    assertThat(night.planned()).first().isEqualTo("2026-06-10T00:00-04:00");
    assertThat(night.planned()).last().isEqualTo("2026-06-10T00:58-04:00");
  }

  @Test
  void jitterApplication() {
    Night night = new Night("UTC", "2026-06-10T00:30");
    DefaultScheduler scheduler =
        night
            .scheduler(Night.windowed("* * * * *", "01:00", "02:00").withJitterMs(10_000))
            .random(new SplittableRandom(7))
            .build();
    scheduler.start();
    night.advanceTo("2026-06-10T02:30");

    assertThat(night.cycles).hasSize(60);
    Set<Duration> intervals = new HashSet<>();
    for (int i = 1; i < night.cycles.size(); i++) {
      CycleContext previous = night.cycles.get(i - 1);
      CycleContext c = night.cycles.get(i);
      assertThat(Duration.between(c.plannedAt(), c.startedAt()))
          .isBetween(Duration.ZERO, Duration.ofSeconds(10));
      Duration interval = Duration.between(previous.startedAt(), c.startedAt());
      assertThat(interval).isGreaterThan(Duration.ofSeconds(50)).isLessThan(Duration.ofSeconds(70));
      intervals.add(interval);
    }
    assertThat(intervals).hasSizeGreaterThan(10);
  }

  @Test
  void sleepPrevention() {
    Night night = new Night("UTC", "2026-06-10T00:00");
    List<Integer> held = new ArrayList<>();
    night.work = ctx -> held.add(night.keepAwake.heldNow());
    DefaultScheduler scheduler =
        night.scheduler(Night.windowed("*/30 1-5 * * *", "01:00", "05:00")).build();

    scheduler.start();
    assertThat(scheduler.state()).isNotEqualTo(new SchedulerState.Stopped());
    assertThat(night.keepAwake.heldNow()).isZero();
    night.advanceTo("2026-06-10T02:10");
    assertThat(held).containsExactly(1, 1, 1);
    assertThat(night.keepAwake.heldNow()).isZero();
    assertThat(night.keepAwake.reasons()).allMatch(r -> r.startsWith("Overnight night: cycle-"));

    scheduler.stop();
    assertThat(scheduler.state()).isEqualTo(new SchedulerState.Stopped());
    assertThat(night.keepAwake.heldNow()).isZero();
  }

  @Test
  void metricsTracking() {
    Night night = new Night("UTC", "2026-06-10T00:00");
    night.work = night.taking(Duration.ofMinutes(7));
    DefaultScheduler scheduler =
        night.scheduler(Night.windowed("0 * * * *", "01:00", "03:00")).build();
    assertThat(scheduler.metrics().toJson())
        .isEqualTo(
            "{\"cycle_count\":0,\"state\":\"idle\",\"skipped_by_reason\":{},"
                + "\"total_cycle_time_ms\":0}");

    scheduler.start();
    night.advanceTo("2026-06-10T02:30");
    assertThat(scheduler.metrics().toJson())
        .isEqualTo(
            "{\"cycle_count\":2,\"state\":\"running\","
                + "\"last_run_time\":\"2026-06-10T02:00:00Z\",\"seconds_since_last_run\":1800,"
                + "\"skipped_by_reason\":{},\"total_cycle_time_ms\":840000}");
    scheduler.stop();
    assertThat(scheduler.metrics().state()).isEqualTo("stopped");
  }

  @Test
  void handsEachCycleToTheCallbackAndGoesOnAfterAFailure() {
    Night night = new Night("UTC", "2026-06-10T00:00");
    night.work =
        ctx -> {
          if (ctx.cycleId().equals("cycle-2")) {
            throw new IllegalStateException("agent crashed");
          }
        };
    DefaultScheduler scheduler =
        night.scheduler(Night.windowed("*/30 1-5 * * *", "01:00", "05:00")).build();
    scheduler.start();
    night.advanceTo("2026-06-10T02:10");

    assertThat(night.cycles)
        .extracting(CycleContext::cycleId)
        .containsExactly("cycle-1", "cycle-2", "cycle-3");
    assertThat(night.events.events(SchedulerEvent.CycleFinished.class))
        .extracting(f -> f.error().orElse("ok"))
        .containsExactly("ok", "IllegalStateException: agent crashed", "ok");
    assertThat(night.store.recentCycles("night", 10))
        .extracting(CycleRecord::outcome)
        .containsExactly(CycleOutcome.COMPLETED, CycleOutcome.FAILED, CycleOutcome.COMPLETED);
    assertThat(night.keepAwake.heldNow()).isZero();
  }
}
