package dev.overnight.core.schedule;

import static dev.overnight.api.config.MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY;
import static dev.overnight.api.config.MissedRunPolicy.SKIP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.schedule.SkipReason;
import dev.overnight.core.schedule.MissedRuns.Candidate;
import dev.overnight.core.schedule.MissedRuns.CatchUp;
import dev.overnight.core.schedule.MissedRuns.Outcome;
import dev.overnight.core.schedule.MissedRuns.Situation;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The missed-run rules, one night situation per row, on a schedule firing every half hour of
 * 2026-06-10 (UTC). Times are written {@code HH:mm}; a row reads: what the scheduler was doing,
 * what came due, and then which occurrences were missed (time, reason, detail), which one is due
 * ({@code new} when it just came due), and the catch-up owed ({@code -} none, {@code ?} owed for an
 * unknown occurrence).
 */
class MissedRunsTest {
  private static final Duration TOLERANCE = Duration.ofMinutes(2);
  private static final MissedRuns SKIPPING = new MissedRuns(SKIP, TOLERANCE);
  private static final MissedRuns CATCHING_UP =
      new MissedRuns(RUN_ONCE_AT_NEXT_OPPORTUNITY, TOLERANCE);
  private static final String BATTERY = "plugged_in: on battery";

  @TestFactory
  Stream<DynamicTest> occurrencesComingDue() {
    return Stream.of(
            row(
                "a wake on time makes its occurrence due",
                comeDue(SKIPPING, idle("00:30"), wokeAt("01:00", "01:00")),
                List.of(),
                "01:00 new",
                "-"),
            row(
                "a short nap within the tolerance still runs the occurrence",
                comeDue(SKIPPING, idle("01:00"), wokeAt("01:31", "01:30")),
                List.of(),
                "01:30 new",
                "-"),
            row(
                "a machine asleep across four occurrences, skip: all missed, nothing owed",
                comeDue(
                    SKIPPING, idle("01:00"), wokeAt("03:10", "01:30", "02:00", "02:30", "03:00")),
                List.of(
                    "01:30 machine_asleep: the wall clock passed it by 1 h 40 min (asleep?)",
                    "02:00 machine_asleep: the wall clock passed it by 1 h 10 min (asleep?)",
                    "02:30 machine_asleep: the wall clock passed it by 40 min (asleep?)",
                    "03:00 machine_asleep: the wall clock passed it by 10 min (asleep?)"),
                "-",
                "-"),
            row(
                "a machine asleep across four occurrences, run once: one catch-up for the latest",
                comeDue(
                    CATCHING_UP,
                    idle("01:00"),
                    wokeAt("03:10", "01:30", "02:00", "02:30", "03:00")),
                List.of(
                    "01:30 machine_asleep: the wall clock passed it by 1 h 40 min (asleep?)",
                    "02:00 machine_asleep: the wall clock passed it by 1 h 10 min (asleep?)",
                    "02:30 machine_asleep: the wall clock passed it by 40 min (asleep?)",
                    "03:00 machine_asleep: the wall clock passed it by 10 min (asleep?)"),
                "-",
                "03:00"),
            row(
                "a clock set forward misses what it jumped over",
                comeDue(SKIPPING, idle("00:30"), wokeAt("01:45", "01:00", "01:30")),
                List.of(
                    "01:00 machine_asleep: the wall clock passed it by 45 min (asleep?)",
                    "01:30 machine_asleep: the wall clock passed it by 15 min (asleep?)"),
                "-",
                "-"),
            row(
                "a clock set back runs nothing twice",
                comeDue(SKIPPING, idle("02:00"), wokeAt("01:10")),
                List.of(),
                "-",
                "-"),
            row(
                "a process down across three occurrences, run once: one catch-up",
                comeDue(
                    CATCHING_UP, idle("01:00"), restartedAt("02:40", "01:30", "02:00", "02:30")),
                List.of(
                    "01:30 process_down: the scheduler was not running",
                    "02:00 process_down: the scheduler was not running",
                    "02:30 process_down: the scheduler was not running"),
                "-",
                "02:30"),
            row(
                "a process down, skip: nothing owed",
                comeDue(SKIPPING, idle("01:00"), restartedAt("01:40", "01:30")),
                List.of("01:30 process_down: the scheduler was not running"),
                "-",
                "-"),
            row(
                "a process restarted in time runs the occurrence",
                comeDue(CATCHING_UP, idle("01:00"), restartedAt("01:31", "01:30")),
                List.of(),
                "01:30 new",
                "-"),
            row(
                "a cycle still running: the occurrence is missed and owed",
                comeDue(CATCHING_UP, running("01:00", "cycle-1"), wokeAt("01:30", "01:30")),
                List.of("01:30 cycle_still_running: cycle-1 was still running"),
                "-",
                "01:30"),
            row(
                "a cycle still running through a sleep: running wins over asleep",
                comeDue(SKIPPING, running("01:00", "cycle-1"), wokeAt("02:10", "01:30", "02:00")),
                List.of(
                    "01:30 cycle_still_running: cycle-1 was still running",
                    "02:00 cycle_still_running: cycle-1 was still running"),
                "-",
                "-"),
            row(
                "a cycle handed to the worker and not started yet keeps its place",
                comeDue(SKIPPING, due("01:00", "01:00", null), wokeAt("01:30", "01:30")),
                List.of(
                    "01:30 cycle_still_running: the cycle planned at 2026-06-10T01:00:00Z was still starting"),
                "01:00",
                "-"),
            row(
                "constraints held an occurrence until the next one: the next one is due instead",
                comeDue(CATCHING_UP, due("01:00", "01:00", BATTERY), wokeAt("01:30", "01:30")),
                List.of(
                    "01:00 constraints_unsatisfied: constraints held it back until the next occurrence: "
                        + BATTERY),
                "01:30 new",
                "01:00"),
            row(
                "constraints held an occurrence through a sleep: both missed, the latest owed",
                comeDue(
                    CATCHING_UP, due("01:00", "01:00", BATTERY), wokeAt("02:10", "01:30", "02:00")),
                List.of(
                    "01:00 constraints_unsatisfied: constraints held it back until the next occurrence: "
                        + BATTERY,
                    "01:30 machine_asleep: the wall clock passed it by 40 min (asleep?)",
                    "02:00 machine_asleep: the wall clock passed it by 10 min (asleep?)"),
                "-",
                "02:00"),
            row(
                "paused by a user: missed and not owed",
                comeDue(CATCHING_UP, paused("01:00", "holiday"), wokeAt("01:30", "01:30")),
                List.of("01:30 paused_by_user: paused: holiday"),
                "-",
                "-"),
            row(
                "paused by a user through a sleep: the pause is the reason",
                comeDue(CATCHING_UP, paused("01:00", "holiday"), wokeAt("02:10", "01:30", "02:00")),
                List.of(
                    "01:30 paused_by_user: paused: holiday",
                    "02:00 paused_by_user: paused: holiday"),
                "-",
                "-"),
            row(
                "jitter would start it at the window end: missed and not owed",
                comeDue(
                    CATCHING_UP,
                    idle("03:30"),
                    wokeAt("04:00", jitteredPastWindow("04:00", 1_800_000, "04:30"), "04:00")),
                List.of(
                    "04:00 jitter_past_window_end: a jitter of 30 min would start it at"
                        + " 2026-06-10T04:30:00Z, at or after the window end 2026-06-10T04:30:00Z"),
                "-",
                "-"),
            row(
                "a jittered wake is late only past its jittered time plus the tolerance",
                comeDue(
                    SKIPPING,
                    idle("01:00"),
                    wokeAt("01:51", jittered("01:30", 20 * 60_000), "01:30")),
                List.of(),
                "01:30 new",
                "-"),
            row(
                "more came due than could be counted: even the latest is missed",
                comeDue(CATCHING_UP, idle("00:30"), countlessAt("23:00", "01:00", "01:30")),
                List.of(
                    "01:00 machine_asleep: the wall clock passed it by 22 h (asleep?)",
                    "01:30 machine_asleep: the wall clock passed it by 21 h 30 min (asleep?)"),
                "-",
                "01:30"),
            row(
                "a catch-up owed from a snapshot learns which occurrence it is for",
                comeDue(
                    CATCHING_UP, owing("01:00", Optional.empty()), restartedAt("02:00", "01:30")),
                List.of("01:30 process_down: the scheduler was not running"),
                "-",
                "01:30"),
            row(
                "an owed catch-up is served by the occurrence that comes due",
                comeDue(
                    CATCHING_UP, owing("01:00", Optional.of(t("01:00"))), wokeAt("01:30", "01:30")),
                List.of(),
                "01:30 new",
                "01:00"))
        .map(Row::test);
  }

