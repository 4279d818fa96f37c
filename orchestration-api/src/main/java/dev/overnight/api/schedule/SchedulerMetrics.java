package dev.overnight.api.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A snapshot of the scheduler's counters.
 *
 * @param cycleCount cycles started
 * @param state the state's name ({@code idle}, {@code running}, {@code paused}, {@code stopped})
 * @param lastRunTime when the last cycle started
 * @param secondsSinceLastRun seconds from the last cycle's start to the snapshot
 * @param skippedByReason planned cycles that did not run, by reason
 * @param totalCycleTime time spent in cycles
 * @since 0.1.0
 */
public record SchedulerMetrics(
    long cycleCount,
    String state,
    Optional<Instant> lastRunTime,
    OptionalLong secondsSinceLastRun,
    Map<SkipReason, Long> skippedByReason,
    Duration totalCycleTime) {

  /** Validates and copies the components. */
  public SchedulerMetrics {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lastRunTime, "lastRunTime");
    Objects.requireNonNull(secondsSinceLastRun, "secondsSinceLastRun");
    skippedByReason =
        skippedByReason.isEmpty()
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new EnumMap<>(skippedByReason));
    Objects.requireNonNull(totalCycleTime, "totalCycleTime");
  }

  /** Planned cycles that did not run, for every reason. */
  public long skippedTotal() {
    return skippedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Renders the snapshot as JSON with the original design's snake_case keys ({@code cycle_count},
   * {@code state}, {@code last_run_time}, {@code seconds_since_last_run}) plus {@code
   * skipped_by_reason} and {@code total_cycle_time_ms}.
   */
  public String toJson() {
    StringBuilder json = new StringBuilder("{\"cycle_count\":").append(cycleCount);
    json.append(",\"state\":\"").append(state).append('"');
    lastRunTime.ifPresent(t -> json.append(",\"last_run_time\":\"").append(t).append('"'));
    secondsSinceLastRun.ifPresent(s -> json.append(",\"seconds_since_last_run\":").append(s));
    json.append(",\"skipped_by_reason\":{");
    String sep = "";
    for (Map.Entry<SkipReason, Long> e : skippedByReason.entrySet()) {
      json.append(sep).append('"').append(e.getKey().key()).append("\":").append(e.getValue());
      sep = ",";
    }
    json.append("},\"total_cycle_time_ms\":").append(totalCycleTime.toMillis()).append('}');
    return json.toString();
  }
}
