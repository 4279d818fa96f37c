package dev.overnight.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.PowerState;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import dev.overnight.fakes.RecordingWakeScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** System wakes kept ahead of the scheduler's plan, on virtual time. */
class SystemWakesTest {
  private final RecordingWakeScheduler wakes = new RecordingWakeScheduler();

  private static Schedule nightly(boolean wakeEnabled) {
    return Night.windowed("0 2 * * *", "01:00", "05:00")
        .withWake(new Schedule.Wake(wakeEnabled, 120));
  }

  @Test
  void oneWakeIsKeptLeadSecondsBeforeTheNextPlannedWakeAndMovesOnWithThePlan() {
    Night night = new Night("Europe/Berlin", "2026-03-01T20:00");
    DefaultScheduler s = night.scheduler(nightly(true)).wakeScheduler(wakes).build();

    s.start();
    assertThat(wakes.outstanding()).containsExactly(night.at("2026-03-02T01:58"));

    night.advanceTo("2026-03-02T03:00");
    assertThat(night.cycles).hasSize(1);
    assertThat(wakes.outstanding()).containsExactly(night.at("2026-03-03T01:58"));
    assertThat(wakes.calls())
        .containsExactly(
            "schedule " + night.at("2026-03-02T01:58"),
            "cancel " + night.at("2026-03-02T01:58"),
            "schedule " + night.at("2026-03-03T01:58"));

    s.stop();
    assertThat(wakes.outstanding()).isEmpty();
  }

  @Test
  void whenDisabledTheMachineIsNeverWoken() {
    Night night = new Night("Europe/Berlin", "2026-03-01T20:00");
    DefaultScheduler s = night.scheduler(nightly(false)).wakeScheduler(wakes).build();

    s.start();
    night.advance(Duration.ofDays(2));
    s.stop();

    assertThat(night.cycles).hasSize(2);
    assertThat(wakes.calls()).isEmpty();
  }

  @Test
  void aPlanTooCloseToWakeAheadOfSchedulesNothing() {
    Night night = new Night("Europe/Berlin", "2026-03-02T01:59");
    DefaultScheduler s = night.scheduler(nightly(true)).wakeScheduler(wakes).build();

    s.start();

    assertThat(wakes.calls()).isEmpty();
    s.stop();
  }

  @Test
  void aRefusedWakeLeavesTheNightRunningWhileTheMachineIsAwake() {
    wakes.refuse("rtcwake needs root or CAP_SYS_TIME");
    Night night = new Night("Europe/Berlin", "2026-03-01T20:00");
    DefaultScheduler s = night.scheduler(nightly(true)).wakeScheduler(wakes).build();

    s.start();
    night.advanceTo("2026-03-02T03:00");
    s.stop();

    assertThat(night.cycles).hasSize(1);
    assertThat(wakes.outstanding()).isEmpty();
    assertThat(wakes.calls()).hasSize(2).allMatch(c -> c.startsWith("schedule "));
  }

  private static PowerState power(Boolean battery, Boolean lidClosed, Boolean darkWake) {
    return new PowerState(
        Optional.ofNullable(battery),
        Optional.ofNullable(lidClosed),
        Optional.ofNullable(darkWake));
  }

  /** Each receipt in the store as "planned-time words — detail". */
  private static List<String> receipts(Night night) {
    return night.store.all().stream()
        .map(
            c ->
                night.local(c.plannedAt())
                    + " "
                    + c.receipt().words()
                    + " — "
                    + c.receipt().detail())
        .toList();
  }

  @Test
  void aDarkWakeDefersTheNightWithOneReceiptAndItRunsOnceTheDisplayWakes() {
    Night night = new Night("UTC", "2026-03-01T20:00");
    DefaultScheduler s = night.scheduler(nightly(true)).wakeScheduler(wakes).build();
    s.start();

    wakes.power(power(false, null, true));
    night.advanceTo("2026-03-02T02:30"); // re-checked every minute meanwhile
    assertThat(night.cycles).isEmpty();
    assertThat(s.state()).isInstanceOf(SchedulerState.Paused.class);

    wakes.power(power(false, null, false));
    night.advanceTo("2026-03-02T03:00");
    s.stop();

    assertThat(night.cycles).hasSize(1);
    assertThat(night.local(night.cycles.get(0).startedAt())).isEqualTo("2026-03-02T02:31Z");
    assertThat(receipts(night))
        .containsExactly(
            "2026-03-02T02:00Z deferred: dark wake — the machine is in a dark wake (no display)"
                + " and would sleep again before the night ends: on mains power, dark wake (no"
                + " display)",
            "2026-03-02T02:00Z fired — ");
  }