  @TestFactory
  Stream<DynamicTest> pausesAndRechecks() {
    return Stream.of(
            row(
                "pausing drops the due occurrence without owing it",
                CATCHING_UP.paused(due("01:00", "01:00", BATTERY), "holiday"),
                List.of("01:00 paused_by_user: paused: holiday"),
                "-",
                "-"),
            row(
                "pausing with nothing due misses nothing and keeps what is owed",
                CATCHING_UP.paused(owing("01:00", Optional.of(t("00:30"))), "holiday"),
                List.of(),
                "-",
                "00:30"),
            row(
                "constraints held an occurrence until the window closed, run once: owed",
                CATCHING_UP.recheck(
                    due("02:00", "02:00", BATTERY), Optional.of(t("05:00")), t("05:00")),
                List.of(
                    "02:00 constraints_unsatisfied: constraints held it back until the window closed: "
                        + BATTERY),
                "-",
                "02:00"),
            row(
                "constraints held an occurrence until the window closed, skip: dropped",
                SKIPPING.recheck(
                    due("02:00", "02:00", BATTERY), Optional.of(t("05:00")), t("05:01")),
                List.of(
                    "02:00 constraints_unsatisfied: constraints held it back until the window closed: "
                        + BATTERY),
                "-",
                "-"),
            row(
                "a re-check inside the window keeps the occurrence due",
                CATCHING_UP.recheck(
                    due("02:00", "02:00", BATTERY), Optional.of(t("05:00")), t("04:59")),
                List.of(),
                "02:00",
                "-"),
            row(
                "a re-check with no window never drops the occurrence",
                CATCHING_UP.recheck(due("02:00", "02:00", BATTERY), Optional.empty(), t("23:00")),
                List.of(),
                "02:00",
                "-"))
        .map(Row::test);
  }

