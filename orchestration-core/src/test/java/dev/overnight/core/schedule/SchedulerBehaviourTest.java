package dev.overnight.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.MissedRunPolicy;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.schedule.CycleContext;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.CycleRunner;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.schedule.SkipReason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchedulerBehaviourTest {

  private static final Schedule NIGHTLY = Night.windowed("*/30 1-5 * * *", "01:00", "05:00");

  @Nested
  class Cron {
    @Test
    void fixedMinuteCronRunsOnceANightAtItsTime() {
      for (Schedule s :
          List.of(Schedule.cron("0 2 * * *"), Night.windowed("0 2 * * *", "01:00", "05:00"))) {
        Night night = new Night("UTC", "2026-06-09T12:00");
        night.scheduler(s).build().start();
        night.advance(Duration.ofDays(3));
        assertThat(night.planned())
            .containsExactly("2026-06-10T02:00Z", "2026-06-11T02:00Z", "2026-06-12T02:00Z");
      }
    }

    @Test
    void noWindowMeansAllDay() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      night.scheduler(Schedule.cron("*/30 * * * *")).build().start();
      night.advance(Duration.ofDays(1));
      assertThat(night.cycles).hasSize(48);
      assertThat(night.planned()).first().isEqualTo("2026-06-10T00:30Z");
      assertThat(night.planned()).contains("2026-06-10T13:00Z");
    }

    @Test
    void windowAcrossMidnightKeepsTheHourBeforeMidnight() {
      Night night = new Night("UTC", "2026-06-10T12:00");
      night.scheduler(Night.windowed("*/30 * * * *", "22:00", "02:00")).build().start();
      night.advance(Duration.ofDays(1));
      assertThat(night.planned())
          .containsExactly(
              "2026-06-10T22:00Z",
              "2026-06-10T22:30Z",
              "2026-06-10T23:00Z",
              "2026-06-10T23:30Z",
              "2026-06-11T00:00Z",
              "2026-06-11T00:30Z",
              "2026-06-11T01:00Z",
              "2026-06-11T01:30Z");
    }

    @Test
    void aJitteredStartAtOrAfterTheWindowEndIsSkipped() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      DefaultScheduler scheduler =
          night
              .scheduler(
                  Night.windowed("0 * * * *", "01:00", "04:30")
                      .withJitterMs(Duration.ofMinutes(30).toMillis())
                      .withOnMissed(MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY))
              .random(new FixedJitter(1.0))
              .build();
      scheduler.start();
      night.advanceTo("2026-06-10T06:00");

      assertThat(night.started())
          .containsExactly("2026-06-10T01:30Z", "2026-06-10T02:30Z", "2026-06-10T03:30Z");
      assertThat(night.skips()).containsExactly("2026-06-10T04:00Z jitter_past_window_end");
      SchedulerEvent.CycleSkipped skip =
          night.events.events(SchedulerEvent.CycleSkipped.class).get(0);
      assertThat(skip.at()).isEqualTo(night.at("2026-06-10T04:00"));
      assertThat(skip.detail())
          .contains("a jitter of 30 min")
          .contains("window end 2026-06-10T04:30:00Z");
      // A run jitter pushed out of the window is not owed a catch-up.
      assertThat(night.cycles).noneMatch(CycleContext::catchUp);
      assertThat(scheduler.metrics().skippedByReason())
          .containsExactly(Map.entry(SkipReason.JITTER_PAST_WINDOW_END, 1L));
    }

    @Test
    void aJitteredStartBeforeTheWindowEndRuns() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      night
          .scheduler(
              Night.windowed("0 * * * *", "01:00", "04:30")
                  .withJitterMs(Duration.ofMinutes(30).toMillis()))
          .random(new FixedJitter(0.5))
          .build()
          .start();
      night.advanceTo("2026-06-10T06:00");
      assertThat(night.started()).last().isEqualTo("2026-06-10T04:15Z");
      assertThat(night.skips()).isEmpty();
    }

    @Test
    void configProblemsAreReportedAtBuild() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      assertThatThrownBy(() -> night.scheduler(Schedule.cron("*/30 1-5 * *")).build())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("/schedule/expression")
          .hasMessageContaining("5 fields");
      assertThatThrownBy(
              () -> night.scheduler(Night.windowed("0 12 * * *", "01:00", "05:00")).build())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("never fires inside the window 01:00-05:00");
      assertThatThrownBy(() -> night.scheduler(NIGHTLY).constraints(Night.pluggedIn()).build())
          .isInstanceOfSatisfying(
              ConfigException.class,
              e ->
                  assertThat(e.problems())
                      .singleElement()
                      .satisfies(p -> assertThat(p.path()).isEqualTo("/constraints/plugged_in")));
    }
  }

  @Nested
  class Life {
    @Test
    void startIsIdempotent() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      DefaultScheduler scheduler = night.scheduler(NIGHTLY).build();
      scheduler.start();
      scheduler.start();
      assertThat(night.time.pending()).isEqualTo(1);
      assertThat(night.events.events(SchedulerEvent.StateChanged.class))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.from()).isEqualTo(new SchedulerState.Idle());
                assertThat(e.to())
                    .isEqualTo(new SchedulerState.Running(night.at("2026-06-10T01:00")));
              });
      assertThat(scheduler.nextWake()).contains(night.at("2026-06-10T01:00"));
      night.advanceTo("2026-06-10T06:00");
      assertThat(night.cycles).hasSize(8);
    }

    @Test
    void stopWorksFromEveryStateAndIsFinal() {
      Night idle = new Night("UTC", "2026-06-10T00:00");
      DefaultScheduler notStarted = idle.scheduler(NIGHTLY).build();
      notStarted.stop();
      assertThat(notStarted.state()).isEqualTo(new SchedulerState.Stopped());
      notStarted.start();
      assertThat(notStarted.state()).isEqualTo(new SchedulerState.Stopped());
      assertThat(idle.time.pending()).isZero();
      assertThat(notStarted.runNow()).isFalse();

      Night paused = new Night("UTC", "2026-06-10T00:00");
      SwitchableChecker power =
          new SwitchableChecker("plugged_in", ConstraintResult.unsatisfied("on battery"));
      DefaultScheduler held =
          paused.scheduler(NIGHTLY, paused.gate(Night.pluggedIn(), power.provider())).build();
      held.start();
      paused.advanceTo("2026-06-10T01:10");
      assertThat(held.state()).isInstanceOf(SchedulerState.Paused.class);
      held.close();
      assertThat(held.state()).isEqualTo(new SchedulerState.Stopped());
      assertThat(held.nextWake()).isEmpty();
      assertThat(paused.time.pending()).isZero();
      held.stop();
      assertThat(paused.events.events(SchedulerEvent.StateChanged.class))
          .filteredOn(e -> e.to() instanceof SchedulerState.Stopped)
          .hasSize(1);
    }

    @Test
    void stopDuringACycleCancelsItAndReleasesKeepAwake() throws Exception {
      Night night = new Night("UTC", "2026-06-10T00:00");
      ExecutorService cycleThread = Executors.newSingleThreadExecutor();
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch cancelled = new CountDownLatch(1);
      CountDownLatch finished = new CountDownLatch(1);
      night.work =
          ctx -> {
            ctx.onCancel(cancelled::countDown);
            running.countDown();
            assertThat(cancelled.await(30, TimeUnit.SECONDS)).isTrue();
          };
      DefaultScheduler scheduler =
          night
              .scheduler(NIGHTLY)
              .cycleExecutor(cycleThread)
              .listener(
                  e -> {
                    if (e instanceof SchedulerEvent.CycleFinished) {
                      finished.countDown();
                    }
                  })
              .build();
      try {
        scheduler.start();
        night.advanceTo("2026-06-10T01:00");
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(night.keepAwake.heldNow()).isEqualTo(1);

        scheduler.stop();
        assertThat(scheduler.state()).isEqualTo(new SchedulerState.Stopped());
        assertThat(night.keepAwake.heldNow()).isZero();
        assertThat(night.cycles.get(0).isCancelled()).isTrue();
        assertThat(finished.await(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        cycleThread.shutdown();
        assertThat(cycleThread.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(night.store.recentCycles("night", 1))
          .singleElement()
          .satisfies(r -> assertThat(r.outcome()).isEqualTo(CycleOutcome.CANCELLED));
      assertThat(night.time.pending()).isZero();
      assertThat(night.keepAwake.heldNow()).isZero();
    }

    @ParameterizedTest
    @EnumSource(MissedRunPolicy.class)
    void aCycleLongerThanTheIntervalNeverOverlapsTheNext(MissedRunPolicy policy) {
      Night night = new Night("UTC", "2026-06-10T00:00");
      AtomicBoolean busy = new AtomicBoolean();
      night.work =
          ctx -> {
            assertThat(busy.compareAndSet(false, true)).as("cycles overlap").isTrue();
            if (ctx.cycleId().equals("cycle-1")) {
              night.time.advance(Duration.ofMinutes(40));
            }
            busy.set(false);
          };
      DefaultScheduler scheduler = night.scheduler(NIGHTLY.withOnMissed(policy)).build();
      scheduler.start();
      night.advanceTo("2026-06-10T06:00");

      assertThat(night.skips()).containsExactly("2026-06-10T01:30Z cycle_still_running");
      if (policy == MissedRunPolicy.SKIP) {
        assertThat(night.planned())
            .containsExactly(
                "2026-06-10T01:00Z",
                "2026-06-10T02:00Z",
                "2026-06-10T02:30Z",
                "2026-06-10T03:00Z",
                "2026-06-10T03:30Z",
                "2026-06-10T04:00Z",
                "2026-06-10T04:30Z");
      } else {
        assertThat(night.cycles).hasSize(8);
        CycleContext catchUp = night.cycles.get(1);
        assertThat(catchUp.catchUp()).isTrue();
        assertThat(night.local(catchUp.plannedAt())).isEqualTo("2026-06-10T01:30Z");
        assertThat(night.local(catchUp.startedAt())).isEqualTo("2026-06-10T01:40Z");
        assertThat(night.cycles.subList(2, 8)).noneMatch(CycleContext::catchUp);
      }
    }

    @Test
    void anOccurrenceDueWhileTheLastHasNotStartedYetIsSkippedAsStillRunning() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      List<Runnable> handedOver = new java.util.ArrayList<>();
      DefaultScheduler scheduler = night.scheduler(NIGHTLY).cycleExecutor(handedOver::add).build();
      scheduler.start();
      night.advanceTo("2026-06-10T01:30"); // the cycle thread has not picked up 01:00 yet
      assertThat(handedOver).hasSize(1);
      assertThat(night.skips()).containsExactly("2026-06-10T01:30Z cycle_still_running");
      assertThat(night.events.events(SchedulerEvent.CycleSkipped.class).get(0).detail())
          .isEqualTo("the cycle planned at 2026-06-10T01:00:00Z was still starting");

      handedOver.remove(0).run();
      assertThat(night.planned()).containsExactly("2026-06-10T01:00Z");
      assertThat(night.started()).containsExactly("2026-06-10T01:30Z");
      night.advanceTo("2026-06-10T02:00");
      handedOver.remove(0).run();
      assertThat(night.planned()).endsWith("2026-06-10T02:00Z");
    }

    @Test
    void pausedByTheUserSkipsWithoutOwingACatchUp() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      DefaultScheduler scheduler =
          night
              .scheduler(NIGHTLY.withOnMissed(MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY))
              .build();
      scheduler.start();
      night.advanceTo("2026-06-10T00:30");
      scheduler.pause("holiday");
      assertThat(scheduler.state())
          .isEqualTo(new SchedulerState.Paused("holiday", night.at("2026-06-10T01:00")));
      night.advanceTo("2026-06-10T01:45");
      scheduler.resume();
      night.advanceTo("2026-06-10T01:59");
      assertThat(night.cycles).isEmpty();
      assertThat(night.skips())
          .containsExactly("2026-06-10T01:00Z paused_by_user", "2026-06-10T01:30Z paused_by_user");
      night.advanceTo("2026-06-10T02:00");
      assertThat(night.planned()).containsExactly("2026-06-10T02:00Z");
      assertThat(night.events.events(SchedulerEvent.Paused.class)).hasSize(1);
      assertThat(night.events.events(SchedulerEvent.Resumed.class)).hasSize(1);
    }

    @Test
    void runNowRunsOutsideTheScheduleWhenConstraintsAllow() {
      Night night = new Night("UTC", "2026-06-10T12:00");
      SwitchableChecker power =
          new SwitchableChecker("plugged_in", ConstraintResult.satisfied("on AC"));
      List<Boolean> nested = new java.util.ArrayList<>();
      DefaultScheduler[] self = new DefaultScheduler[1];
      night.work = ctx -> nested.add(self[0].runNow());
      DefaultScheduler scheduler =
          night.scheduler(NIGHTLY, night.gate(Night.pluggedIn(), power.provider())).build();
      self[0] = scheduler;

      assertThat(scheduler.runNow()).isTrue();
      assertThat(night.cycles)
          .singleElement()
          .satisfies(c -> assertThat(c.plannedAt()).isEqualTo(night.at("2026-06-10T12:00")));
      assertThat(nested).containsExactly(false);
      assertThat(scheduler.state()).isEqualTo(new SchedulerState.Idle());

      power.answer(ConstraintResult.unsatisfied("on battery"));
      assertThat(scheduler.runNow()).isFalse();
      assertThat(night.cycles).hasSize(1);
      assertThat(scheduler.metrics().cycleCount()).isEqualTo(1);
    }

    @Test
    void aFailingListenerDoesNotStopTheNight() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      DefaultScheduler scheduler =
          night
              .scheduler(NIGHTLY)
              .listener(
                  e -> {
                    throw new IllegalStateException("broken dashboard");
                  })
              .build();
      scheduler.start();
      night.advanceTo("2026-06-10T06:00");
      assertThat(night.cycles).hasSize(8);
    }
  }

  @Nested
  class MissedRuns {
    @ParameterizedTest
    @EnumSource(MissedRunPolicy.class)
    void aMachineAsleepAcrossSeveralOccurrences(MissedRunPolicy policy) {
      Night night = new Night("UTC", "2026-06-10T00:00");
      DefaultScheduler scheduler = night.scheduler(NIGHTLY.withOnMissed(policy)).build();
      scheduler.start();
      night.advanceTo("2026-06-10T01:10");
      night.time.setWallClock(night.at("2026-06-10T03:10")); // asleep from 01:10 to 03:10
      night.time.runDue();

      assertThat(night.skips())
          .containsExactly(
              "2026-06-10T01:30Z machine_asleep",
              "2026-06-10T02:00Z machine_asleep",
              "2026-06-10T02:30Z machine_asleep",
              "2026-06-10T03:00Z machine_asleep");
      assertThat(night.events.events(SchedulerEvent.CycleSkipped.class).get(0).detail())
          .contains("1 h 40 min");
      if (policy == MissedRunPolicy.SKIP) {
        assertThat(night.planned()).containsExactly("2026-06-10T01:00Z");
      } else {
        assertThat(night.planned()).containsExactly("2026-06-10T01:00Z", "2026-06-10T03:00Z");
        CycleContext catchUp = night.cycles.get(1);
        assertThat(catchUp.catchUp()).isTrue();
        assertThat(catchUp.startedAt()).isEqualTo(night.at("2026-06-10T03:10"));
      }
      night.advanceTo("2026-06-10T04:00");
      assertThat(night.planned()).endsWith("2026-06-10T03:30Z", "2026-06-10T04:00Z");
      assertThat(scheduler.metrics().skippedByReason())
          .containsExactly(Map.entry(SkipReason.MACHINE_ASLEEP, 4L));
    }

    @Test
    void aShortNapWithinTheToleranceStillRunsTheOccurrence() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      night.scheduler(NIGHTLY).build().start();
      night.advanceTo("2026-06-10T01:29");
      night.time.setWallClock(night.at("2026-06-10T01:31"));
      night.time.runDue();
      assertThat(night.planned()).containsExactly("2026-06-10T01:00Z", "2026-06-10T01:30Z");
      assertThat(night.started()).last().isEqualTo("2026-06-10T01:31Z");
      assertThat(night.skips()).isEmpty();
    }

    @Test
    void aWallClockSetBackNeverRunsAnOccurrenceTwice() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      DefaultScheduler scheduler = night.scheduler(NIGHTLY).build();
      scheduler.start();
      night.advanceTo("2026-06-10T02:10");
      night.time.setWallClock(night.at("2026-06-10T01:10"));
      night.time.runDue();
      night.advanceTo("2026-06-10T02:29");
      assertThat(night.planned())
          .containsExactly("2026-06-10T01:00Z", "2026-06-10T01:30Z", "2026-06-10T02:00Z");
      assertThat(scheduler.nextWake()).contains(night.at("2026-06-10T02:30"));
      night.advanceTo("2026-06-10T02:30");
      assertThat(night.planned()).endsWith("2026-06-10T02:00Z", "2026-06-10T02:30Z");
      assertThat(night.skips()).isEmpty();
    }

    @Test
    void aWallClockSetForwardMissesWhatItJumpedOver() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      night.scheduler(NIGHTLY).build().start();
      night.advanceTo("2026-06-10T00:50");
      night.time.setWallClock(night.at("2026-06-10T01:45"));
      night.advanceTo("2026-06-10T02:00");
      assertThat(night.skips())
          .containsExactly("2026-06-10T01:00Z machine_asleep", "2026-06-10T01:30Z machine_asleep");
      assertThat(night.planned()).containsExactly("2026-06-10T02:00Z");
    }

    @ParameterizedTest
    @EnumSource(MissedRunPolicy.class)
    void aRestartedProcessKnowsWhatItMissed(MissedRunPolicy policy) {
      Night night = new Night("UTC", "2026-06-10T00:00");
      Schedule schedule = NIGHTLY.withOnMissed(policy);
      DefaultScheduler first = night.scheduler(schedule).build();
      first.start();
      night.advanceTo("2026-06-10T01:10");
      first.stop();
      night.time.setWallClock(night.at("2026-06-10T03:10")); // the process was down

      DefaultScheduler second = night.scheduler(schedule).build();
      second.start();
      assertThat(night.skips())
          .containsExactly(
              "2026-06-10T01:30Z process_down",
              "2026-06-10T02:00Z process_down",
              "2026-06-10T02:30Z process_down",
              "2026-06-10T03:00Z process_down");
      night.advanceTo("2026-06-10T04:00");

      if (policy == MissedRunPolicy.SKIP) {
        assertThat(night.planned())
            .containsExactly("2026-06-10T01:00Z", "2026-06-10T03:30Z", "2026-06-10T04:00Z");
      } else {
        assertThat(night.planned())
            .containsExactly(
                "2026-06-10T01:00Z", "2026-06-10T03:00Z", "2026-06-10T03:30Z", "2026-06-10T04:00Z");
        assertThat(night.cycles.get(1).catchUp()).isTrue();
        assertThat(night.cycles.get(1).startedAt()).isEqualTo(night.at("2026-06-10T03:10"));
      }
      int runs = night.cycles.size();
      assertThat(second.metrics().cycleCount()).isEqualTo(runs);
      assertThat(night.cycles.get(runs - 1).cycleId()).isEqualTo("cycle-" + runs);
      assertThat(second.metrics().lastRunTime()).contains(night.at("2026-06-10T04:00"));
      assertThat(night.store.all())
          .filteredOn(r -> r.outcome() == CycleOutcome.SKIPPED)
          .extracting(r -> r.skipReason().orElseThrow())
          .containsOnly(SkipReason.PROCESS_DOWN)
          .hasSize(4);
    }

    @Test
    void aCatchUpOwedOutsideTheWindowRunsWhenTheWindowOpens() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      Schedule schedule =
          Night.windowed("0 2 * * *", "01:00", "05:00")
              .withOnMissed(MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY);
      DefaultScheduler first = night.scheduler(schedule).build();
      first.start();
      night.advanceTo("2026-06-10T00:30");
      first.stop();
      night.time.setWallClock(night.at("2026-06-10T07:00"));

      night.scheduler(schedule).build().start();
      assertThat(night.skips()).containsExactly("2026-06-10T02:00Z process_down");
      night.advanceTo("2026-06-11T03:00");
      assertThat(night.cycles)
          .extracting(c -> night.local(c.startedAt()) + " " + c.catchUp())
          .containsExactly("2026-06-11T01:00Z true", "2026-06-11T02:00Z false");
    }

    @Test
    void aCatchUpWhoseChanceIsTheNextOccurrenceIsThatOneCycle() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      Schedule schedule = NIGHTLY.withOnMissed(MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY);
      DefaultScheduler first = night.scheduler(schedule).build();
      first.start();
      night.advanceTo("2026-06-10T01:10");
      first.stop();
      night.time.setWallClock(night.at("2026-06-10T07:00"));

      night.scheduler(schedule).build().start();
      assertThat(night.skips()).hasSize(7).allMatch(s -> s.endsWith("process_down"));
      night.advanceTo("2026-06-11T01:40");
      assertThat(night.cycles)
          .extracting(c -> night.local(c.plannedAt()) + " " + c.catchUp())
          .containsExactly(
              "2026-06-10T01:00Z false", "2026-06-11T01:00Z true", "2026-06-11T01:30Z false");
    }

    @Test
    void aCatchUpOwedByACycleThatOutlivedTheWindowRunsWhenTheWindowOpensAgain() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      night.work =
          ctx -> {
            if (ctx.cycleId().equals("cycle-1")) {
              night.time.advance(Duration.ofHours(3)); // 02:00 to 05:00: 04:00 is missed
            }
          };
      night
          .scheduler(
              Night.windowed("0 2,4 * * *", "01:00", "05:00")
                  .withOnMissed(MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY))
          .build()
          .start();
      night.advanceTo("2026-06-11T03:00");
      assertThat(night.skips()).containsExactly("2026-06-10T04:00Z cycle_still_running");
      assertThat(night.cycles)
          .extracting(
              c ->
                  night.local(c.plannedAt())
                      + " at "
                      + night.local(c.startedAt())
                      + " "
                      + c.catchUp())
          .containsExactly(
              "2026-06-10T02:00Z at 2026-06-10T02:00Z false",
              "2026-06-10T04:00Z at 2026-06-11T01:00Z true",
              "2026-06-11T02:00Z at 2026-06-11T02:00Z false");
    }

    @Test
    void constraintsHoldingAnOccurrenceUntilTheWindowClosesOweOneCatchUp() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      SwitchableChecker power =
          new SwitchableChecker("plugged_in", ConstraintResult.unsatisfied("on battery"));
      night
          .scheduler(
              Night.windowed("0 2 * * *", "01:00", "05:00")
                  .withOnMissed(MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY),
              night.gate(Night.pluggedIn(), power.provider()))
          .build()
          .start();
      night.advanceTo("2026-06-10T12:00");
      assertThat(night.skips()).containsExactly("2026-06-10T02:00Z constraints_unsatisfied");
      power.answer(ConstraintResult.satisfied("on AC"));
      night.advanceTo("2026-06-11T03:00");
      assertThat(night.cycles)
          .extracting(c -> night.local(c.startedAt()) + " " + c.catchUp())
          .containsExactly("2026-06-11T01:00Z true", "2026-06-11T02:00Z false");
    }

    @Test
    void recheckIntervalAndUnknownPolicyComeFromTheConstraints() {
      Night night = new Night("UTC", "2026-06-10T00:00");
      SwitchableChecker flaky =
          new SwitchableChecker("plugged_in", ConstraintResult.unknown("no power source API"));
      var fiveMinutes =
          new dev.overnight.api.config.Constraints(
              true,
              false,
              false,
              java.util.Optional.empty(),
              false,
              false,
              10,
              dev.overnight.api.config.UnknownPolicy.FAIL,
              Duration.ofSeconds(2),
              Duration.ofMinutes(5),
              Map.of());
      DefaultScheduler scheduler =
          night
              .scheduler(
                  Night.windowed("0 2 * * *", "01:00", "05:00"),
                  night.gate(fiveMinutes, flaky.provider()))
              .constraints(fiveMinutes)
              .build();
      scheduler.start();
      night.advanceTo("2026-06-10T02:12");
      assertThat(flaky.calls.get()).isEqualTo(3); // 02:00, 02:05, 02:10
      assertThat(scheduler.state())
          .isEqualTo(
              new SchedulerState.Paused(
                  "plugged_in: unknown (no power source API)", night.at("2026-06-10T02:15")));
      assertThat(night.cycles).isEmpty();

      Night passing = new Night("UTC", "2026-06-10T00:00");
      var pass =
          new dev.overnight.api.config.Constraints(
              true,
              false,
              false,
              java.util.Optional.empty(),
              false,
              false,
              10,
              dev.overnight.api.config.UnknownPolicy.PASS,
              Duration.ofSeconds(2),
              Duration.ofMinutes(1),
              Map.of());
      passing
          .scheduler(
              Night.windowed("0 2 * * *", "01:00", "05:00"), passing.gate(pass, flaky.provider()))
          .build()
          .start();
      passing.advanceTo("2026-06-10T03:00");
      assertThat(passing.planned()).containsExactly("2026-06-10T02:00Z");
    }
  }

  @Test
  void skippedAndRunCyclesAreRecordedForTheMorningReport() {
    Night night = new Night("UTC", "2026-06-10T00:00");
    night.work = night.taking(Duration.ofMinutes(45));
    night.scheduler(NIGHTLY).build().start();
    night.advanceTo("2026-06-10T02:00"); // the 02:00 cycle runs until 02:45
    List<CycleRecord> history = night.store.recentCycles("night", 10);
    assertThat(history)
        .extracting(r -> r.cycleId() + " " + r.outcome() + " " + night.local(r.plannedAt()))
        .containsExactly(
            "cycle-2 COMPLETED 2026-06-10T02:00Z",
            "skip-2026-06-10T02:30:00Z SKIPPED 2026-06-10T02:30Z",
            "cycle-1 COMPLETED 2026-06-10T01:00Z",
            "skip-2026-06-10T01:30:00Z SKIPPED 2026-06-10T01:30Z");
    assertThat(history.get(0).finishedAt()).contains(night.at("2026-06-10T02:45"));
    assertThat(history.get(1).skipReason()).contains(SkipReason.CYCLE_STILL_RUNNING);
  }

  @Test
  void theRunnersNotesFollowTheOutcomeInTheRecord() {
    Night night = new Night("UTC", "2026-06-10T00:00");
    CycleRunner taking = night.taking(Duration.ofMinutes(10));
    night.work =
        ctx -> {
          taking.runCycle(ctx);
          ctx.note("2 tasks run");
          ctx.note("no more started:\nnight limit reached");
        };
    night.scheduler(NIGHTLY).build().start();
    night.advanceTo("2026-06-10T01:10");
    assertThat(night.store.recentCycles("night", 1))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.outcome()).isEqualTo(CycleOutcome.COMPLETED);
              assertThat(
                      Duration.between(c.startedAt().orElseThrow(), c.finishedAt().orElseThrow()))
                  .isEqualTo(Duration.ofMinutes(10));
              assertThat(c.notes())
                  .containsExactly("2 tasks run", "no more started: night limit reached");
            });
  }
}
