package dev.overnight.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.PowerState;
import dev.overnight.api.config.MissedRunPolicy;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.fakes.RecordingWakeScheduler;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every due wake of a week leaves a receipt: fired, skipped or deferred, and why. */
class WakeReceiptsTest {

  /** Two wakes a night, at 02:00 and 03:00; a missed one is made up for once. */
  private static final Schedule WEEK =
      Night.windowed("0 2,3 * * *", "01:00", "03:30")
          .withOnMissed(MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY);

  @Test
  void aWeekOfNightsRecordsEveryKindOfSkipAndDeferral() {
    Night night = new Night("UTC", "2026-06-08T00:00"); // a Monday
    SwitchableChecker power =
        new SwitchableChecker("plugged_in", ConstraintResult.satisfied("on AC"));
    // What each night's cycles find, as the coordinator would report it.
    Map<LocalDate, WakeReason> idle =
        Map.of(
            LocalDate.parse("2026-06-11"), WakeReason.NIGHT_LIMIT_REACHED,
            LocalDate.parse("2026-06-14"), WakeReason.AGENT_PARKED);
    night.work =
        ctx -> {
          LocalDate day = LocalDate.ofInstant(ctx.startedAt(), night.zone);
          if (day.equals(LocalDate.parse("2026-06-09")) && !ctx.catchUp()) {
            night.advance(Duration.ofMinutes(70)); // a long cycle: the 03:00 wake finds it running
          } else if (day.equals(LocalDate.parse("2026-06-08"))
              && ctx.plannedAt().equals(night.at("2026-06-08T03:00"))) {
            ctx.nothingStarted(WakeReason.NO_WORK, "the queue is empty and no new work was found");
          } else if (idle.containsKey(day) && !ctx.catchUp()) {
            ctx.nothingStarted(idle.get(day), idle.get(day).words() + " (tokens 120000/100000)");
          }
        };
    DefaultScheduler scheduler =
        night.scheduler(WEEK, night.gate(Night.pluggedIn(), power.provider())).build();
    scheduler.start();

    night.advanceTo("2026-06-09T12:00"); // Mon: work, then none left; Tue: a long cycle
    power.answer(ConstraintResult.unsatisfied("on battery (58%)"));
    night.advanceTo("2026-06-10T12:00"); // Wed: on battery all night
    power.answer(ConstraintResult.satisfied("on AC"));
    night.advanceTo("2026-06-12T01:50"); // Thu: the night's limit reached
    night.time.setWallClock(night.at("2026-06-12T03:20")); // Fri: asleep through both wakes
    night.advanceTo("2026-06-12T12:00");
    scheduler.pause("away for the day");
    night.advanceTo("2026-06-13T12:00"); // Sat: paused by the user
    scheduler.resume();
    night.advanceTo("2026-06-14T02:30"); // Sun: every agent parked
    scheduler.stop();
    night.time.setWallClock(night.at("2026-06-14T12:00")); // Overnight down over the 03:00 wake
    DefaultScheduler restarted =
        night
            .scheduler(
                WEEK.withJitterMs(Duration.ofMinutes(40).toMillis()),
                night.gate(Night.pluggedIn(), power.provider()))
            .random(new FixedJitter(1.0))
            .build();
    restarted.start();
    night.advanceTo("2026-06-15T12:00"); // Mon: a jitter of 40 min pushes 03:00 out of the window
    restarted.stop();
    // From here on Overnight wakes the machine for its nights and reads its power state.
    RecordingWakeScheduler wakes = new RecordingWakeScheduler();
    DefaultScheduler woken = wokenBy(night, wakes, power);
    woken.start();
    wakes.power(power(false, false, true));
    night.advanceTo("2026-06-16T12:00"); // Tue: woken without a display all night
    wakes.power(power(true, true, false));
    night.advanceTo("2026-06-17T12:00"); // Wed: lid closed on battery all night
    wakes.power(power(true, false, false));
    power.answer(ConstraintResult.unsatisfied("on battery (41%)"));
    night.advanceTo("2026-06-18T12:00"); // Thu: lid open, on battery, and plugged_in required
    wakes.power(power(false, false, false));
    power.answer(ConstraintResult.satisfied("on AC"));
    night.advanceTo("2026-06-18T20:00");
    night.time.setWallClock(night.at("2026-06-19T04:00")); // Fri: did not wake for either wake
    night.advanceTo("2026-06-19T12:00");
    woken.stop();
    RecordingWakeScheduler refusing = new RecordingWakeScheduler();
    refusing.refuse("rtcwake needs root or CAP_SYS_TIME");
    DefaultScheduler unprivileged = wokenBy(night, refusing, power);
    unprivileged.start();
    night.time.setWallClock(night.at("2026-06-20T04:00")); // Sat: no wake could be scheduled
    night.advanceTo("2026-06-20T12:00");
    unprivileged.stop();
    // A power deferral also holds the occurrence back as the gate would, and the catch-up owed for
    // a night's last wake meets the next night's reading at its window start.

    assertThat(receipts(night))
        .containsExactly(
            "2026-06-08T02:00Z fired",
            "2026-06-08T03:00Z skipped: no work — the queue is empty and no new work was found",
            "2026-06-09T02:00Z fired",
            "2026-06-09T03:00Z deferred: cycle still running — cycle-3 was still running",
            "2026-06-09T03:00Z fired (catch-up)",
            "2026-06-10T02:00Z deferred: constraint unsatisfied — constraints held it back until"
                + " the next occurrence: plugged_in: on battery (58%)",
            "2026-06-10T03:00Z deferred: constraint unsatisfied — constraints held it back until"
                + " the window closed: plugged_in: on battery (58%)",
            "2026-06-10T03:00Z fired (catch-up)",
            "2026-06-11T02:00Z skipped: night limit reached — night limit reached (tokens"
                + " 120000/100000)",
            "2026-06-11T03:00Z skipped: night limit reached — night limit reached (tokens"
                + " 120000/100000)",
            "2026-06-12T02:00Z deferred: machine asleep — the wall clock passed it by 1 h 20 min"
                + " (asleep?)",
            "2026-06-12T03:00Z deferred: machine asleep — the wall clock passed it by 20 min"
                + " (asleep?)",
            "2026-06-12T03:00Z fired (catch-up)",
            "2026-06-13T02:00Z skipped: paused by user — paused: away for the day",
            "2026-06-13T03:00Z skipped: paused by user — paused: away for the day",
            "2026-06-14T02:00Z skipped: agent parked — agent parked (tokens 120000/100000)",
            "2026-06-14T03:00Z deferred: process down — the scheduler was not running",
            "2026-06-14T03:00Z fired (catch-up)",
            "2026-06-15T02:00Z fired",
            "2026-06-15T03:00Z skipped: outside window — a jitter of 40 min would start it at"
                + " 2026-06-15T03:40:00Z, at or after the window end 2026-06-15T03:30:00Z",
            "2026-06-16T02:00Z deferred: dark wake — the machine is in a dark wake (no "
                + "display) and would sleep again before the night ends: on mains power, lid "
                + "open, dark wake (no display)",
            "2026-06-16T02:00Z deferred: constraint unsatisfied — constraints held it "
                + "back until the next occurrence: deferred: dark wake (the machine is in a "
                + "dark wake (no display) and would sleep again before the night ends: on "
                + "mains power, lid open, dark wake (no display))",
            "2026-06-16T03:00Z deferred: dark wake — the machine is in a dark wake (no "
                + "display) and would sleep again before the night ends: on mains power, lid "
                + "open, dark wake (no display)",
            "2026-06-16T03:00Z deferred: constraint unsatisfied — constraints held it "
                + "back until the window closed: deferred: dark wake (the machine is in a dark "
                + "wake (no display) and would sleep again before the night ends: on mains "
                + "power, lid open, dark wake (no display))",
            "2026-06-16T03:00Z deferred: lid closed on battery — the lid is closed on "
                + "battery, so the machine would sleep again: on battery, lid closed, display "
                + "awake",
            "2026-06-17T02:00Z deferred: lid closed on battery — the lid is closed on "
                + "battery, so the machine would sleep again: on battery, lid closed, display "
                + "awake",
            "2026-06-17T02:00Z deferred: constraint unsatisfied — constraints held it "
                + "back until the next occurrence: deferred: lid closed on battery (the lid is "
                + "closed on battery, so the machine would sleep again: on battery, lid "
                + "closed, display awake)",
            "2026-06-17T03:00Z deferred: lid closed on battery — the lid is closed on "
                + "battery, so the machine would sleep again: on battery, lid closed, display "
                + "awake",
            "2026-06-17T03:00Z deferred: constraint unsatisfied — constraints held it "
                + "back until the window closed: deferred: lid closed on battery (the lid is "
                + "closed on battery, so the machine would sleep again: on battery, lid "
                + "closed, display awake)",
            "2026-06-17T03:00Z deferred: on battery — plugged_in is required and the "
                + "machine runs on battery: on battery, lid open, display awake",
            "2026-06-18T02:00Z deferred: on battery — plugged_in is required and the "
                + "machine runs on battery: on battery, lid open, display awake",
            "2026-06-18T02:00Z deferred: constraint unsatisfied — constraints held it "
                + "back until the next occurrence: deferred: on battery (plugged_in is "
                + "required and the machine runs on battery: on battery, lid open, display "
                + "awake)",
            "2026-06-18T03:00Z deferred: on battery — plugged_in is required and the "
                + "machine runs on battery: on battery, lid open, display awake",
            "2026-06-18T03:00Z deferred: constraint unsatisfied — constraints held it "
                + "back until the window closed: deferred: on battery (plugged_in is required "
                + "and the machine runs on battery: on battery, lid open, display awake)",
            "2026-06-19T02:00Z deferred: wake missed — a system wake was scheduled at "
                + "2026-06-19T01:58:00Z through recording, but the machine did not wake for it",
            "2026-06-19T03:00Z deferred: machine asleep — the wall clock passed it by 1 "
                + "h (asleep?)",
            "2026-06-20T02:00Z deferred: wake not scheduled — the system wake at "
                + "2026-06-20T01:58:00Z could not be scheduled: rtcwake needs root or "
                + "CAP_SYS_TIME",
            "2026-06-20T03:00Z deferred: machine asleep — the wall clock passed it by 1 "
                + "h (asleep?)");
    assertThat(night.store.all())
        .filteredOn(c -> c.catchUp())
        .extracting(c -> night.local(c.startedAt().orElseThrow()))
        .as("each deferral made up for by one catch-up, when it could run")
        .containsExactlyInAnyOrder(
            "2026-06-09T03:10Z", "2026-06-11T01:00Z", "2026-06-12T03:20Z", "2026-06-15T01:00Z");
  }

  /** A scheduler that wakes the machine through {@code wakes}, with plugged_in required. */
  private static DefaultScheduler wokenBy(
      Night night, RecordingWakeScheduler wakes, SwitchableChecker power) {
    return night
        .scheduler(
            WEEK.withWake(new Schedule.Wake(true, 120)),
            night.gate(Night.pluggedIn(), power.provider()))
        .constraints(Night.pluggedIn())
        .wakeScheduler(wakes)
        .build();
  }

  private static PowerState power(boolean battery, boolean lidClosed, boolean darkWake) {
    return new PowerState(Optional.of(battery), Optional.of(lidClosed), Optional.of(darkWake));
  }

  /** The history, oldest first, as "planned-time receipt — detail". */
  private static List<String> receipts(Night night) {
    return night.store.all().stream()
        .sorted(
            Comparator.comparing(CycleRecord::plannedAt)
                .thenComparing(c -> c.startedAt().orElse(c.plannedAt())))
        .map(
            c ->
                night.local(c.plannedAt())
                    + " "
                    + c.receipt().words()
                    + (c.catchUp() ? " (catch-up)" : "")
                    + (c.receipt().detail().isEmpty() ? "" : " — " + c.receipt().detail()))
        .toList();
  }
}