  @Test
  void aSnapshotOwingACatchUpOwesOneOnlyUnderRunOnce() {
    assertThat(CATCHING_UP.restored(true)).contains(new CatchUp(Optional.empty()));
    assertThat(CATCHING_UP.restored(false)).isEmpty();
    assertThat(SKIPPING.restored(true)).isEmpty();
  }

  @Test
  void whatRunsNext() {
    Optional<CatchUp> owedFor0100 = Optional.of(new CatchUp(Optional.of(t("01:00"))));
    Optional<CatchUp> owedUnknown = Optional.of(new CatchUp(Optional.empty()));

    assertThat(next(Optional.of(at("02:00")), Optional.empty(), false))
        .as("a due occurrence runs, window or not")
        .contains(new Candidate(at("02:00"), false));
    assertThat(next(Optional.of(at("02:00")), owedFor0100, true))
        .as("a due occurrence serves an owed catch-up too")
        .contains(new Candidate(at("02:00"), true));
    assertThat(next(Optional.empty(), owedFor0100, true))
        .as("an owed catch-up runs as the occurrence it is for")
        .contains(new Candidate(at("01:00"), true));
    assertThat(next(Optional.empty(), owedUnknown, true))
        .as("an owed catch-up for an unknown occurrence runs as of now")
        .contains(new Candidate(at("03:15"), true));
    assertThat(next(Optional.empty(), owedFor0100, false))
        .as("an owed catch-up waits for the window")
        .isEmpty();
    assertThat(next(Optional.empty(), Optional.empty(), true)).as("nothing to run").isEmpty();
  }

  // ---------------------------------------------------------------------------------------------

  private record Row(
      String night, Outcome outcome, List<String> missed, String due, String catchUp) {

    DynamicTest test() {
      return DynamicTest.dynamicTest(
          night,
          () -> {
            assertThat(outcome.missed())
                .extracting(
                    m -> hhmm(m.occurrence().at()) + " " + m.reason().key() + ": " + m.detail())
                .as("missed")
                .containsExactlyElementsOf(missed);
            assertThat(
                    outcome.due().map(o -> hhmm(o.at())).orElse("-")
                        + (outcome.freshlyDue() ? " new" : ""))
                .as("due")
                .isEqualTo(due);
            assertThat(
                    outcome
                        .catchUp()
                        .map(c -> c.plannedAt().map(MissedRunsTest::hhmm).orElse("?"))
                        .orElse("-"))
                .as("catch-up owed")
                .isEqualTo(catchUp);
          });
    }
  }

