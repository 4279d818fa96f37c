package dev.overnight.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.Schedule;
import dev.overnight.api.schedule.CycleContext;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Daylight-saving nights run through the whole scheduler: spring-forward and fall-back in New York,
 * Berlin and Lord Howe Island (a 30-minute shift), for schedules inside and across the shifted
 * hour. Each cycle must start exactly at its planned instant, and the planned instants must be the
 * preview's.
 */
class DstNightsTest {

  static Stream<Arguments> nights() {
    String window = "window 01:00-05:00";
    return Stream.of(
        // America/New_York, 2026-03-08: 02:00 EST -> 03:00 EDT.
        Arguments.of(
            "America/New_York",
            "2026-03-07T22:00",
            "*/30 1-5 * * *",
            window,
            List.of(
                "2026-03-08T01:00-05:00",
                "2026-03-08T01:30-05:00",
                "2026-03-08T03:00-04:00",
                "2026-03-08T03:30-04:00",
                "2026-03-08T04:00-04:00",
                "2026-03-08T04:30-04:00")),
        Arguments.of(
            "America/New_York",
            "2026-03-07T22:00",
            "30 2 * * *",
            "",
            List.of("2026-03-08T03:00-04:00")),
        Arguments.of(
            "America/New_York",
            "2026-03-07T22:00",
            "0 1-4 * * *",
            "",
            List.of("2026-03-08T01:00-05:00", "2026-03-08T03:00-04:00", "2026-03-08T04:00-04:00")),
        Arguments.of("America/New_York", "2026-03-07T22:00", "*/20 2 * * *", "", List.of()),
        // America/New_York, 2026-11-01: 02:00 EDT -> 01:00 EST.
        Arguments.of(
            "America/New_York",
            "2026-10-31T22:00",
            "*/30 1-5 * * *",
            window,
            List.of(
                "2026-11-01T01:00-04:00",
                "2026-11-01T01:30-04:00",
                "2026-11-01T01:00-05:00",
                "2026-11-01T01:30-05:00",
                "2026-11-01T02:00-05:00",
                "2026-11-01T02:30-05:00",
                "2026-11-01T03:00-05:00",
                "2026-11-01T03:30-05:00",
                "2026-11-01T04:00-05:00",
                "2026-11-01T04:30-05:00")),
        Arguments.of(
            "America/New_York",
            "2026-10-31T22:00",
            "30 1 * * *",
            "",
            List.of("2026-11-01T01:30-04:00")),
        Arguments.of(
            "America/New_York",
            "2026-10-31T22:00",
            "0 1-4 * * *",
            "",
            List.of(
                "2026-11-01T01:00-04:00",
                "2026-11-01T02:00-05:00",
                "2026-11-01T03:00-05:00",
                "2026-11-01T04:00-05:00")),
        Arguments.of(
            "America/New_York",
            "2026-10-31T22:00",
            "*/20 1 * * *",
            "",
            List.of(
                "2026-11-01T01:00-04:00",
                "2026-11-01T01:20-04:00",
                "2026-11-01T01:40-04:00",
                "2026-11-01T01:00-05:00",
                "2026-11-01T01:20-05:00",
                "2026-11-01T01:40-05:00")),
        // Europe/Berlin, 2026-03-29: 02:00 CET -> 03:00 CEST.
        Arguments.of(
            "Europe/Berlin",
            "2026-03-28T22:00",
            "*/30 1-5 * * *",
            window,
            List.of(
                "2026-03-29T01:00+01:00",
                "2026-03-29T01:30+01:00",
                "2026-03-29T03:00+02:00",
                "2026-03-29T03:30+02:00",
                "2026-03-29T04:00+02:00",
                "2026-03-29T04:30+02:00")),
        Arguments.of(
            "Europe/Berlin",
            "2026-03-28T22:00",
            "30 2 * * *",
            "",
            List.of("2026-03-29T03:00+02:00")),
        // Europe/Berlin, 2026-10-25: 03:00 CEST -> 02:00 CET.
        Arguments.of(
            "Europe/Berlin",
            "2026-10-24T22:00",
            "*/30 1-5 * * *",
            window,
            List.of(
                "2026-10-25T01:00+02:00",
                "2026-10-25T01:30+02:00",
                "2026-10-25T02:00+02:00",
                "2026-10-25T02:30+02:00",
                "2026-10-25T02:00+01:00",
                "2026-10-25T02:30+01:00",
                "2026-10-25T03:00+01:00",
                "2026-10-25T03:30+01:00",
                "2026-10-25T04:00+01:00",
                "2026-10-25T04:30+01:00")),
        Arguments.of(
            "Europe/Berlin",
            "2026-10-24T22:00",
            "30 2 * * *",
            "",
            List.of("2026-10-25T02:30+02:00")),
        // Australia/Lord_Howe, 2026-10-04: 02:00 +10:30 -> 02:30 +11:00.
        Arguments.of(
            "Australia/Lord_Howe",
            "2026-10-03T22:00",
            "*/30 1-5 * * *",
            window,
            List.of(
                "2026-10-04T01:00+10:30",
                "2026-10-04T01:30+10:30",
                "2026-10-04T02:30+11:00",
                "2026-10-04T03:00+11:00",
                "2026-10-04T03:30+11:00",
                "2026-10-04T04:00+11:00",
                "2026-10-04T04:30+11:00")),
        Arguments.of(
            "Australia/Lord_Howe",
            "2026-10-03T22:00",
            "15 2 * * *",
            "",
            List.of("2026-10-04T02:30+11:00")),
        // Australia/Lord_Howe, 2026-04-05: 02:00 +11:00 -> 01:30 +10:30.
        Arguments.of(
            "Australia/Lord_Howe",
            "2026-04-04T22:00",
            "*/30 1-5 * * *",
            window,
            List.of(
                "2026-04-05T01:00+11:00",
                "2026-04-05T01:30+11:00",
                "2026-04-05T01:30+10:30",
                "2026-04-05T02:00+10:30",
                "2026-04-05T02:30+10:30",
                "2026-04-05T03:00+10:30",
                "2026-04-05T03:30+10:30",
                "2026-04-05T04:00+10:30",
                "2026-04-05T04:30+10:30")),
        Arguments.of(
            "Australia/Lord_Howe",
            "2026-04-04T22:00",
            "45 1 * * *",
            "",
            List.of("2026-04-05T01:45+11:00")));
  }

  @ParameterizedTest(name = "{0} from {1}: {2} {3}")
  @MethodSource("nights")
  void runsEveryCycleOfTheNightAtItsInstant(
      String zone, String from, String expression, String window, List<String> expected) {
    Night night = new Night(zone, from);
    Schedule schedule =
        window.isEmpty() ? Schedule.cron(expression) : Night.windowed(expression, "01:00", "05:00");
    DefaultScheduler scheduler = night.scheduler(schedule).build();
    scheduler.start();
    night.advance(java.time.Duration.ofHours(9));

    assertThat(night.planned()).containsExactlyElementsOf(expected);
    for (CycleContext c : night.cycles) {
      assertThat(c.startedAt()).isEqualTo(c.plannedAt());
    }
    assertThat(night.skips()).isEmpty();
    List<String> preview =
        SchedulePreview.of(schedule.withTimezone(night.zone))
            .nextRuns(night.at(from), expected.size())
            .stream()
            .map(t -> t.toOffsetDateTime().toString())
            .toList();
    assertThat(preview).containsExactlyElementsOf(expected);
    scheduler.stop();
  }
}
