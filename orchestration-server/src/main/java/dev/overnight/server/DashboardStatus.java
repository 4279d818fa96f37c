package dev.overnight.server;

import dev.overnight.api.Availability;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.schedule.SchedulerMetrics;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.core.coordinator.CoordinatorMetrics;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the dashboard's status panel shows.
 *
 * @param state the scheduler's state
 * @param nextWake the next planned wake, when running
 * @param metrics the scheduler's counters
 * @param constraints the last constraint results, by checker name
 * @param constraintsCheckedAt when the constraints were last checked
 * @param coordinator the coordinator's counters, when there is one
 * @param agents every agent's availability, by agent id
 * @since 0.1.0
 */
public record DashboardStatus(
    SchedulerState state,
    Optional<Instant> nextWake,
    SchedulerMetrics metrics,
    Map<String, ConstraintResult> constraints,
    Optional<Instant> constraintsCheckedAt,
    Optional<CoordinatorMetrics> coordinator,
    Map<String, Availability> agents) {

  /** Validates and copies the components, keeping the maps' order. */
  public DashboardStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(nextWake, "nextWake");
    Objects.requireNonNull(metrics, "metrics");
    constraints = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(constraints));
    Objects.requireNonNull(constraintsCheckedAt, "constraintsCheckedAt");
    Objects.requireNonNull(coordinator, "coordinator");
    agents = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(agents));
  }
}