  private static Row row(
      String night, Outcome outcome, List<String> missed, String due, String catchUp) {
    return new Row(night, outcome, missed, due, catchUp);
  }

  private static Optional<Candidate> next(
      Optional<Occurrence> due, Optional<CatchUp> catchUp, boolean windowOpen) {
    return MissedRuns.next(due, catchUp, windowOpen, t("03:15"), ZoneOffset.UTC);
  }

  private static Situation idle(String cursor) {
    return situation(cursor, null, null, null, null, Optional.empty());
  }

  private static Situation running(String cursor, String cycleId) {
    return situation(cursor, null, null, cycleId, null, Optional.empty());
  }

  private static Situation due(String cursor, String due, String heldBy) {
    return situation(cursor, due, heldBy, null, null, Optional.empty());
  }

  private static Situation paused(String cursor, String reason) {
    return situation(cursor, null, null, null, reason, Optional.empty());
  }

  private static Situation owing(String cursor, Optional<Instant> plannedAt) {
    return situation(cursor, null, null, null, null, Optional.of(new CatchUp(plannedAt)));
  }

  private static Situation situation(
      String cursor,
      String due,
      String heldBy,
      String runningCycle,
      String pausedBy,
      Optional<CatchUp> catchUp) {
    return new Situation(
        t(cursor),
        Optional.ofNullable(due).map(MissedRunsTest::at),
        Optional.ofNullable(heldBy),
        Optional.ofNullable(runningCycle),
        Optional.ofNullable(pausedBy),
        catchUp);
  }

  /** What a wake brings: the occurrences after the cursor up to now, and how the wake went. */
  private record Arrival(
      List<Occurrence> came,
      boolean more,
      Instant now,
      Optional<WakePlan> plan,
      SkipReason lateReason) {}

  private static Outcome comeDue(MissedRuns rules, Situation s, Arrival a) {
    return rules.comeDue(s, a.came(), a.more(), a.now(), a.plan(), a.lateReason());
  }

  /**
   * The wake timer fired at {@code now}, planned (without jitter) for the first of {@code came}.
   */
  private static Arrival wokeAt(String now, String... came) {
    return wokeAt(now, came.length == 0 ? Optional.empty() : wake(came[0]), came);
  }

  private static Arrival wokeAt(String now, Optional<WakePlan> plan, String... came) {
    return new Arrival(came(came), false, t(now), plan, SkipReason.MACHINE_ASLEEP);
  }

  /** The process started again at {@code now}, after {@code came}. */
  private static Arrival restartedAt(String now, String... came) {
    return new Arrival(came(came), false, t(now), Optional.empty(), SkipReason.PROCESS_DOWN);
  }

  /** The wake timer fired at {@code now}, after more occurrences than could be enumerated. */
  private static Arrival countlessAt(String now, String... came) {
    return new Arrival(came(came), true, t(now), wake(came[0]), SkipReason.MACHINE_ASLEEP);
  }

  private static List<Occurrence> came(String... times) {
    return Arrays.stream(times).map(MissedRunsTest::at).toList();
  }

  private static Optional<WakePlan> wake(String time) {
    return Optional.of(WakePlan.of(at(time), 0, Optional.empty()));
  }

  private static Optional<WakePlan> jittered(String time, long jitterMs) {
    return Optional.of(WakePlan.of(at(time), jitterMs, Optional.empty()));
  }

  private static Optional<WakePlan> jitteredPastWindow(String time, long jitterMs, String end) {
    WakePlan plan = WakePlan.of(at(time), jitterMs, Optional.of(t(end)));
    assertThat(plan.pastWindow()).isTrue();
    return Optional.of(plan);
  }

  private static Occurrence at(String time) {
    Instant at = t(time);
    return new Occurrence(LocalDateTime.ofInstant(at, ZoneOffset.UTC), at);
  }

  private static Instant t(String time) {
    return LocalDateTime.of(2026, 6, 10, 0, 0)
        .with(LocalTime.parse(time))
        .toInstant(ZoneOffset.UTC);
  }

  private static String hhmm(Instant instant) {
    return LocalTime.ofInstant(instant, ZoneOffset.UTC).toString();
  }
}
