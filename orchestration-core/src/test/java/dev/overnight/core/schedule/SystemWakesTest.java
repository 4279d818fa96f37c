package dev.overnight.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.Schedule;
import dev.overnight.fakes.RecordingWakeScheduler;
import java.time.Duration;
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
}
