package dev.overnight.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.Schedule;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class SchedulePreviewTest {

  private static String describe(String expression, String start, String end) {
    Schedule s = Schedule.cron(expression).withTimezone(ZoneId.of("Europe/Berlin"));
    if (start != null) {
      s = s.withWindow(LocalTime.parse(start), LocalTime.parse(end));
    }
    return SchedulePreview.of(s).description();
  }

  @Test
  void describesTheShapesPeopleWrite() {
    assertThat(describe("*/30 1-5 * * *", "01:00", "05:00"))
        .isEqualTo("every 30 minutes between 01:00 and 05:00, Europe/Berlin");
    assertThat(describe("*/30 * * * *", "01:00", "05:00"))
        .isEqualTo("every 30 minutes between 01:00 and 05:00, Europe/Berlin");
    assertThat(describe("*/30 * * * *", "22:00", "02:00"))
        .isEqualTo("every 30 minutes between 22:00 and 02:00 (overnight), Europe/Berlin");
    assertThat(describe("*/30 1-5 * * *", null, null))
        .isEqualTo("every 30 minutes from 01:00 to 05:30, Europe/Berlin");
    assertThat(describe("*/15 2-3 * * *", "01:00", "05:00"))
        .isEqualTo(
            "every 15 minutes from 02:00 to 03:45, inside the window 01:00-05:00, Europe/Berlin");
    assertThat(describe("* * * * *", null, null)).isEqualTo("every minute, Europe/Berlin");
    assertThat(describe("0 2 * * *", null, null)).isEqualTo("at 02:00, Europe/Berlin");
    assertThat(describe("0,30 2 * * *", "01:00", "05:00"))
        .isEqualTo("at 02:00 and 02:30, inside the window 01:00-05:00, Europe/Berlin");
    assertThat(describe("15 * * * *", null, null)).isEqualTo("every hour at :15, Europe/Berlin");
    assertThat(describe("0 */2 * * *", null, null))
        .isEqualTo("every 2 hours at :00, Europe/Berlin");
    assertThat(describe("0 1-4 * * *", null, null))
        .isEqualTo("every hour at :00 from 01:00 to 04:00, Europe/Berlin");
    assertThat(describe("0 9 * * 1-5", null, null))
        .isEqualTo("at 09:00 on Monday to Friday, Europe/Berlin");
    assertThat(describe("0 3 * * 0,6", null, null))
        .isEqualTo("at 03:00 on Sundays and Saturdays, Europe/Berlin");
    assertThat(describe("0 3 * * 7", null, null)).isEqualTo("at 03:00 on Sundays, Europe/Berlin");
  }

  @Test
  void fallsBackToCronUtilsForTheRest() {
    assertThat(describe("15 3 1 * *", null, null)).endsWith(", Europe/Berlin").contains("03:15");
  }

  @Test
  void nextRunsFollowTheWindowAndTheZone() {
    SchedulePreview preview =
        SchedulePreview.of(
            Schedule.cron("*/30 1-5 * * *")
                .withWindow(LocalTime.of(1, 0), LocalTime.of(5, 0))
                .withTimezone(ZoneId.of("Europe/Berlin")));
    assertThat(preview.nextRuns(Instant.parse("2026-06-01T12:00:00Z"), 9))
        .extracting(ZonedDateTime::toString)
        .containsExactly(
            "2026-06-02T01:00+02:00[Europe/Berlin]",
            "2026-06-02T01:30+02:00[Europe/Berlin]",
            "2026-06-02T02:00+02:00[Europe/Berlin]",
            "2026-06-02T02:30+02:00[Europe/Berlin]",
            "2026-06-02T03:00+02:00[Europe/Berlin]",
            "2026-06-02T03:30+02:00[Europe/Berlin]",
            "2026-06-02T04:00+02:00[Europe/Berlin]",
            "2026-06-02T04:30+02:00[Europe/Berlin]",
            "2026-06-03T01:00+02:00[Europe/Berlin]");
    assertThat(preview.nextRuns(Instant.EPOCH, 0)).isEmpty();
  }

  @Test
  void aScheduleThatNeverFiresInItsWindowHasNoRuns() {
    SchedulePreview preview =
        SchedulePreview.of(
            Schedule.cron("0 12 * * *")
                .withWindow(LocalTime.of(1, 0), LocalTime.of(5, 0))
                .withTimezone(ZoneId.of("UTC")));
    assertThat(preview.nextRuns(Instant.EPOCH, 5)).isEmpty();
  }
}
