package dev.overnight.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ScheduleTimesTest {

  /** The next {@code count} occurrences after a local time, as offset date-times in the zone. */
  static List<String> runs(ScheduleTimes times, String fromLocal, int count) {
    ZoneId zone = times.zone();
    Instant cursor = LocalDateTime.parse(fromLocal).atZone(zone).toInstant();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Occurrence o = times.next(cursor).orElseThrow();
      out.add(ZonedDateTime.ofInstant(o.at(), zone).toOffsetDateTime().toString());
      cursor = o.at();
    }
    return out;
  }

  static List<String> runs(String expr, String zone, String fromLocal, int count) {
    return runs(ScheduleTimes.of(expr, ZoneId.of(zone)), fromLocal, count);
  }

  static ScheduleTimes windowed(String expr, String zone, String start, String end) {
    return ScheduleTimes.of(
        Schedule.cron(expr)
            .withWindow(LocalTime.parse(start), LocalTime.parse(end))
            .withTimezone(ZoneId.of(zone)));
  }

  @Nested
  class NewYork {
    // 2026-03-08: 02:00 EST -> 03:00 EDT. 2026-11-01: 02:00 EDT -> 01:00 EST.

    @Test
    void stepScheduleSkipsTheSpringGapAndKeepsRealThirtyMinutes() {
      assertThat(runs("*/30 * * * *", "America/New_York", "2026-03-08T00:45", 4))
          .containsExactly(
              "2026-03-08T01:00-05:00",
              "2026-03-08T01:30-05:00",
              "2026-03-08T03:00-04:00",
              "2026-03-08T03:30-04:00");
    }

    @Test
    void fixedTimeInTheSpringGapFiresOnceAtTheJump() {
      assertThat(runs("30 2 * * *", "America/New_York", "2026-03-07T12:00", 2))
          .containsExactly("2026-03-08T03:00-04:00", "2026-03-09T02:30-04:00");
    }

    @Test
    void severalFixedTimesInOneGapFireOnceTogether() {
      assertThat(runs("0,30 2 * * *", "America/New_York", "2026-03-07T12:00", 3))
          .containsExactly(
              "2026-03-08T03:00-04:00", "2026-03-09T02:00-04:00", "2026-03-09T02:30-04:00");
    }

    @Test
    void fixedHoursAcrossTheSpringGapMergeTheSkippedHourWithTheJump() {
      assertThat(runs("0 1-4 * * *", "America/New_York", "2026-03-08T00:00", 3))
          .containsExactly(
              "2026-03-08T01:00-05:00", "2026-03-08T03:00-04:00", "2026-03-08T04:00-04:00");
    }

    @Test
    void stepScheduleRunsThroughTheRepeatedHourTwiceInRealTime() {
      assertThat(runs("*/30 * * * *", "America/New_York", "2026-11-01T00:15", 6))
          .containsExactly(
              "2026-11-01T00:30-04:00",
              "2026-11-01T01:00-04:00",
              "2026-11-01T01:30-04:00",
              "2026-11-01T01:00-05:00",
              "2026-11-01T01:30-05:00",
              "2026-11-01T02:00-05:00");
    }

    @Test
    void fixedTimeInTheRepeatedHourFiresOnce() {
      assertThat(runs("30 1 * * *", "America/New_York", "2026-10-31T12:00", 2))
          .containsExactly("2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00");
      assertThat(runs("0,30 1 * * *", "America/New_York", "2026-11-01T00:00", 3))
          .containsExactly(
              "2026-11-01T01:00-04:00", "2026-11-01T01:30-04:00", "2026-11-02T01:00-05:00");
    }

    @Test
    void windowedNightAcrossFallBackHasTenRealHalfHours() {
      ScheduleTimes t = windowed("*/30 1-5 * * *", "America/New_York", "01:00", "05:00");
      assertThat(runs(t, "2026-10-31T23:00", 11))
          .containsExactly(
              "2026-11-01T01:00-04:00",
              "2026-11-01T01:30-04:00",
              "2026-11-01T01:00-05:00",
              "2026-11-01T01:30-05:00",
              "2026-11-01T02:00-05:00",
              "2026-11-01T02:30-05:00",
              "2026-11-01T03:00-05:00",
              "2026-11-01T03:30-05:00",
              "2026-11-01T04:00-05:00",
              "2026-11-01T04:30-05:00",
              "2026-11-02T01:00-05:00");
    }

    @Test
    void startingInsideTheSecondPassFindsTheSecondPassOccurrences() {
      ScheduleTimes t = ScheduleTimes.of("*/30 * * * *", ZoneId.of("America/New_York"));
      Instant secondPass = Instant.parse("2026-11-01T06:10:00Z"); // 01:10 EST
      assertThat(t.next(secondPass).orElseThrow().at())
          .isEqualTo(Instant.parse("2026-11-01T06:30:00Z"));
      Instant firstPass = Instant.parse("2026-11-01T05:40:00Z"); // 01:40 EDT
      assertThat(t.next(firstPass).orElseThrow().at())
          .isEqualTo(Instant.parse("2026-11-01T06:00:00Z"));
    }
  }

  @Nested
  class Berlin {
    // 2026-03-29: 02:00 CET -> 03:00 CEST. 2026-10-25: 03:00 CEST -> 02:00 CET.

    @Test
    void springForward() {
      assertThat(runs("*/30 * * * *", "Europe/Berlin", "2026-03-29T01:15", 3))
          .containsExactly(
              "2026-03-29T01:30+01:00", "2026-03-29T03:00+02:00", "2026-03-29T03:30+02:00");
      assertThat(runs("15 2 * * *", "Europe/Berlin", "2026-03-28T12:00", 2))
          .containsExactly("2026-03-29T03:00+02:00", "2026-03-30T02:15+02:00");
    }

    @Test
    void fallBack() {
      assertThat(runs("*/30 * * * *", "Europe/Berlin", "2026-10-25T01:45", 5))
          .containsExactly(
              "2026-10-25T02:00+02:00",
              "2026-10-25T02:30+02:00",
              "2026-10-25T02:00+01:00",
              "2026-10-25T02:30+01:00",
              "2026-10-25T03:00+01:00");
      assertThat(runs("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00", 2))
          .containsExactly("2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00");
    }

    @Test
    void hourlyWildcardAtAFixedMinuteFollowsRealTime() {
      assertThat(runs("30 * * * *", "Europe/Berlin", "2026-10-25T01:00", 4))
          .containsExactly(
              "2026-10-25T01:30+02:00",
              "2026-10-25T02:30+02:00",
              "2026-10-25T02:30+01:00",
              "2026-10-25T03:30+01:00");
    }
  }

  @Nested
  class LordHowe {
    // A 30-minute shift. 2026-10-04: 02:00 +10:30 -> 02:30 +11:00. 2026-04-05: 02:00 +11:00 ->
    // 01:30 +10:30.

    @Test
    void springForwardByHalfAnHour() {
      assertThat(runs("*/15 * * * *", "Australia/Lord_Howe", "2026-10-04T01:40", 3))
          .containsExactly(
              "2026-10-04T01:45+10:30", "2026-10-04T02:30+11:00", "2026-10-04T02:45+11:00");
      assertThat(runs("15 2 * * *", "Australia/Lord_Howe", "2026-10-03T12:00", 2))
          .containsExactly("2026-10-04T02:30+11:00", "2026-10-05T02:15+11:00");
      assertThat(runs("0 2 * * *", "Australia/Lord_Howe", "2026-10-03T12:00", 2))
          .containsExactly("2026-10-04T02:30+11:00", "2026-10-05T02:00+11:00");
    }

    @Test
    void fallBackByHalfAnHour() {
      assertThat(runs("*/30 * * * *", "Australia/Lord_Howe", "2026-04-05T00:45", 4))
          .containsExactly(
              "2026-04-05T01:00+11:00",
              "2026-04-05T01:30+11:00",
              "2026-04-05T01:30+10:30",
              "2026-04-05T02:00+10:30");
      assertThat(runs("45 1 * * *", "Australia/Lord_Howe", "2026-04-04T12:00", 2))
          .containsExactly("2026-04-05T01:45+11:00", "2026-04-06T01:45+10:30");
    }
  }

  @Nested
  class MidnightGap {
    // Cairo, 2023-04-28: 00:00 EET -> 01:00 EEST. 2023-10-27: 00:00 EEST -> 23:00 EET (26th).

    @Test
    void aMidnightGapNeverLosesADay() {
      assertThat(runs("0 0 * * *", "Africa/Cairo", "2023-04-26T12:00", 3))
          .containsExactly(
              "2023-04-27T00:00+02:00", "2023-04-28T01:00+03:00", "2023-04-29T00:00+03:00");
      assertThat(runs("30 0 * * *", "Africa/Cairo", "2023-04-27T12:00", 1))
          .containsExactly("2023-04-28T01:00+03:00");
      assertThat(runs("0 2 * * *", "Africa/Cairo", "2023-04-27T12:00", 2))
          .containsExactly("2023-04-28T02:00+03:00", "2023-04-29T02:00+03:00");
      assertThat(runs("*/30 * * * *", "Africa/Cairo", "2023-04-27T23:15", 3))
          .containsExactly(
              "2023-04-27T23:30+02:00", "2023-04-28T01:00+03:00", "2023-04-28T01:30+03:00");
    }

    @Test
    void aRepeatedHourBeforeMidnightRunsAFixedTimeOnce() {
      assertThat(runs("30 23 * * *", "Africa/Cairo", "2023-10-26T12:00", 2))
          .containsExactly("2023-10-26T23:30+03:00", "2023-10-27T23:30+02:00");
    }
  }

  @Nested
  class Fields {
    @Test
    void everyFieldIsHonoured() {
      assertThat(runs("0 2 * * *", "UTC", "2026-01-01T00:00", 2))
          .containsExactly("2026-01-01T02:00Z", "2026-01-02T02:00Z");
      assertThat(runs("15 3 1 * *", "UTC", "2026-01-15T00:00", 2))
          .containsExactly("2026-02-01T03:15Z", "2026-03-01T03:15Z");
      assertThat(runs("0 9 * 2 *", "UTC", "2026-01-01T00:00", 1))
          .containsExactly("2026-02-01T09:00Z");
      assertThat(runs("0 9 * * 1-5", "UTC", "2026-01-02T10:00", 2)) // a Friday
          .containsExactly("2026-01-05T09:00Z", "2026-01-06T09:00Z");
    }

    @Test
    void sundayIsZeroAndSeven() {
      assertThat(runs("0 0 * * 0", "UTC", "2026-01-01T00:00", 2))
          .containsExactly("2026-01-04T00:00Z", "2026-01-11T00:00Z");
      assertThat(runs("0 0 * * 7", "UTC", "2026-01-01T00:00", 2))
          .containsExactly("2026-01-04T00:00Z", "2026-01-11T00:00Z");
    }

    @Test
    void dayOfMonthAndDayOfWeekBothRestrictedMeansEither() {
      assertThat(runs("0 0 13 * 5", "UTC", "2026-01-01T00:00", 3))
          .containsExactly("2026-01-02T00:00Z", "2026-01-09T00:00Z", "2026-01-13T00:00Z");
    }

    @Test
    void classifiesFixedTimeAndWildcardAsVixieCronDoes() {
      assertThat(ScheduleTimes.of("0 2 * * *", ZoneId.of("UTC")).fixedTime()).isTrue();
      assertThat(ScheduleTimes.of("0,30 1-5 * * *", ZoneId.of("UTC")).fixedTime()).isTrue();
      assertThat(ScheduleTimes.of("*/30 1-5 * * *", ZoneId.of("UTC")).fixedTime()).isFalse();
      assertThat(ScheduleTimes.of("15 * * * *", ZoneId.of("UTC")).fixedTime()).isFalse();
    }

    @Test
    void rejectsWhatIsNotFiveFieldCronWithItsPath() {
      for (String bad : List.of("*/30 1-5 * *", "0 0 2 * * *", "61 * * * *", "a b c d e")) {
        assertThatThrownBy(() -> ScheduleTimes.of(bad, ZoneId.of("UTC")))
            .as(bad)
            .isInstanceOfSatisfying(
                ConfigException.class,
                e -> {
                  assertThat(e.problems()).hasSize(1);
                  assertThat(e.problems().get(0).path()).isEqualTo("/schedule/expression");
                  assertThat(e.problems().get(0).message()).contains(bad);
                });
      }
    }

    @Test
    void anImpossibleDateNeverFires() {
      assertThat(ScheduleTimes.of("0 0 30 2 *", ZoneId.of("UTC")).next(Instant.EPOCH)).isEmpty();
    }
  }

  @Nested
  class Windows {
    @Test
    void noWindowMeansAllDay() {
      ScheduleTimes t = ScheduleTimes.of("*/30 * * * *", ZoneId.of("UTC"));
      Instant from = Instant.parse("2026-06-01T00:00:00Z");
      assertThat(t.between(from, from.plus(Duration.ofDays(1)), 1000)).hasSize(48);
      assertThat(t.isWindowOpen(Instant.parse("2026-06-01T13:00:00Z"))).isTrue();
      assertThat(t.windowEnd(t.next(from).orElseThrow())).isEmpty();
    }

    @Test
    void startInclusiveEndExclusive() {
      assertThat(runs(windowed("*/30 * * * *", "UTC", "01:00", "03:00"), "2026-06-01T00:00", 5))
          .containsExactly(
              "2026-06-01T01:00Z",
              "2026-06-01T01:30Z",
              "2026-06-01T02:00Z",
              "2026-06-01T02:30Z",
              "2026-06-02T01:00Z");
    }

    @Test
    void windowAcrossMidnightKeepsEveryHourOfIt() {
      ScheduleTimes t = windowed("*/30 * * * *", "UTC", "22:00", "02:00");
      assertThat(runs(t, "2026-06-01T12:00", 9))
          .containsExactly(
              "2026-06-01T22:00Z",
              "2026-06-01T22:30Z",
              "2026-06-01T23:00Z",
              "2026-06-01T23:30Z",
              "2026-06-02T00:00Z",
              "2026-06-02T00:30Z",
              "2026-06-02T01:00Z",
              "2026-06-02T01:30Z",
              "2026-06-02T22:00Z");
      Occurrence lateEvening = t.next(Instant.parse("2026-06-01T23:10:00Z")).orElseThrow();
      assertThat(t.windowEnd(lateEvening)).contains(Instant.parse("2026-06-02T02:00:00Z"));
      Occurrence afterMidnight = t.next(Instant.parse("2026-06-02T00:10:00Z")).orElseThrow();
      assertThat(t.windowEnd(afterMidnight)).contains(Instant.parse("2026-06-02T02:00:00Z"));
    }

    @Test
    void aCronThatNeverFallsInTheWindowNeverFires() {
      assertThat(windowed("0 12 * * *", "UTC", "01:00", "05:00").next(Instant.EPOCH)).isEmpty();
    }

    @Test
    void windowOpeningAndClosing() {
      ScheduleTimes t = windowed("0 2 * * *", "Europe/Berlin", "01:00", "05:00");
      Instant noon = Instant.parse("2026-06-01T10:00:00Z");
      assertThat(t.isWindowOpen(noon)).isFalse();
      assertThat(t.nextWindowStart(noon)).isEqualTo(Instant.parse("2026-06-01T23:00:00Z"));
      Instant oneThirty = Instant.parse("2026-06-01T23:30:00Z");
      assertThat(t.isWindowOpen(oneThirty)).isTrue();
      assertThat(t.windowEndAt(oneThirty)).contains(Instant.parse("2026-06-02T03:00:00Z"));
    }
  }
}
