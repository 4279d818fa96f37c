package dev.overnight.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.MissedRunPolicy;
import dev.overnight.api.config.Schedule;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NightEndTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private static Schedule window(int from, int to) {
    return new Schedule(
        "0 * * * *",
        Optional.of(LocalTime.of(from, 0)),
        Optional.of(LocalTime.of(to, 0)),
        0,
        MissedRunPolicy.SKIP,
        Optional.of(PARIS));
  }

  @Test
  void insideAWindowTheNightEndsWithIt() {
    // 02:00 in Paris, inside 23:00-06:00: until 06:00 the same morning.
    assertThat(NightEnd.after(window(23, 6), Instant.parse("2026-11-25T01:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-25T05:00:00Z"));
    // 23:30 in Paris: until 06:00 the next morning.
    assertThat(NightEnd.after(window(23, 6), Instant.parse("2026-11-25T22:30:00Z")))
        .isEqualTo(Instant.parse("2026-11-26T05:00:00Z"));
    // 01:00-05:00 without crossing midnight, at 03:00 in Paris.
    assertThat(NightEnd.after(window(1, 5), Instant.parse("2026-11-25T02:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-25T04:00:00Z"));
  }

  @Test
  void outsideTheWindowTheComingNightTriesAfresh() {
    // 15:00 in Paris, a cycle run by hand: parked until the window opens at 23:00.
    assertThat(NightEnd.after(window(23, 6), Instant.parse("2026-11-25T14:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-25T22:00:00Z"));
  }

  @Test
  void withoutAWindowTwelveHours() {
    Instant now = Instant.parse("2026-11-25T14:00:00Z");
    assertThat(NightEnd.after(Schedule.cron("0 2 * * *"), now))
        .isEqualTo(now.plus(NightEnd.WITHOUT_WINDOW));
  }
}
