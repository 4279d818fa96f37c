package dev.overnight.api.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SchedulerMetricsTest {

  @Test
  void rendersTheOriginalSnakeCaseKeys() {
    SchedulerMetrics m =
        new SchedulerMetrics(
            8,
            "running",
            Optional.of(Instant.parse("2025-11-10T03:30:00Z")),
            OptionalLong.of(1800),
            Map.of(SkipReason.CONSTRAINTS_UNSATISFIED, 2L),
            Duration.ofMinutes(90));
    assertThat(m.toJson())
        .isEqualTo(
            "{\"cycle_count\":8,\"state\":\"running\",\"last_run_time\":\"2025-11-10T03:30:00Z\","
                + "\"seconds_since_last_run\":1800,\"skipped_by_reason\":"
                + "{\"constraints_unsatisfied\":2},\"total_cycle_time_ms\":5400000}");
    assertThat(m.skippedTotal()).isEqualTo(2);
  }

  @Test
  void omitsLastRunBeforeTheFirstCycle() {
    SchedulerMetrics m =
        new SchedulerMetrics(
            0, "idle", Optional.empty(), OptionalLong.empty(), Map.of(), Duration.ZERO);
    assertThat(m.toJson())
        .isEqualTo(
            "{\"cycle_count\":0,\"state\":\"idle\",\"skipped_by_reason\":{},"
                + "\"total_cycle_time_ms\":0}");
  }
}
