package dev.overnight.api.schedule;

import dev.overnight.api.constraint.ConstraintResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something the scheduler did, for listeners (logs, the dashboard, tests).
 *
 * @since 0.1.0
 */
public sealed interface SchedulerEvent {

  /** When it happened, on the scheduler's clock. */
  Instant at();

  /** The state changed. */
  record StateChanged(Instant at, SchedulerState from, SchedulerState to)
      implements SchedulerEvent {
    /** Validates the components. */
    public StateChanged {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /** Constraints were checked; every checker's result by name. */
  record ConstraintsChecked(Instant at, Map<String, ConstraintResult> results, boolean satisfied)
      implements SchedulerEvent {
    /** Validates and copies the components. */
    public ConstraintsChecked {
      Objects.requireNonNull(at, "at");
      results = Map.copyOf(results);
    }
  }

  /**
   * A cycle started.
   *
   * @param cycleId the cycle's id
   * @param plannedAt the cron time it was planned for
   * @param catchUp whether it is a catch-up for missed runs
   */
  record CycleStarted(Instant at, String cycleId, Instant plannedAt, boolean catchUp)
      implements SchedulerEvent {
    /** Validates the components. */
    public CycleStarted {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(cycleId, "cycleId");
      Objects.requireNonNull(plannedAt, "plannedAt");
    }
  }

  /**
   * A cycle ended.
   *
   * @param cycleId the cycle's id
   * @param duration how long it ran
   * @param error the failure, empty if it ended normally
   */
  record CycleFinished(
      Instant at, String cycleId, Duration duration, java.util.Optional<String> error)
      implements SchedulerEvent {
    /** Validates the components. */
    public CycleFinished {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(cycleId, "cycleId");
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * A planned cycle did not run.
   *
   * @param plannedAt the cron time it was planned for
   * @param reason why
   * @param detail specifics, e.g. the constraint that failed
   */
  record CycleSkipped(Instant at, Instant plannedAt, SkipReason reason, String detail)
      implements SchedulerEvent {
    /** Validates the components. */
    public CycleSkipped {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(plannedAt, "plannedAt");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** The scheduler paused (constraints unsatisfied, or by a user). */
  record Paused(Instant at, String reason, Instant retryAt) implements SchedulerEvent {
    /** Validates the components. */
    public Paused {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(retryAt, "retryAt");
    }
  }

  /** The scheduler resumed after a pause. */
  record Resumed(Instant at) implements SchedulerEvent {
    /** Validates the time. */
    public Resumed {
      Objects.requireNonNull(at, "at");
    }
  }
}
