package dev.overnight.api.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a scheduler must remember across restarts to know what it missed.
 *
 * @param schedulerId the scheduler (the config's id)
 * @param lastRunAt when the last cycle started
 * @param lastPlannedAt the cron time of the last occurrence handled (run or skipped)
 * @param nextPlannedWake the wake planned before the process went away
 * @param catchUpPending a missed run still owes one catch-up cycle
 * @param cycleCount cycles started, ever
 * @param savedAt when this snapshot was written
 * @since 0.1.0
 */
public record SchedulerSnapshot(
    String schedulerId,
    Optional<Instant> lastRunAt,
    Optional<Instant> lastPlannedAt,
    Optional<Instant> nextPlannedWake,
    boolean catchUpPending,
    long cycleCount,
    Instant savedAt) {

  /** Validates the components. */
  public SchedulerSnapshot {
    Objects.requireNonNull(schedulerId, "schedulerId");
    Objects.requireNonNull(lastRunAt, "lastRunAt");
    Objects.requireNonNull(lastPlannedAt, "lastPlannedAt");
    Objects.requireNonNull(nextPlannedWake, "nextPlannedWake");
    Objects.requireNonNull(savedAt, "savedAt");
  }
}