  @Test
  void aClosedLidOnBatteryDefersTheNightUntilItsWindowCloses() {
    Night night = new Night("UTC", "2026-03-01T20:00");
    DefaultScheduler s = night.scheduler(nightly(true)).wakeScheduler(wakes).build();
    wakes.power(power(true, true, false));
    s.start();

    night.advanceTo("2026-03-02T06:00");
    s.stop();

    assertThat(night.cycles).isEmpty();
    assertThat(receipts(night))
        .first()
        .isEqualTo(
            "2026-03-02T02:00Z deferred: lid closed on battery — the lid is closed on battery, so"
                + " the machine would sleep again: on battery, lid closed, display awake");
    assertThat(night.store.all()).hasSize(2).allMatch(c -> !c.receipt().isFired());
  }

  @Test
  void batteryDefersOnlyWhenPluggedInIsRequired() {
    wakes.power(power(true, false, null));
    Night free = new Night("UTC", "2026-03-01T20:00");
    DefaultScheduler unconstrained = free.scheduler(nightly(true)).wakeScheduler(wakes).build();
    unconstrained.start();
    free.advanceTo("2026-03-02T03:00");
    unconstrained.stop();
    assertThat(free.cycles).hasSize(1);

    Night strict = new Night("UTC", "2026-03-01T20:00");
    SwitchableChecker plug =
        new SwitchableChecker("plugged_in", ConstraintResult.unsatisfied("on battery (58%)"));
    DefaultScheduler constrained =
        strict
            .scheduler(nightly(true), strict.gate(Night.pluggedIn(), plug.provider()))
            .constraints(Night.pluggedIn())
            .wakeScheduler(wakes)
            .build();
    constrained.start();
    strict.advanceTo("2026-03-02T03:00");
    constrained.stop();

    assertThat(strict.cycles).isEmpty();
    assertThat(strict.store.all().get(0).receipt())
        .isEqualTo(
            WakeReceipt.deferred(
                WakeReason.ON_BATTERY,
                "plugged_in is required and the machine runs on battery: on battery, lid open"));
  }

  @Test
  void aNightSleptThroughSaysTheSystemWakeCouldNotBeScheduledAndWhy() {
    wakes.refuse("rtcwake needs root or CAP_SYS_TIME");
    Night night = new Night("UTC", "2026-03-01T20:00");
    DefaultScheduler s = night.scheduler(nightly(true)).wakeScheduler(wakes).build();
    s.start();

    night.time.setWallClock(night.at("2026-03-02T06:00")); // asleep through the window
    night.advanceTo("2026-03-02T07:00");
    s.stop();

    assertThat(night.store.all())
        .singleElement()
        .extracting(c -> c.receipt())
        .isEqualTo(
            WakeReceipt.skipped(
                WakeReason.WAKE_NOT_SCHEDULED,
                "the system wake at 2026-03-02T01:58:00Z could not be scheduled: rtcwake needs"
                    + " root or CAP_SYS_TIME"));
  }

  @Test
  void aNightSleptThroughDespiteAScheduledWakeSaysTheMachineDidNotWake() {
    Night night = new Night("UTC", "2026-03-01T20:00");
    DefaultScheduler s = night.scheduler(nightly(true)).wakeScheduler(wakes).build();
    s.start();

    night.time.setWallClock(night.at("2026-03-02T06:00"));
    night.advanceTo("2026-03-02T07:00");
    s.stop();

    assertThat(night.store.all())
        .singleElement()
        .extracting(c -> c.receipt())
        .isEqualTo(
            WakeReceipt.skipped(
                WakeReason.WAKE_MISSED,
                "a system wake was scheduled at 2026-03-02T01:58:00Z through recording, but the"
                    + " machine did not wake for it"));
  }
}
