package dev.overnight.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void theTwoLargestUnitsThatMatterExactBelowAMinute() {
    assertThat(Durations.human(Duration.ZERO)).isEqualTo("0 s");
    assertThat(Durations.human(Duration.ofMillis(1))).isEqualTo("1 ms");
    assertThat(Durations.human(Duration.ofMillis(120))).isEqualTo("120 ms");
    assertThat(Durations.human(Duration.ofMillis(2500))).isEqualTo("2.5 s");
    assertThat(Durations.human(Duration.ofSeconds(2))).isEqualTo("2 s");
    assertThat(Durations.human(Duration.ofSeconds(45))).isEqualTo("45 s");
    assertThat(Durations.human(Duration.ofSeconds(90))).isEqualTo("1 min 30 s");
    assertThat(Durations.human(Duration.ofMinutes(12))).isEqualTo("12 min");
    assertThat(Durations.human(Duration.ofMinutes(12).plusMillis(400))).isEqualTo("12 min");
    assertThat(Durations.human(Duration.ofHours(2))).isEqualTo("2 h");
    assertThat(Durations.human(Duration.ofMinutes(130).plusSeconds(59))).isEqualTo("2 h 10 min");
    assertThat(Durations.human(1_800_000)).isEqualTo("30 min");
  }

  @Test
  void negativeDurationsAreWrittenAsZero() {
    assertThat(Durations.human(Duration.ofSeconds(-5))).isEqualTo("0 s");
  }
}
