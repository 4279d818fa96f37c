package dev.overnight.api.schedule;

import java.time.Instant;
import java.util.Objects;

/**
 * Where the scheduler is in its life.
 *
 * <pre>
 * Idle ──start()──▶ Running(nextWake) ──constraints unsatisfied──▶ Paused(reason, retryAt)
 *                        ▲   │                                          │
 *                        │   └──────────────stop()──────────▶ Stopped ◀─┘ stop()
 *                        └──────────────constraints satisfied──────────┘
 * </pre>
 *
 * @since 0.1.0
 */
public sealed interface SchedulerState {

  /** The state's name as the metrics JSON reports it: {@code idle}, {@code running}, ... */
  String name();

  /** Created, not started. */
  record Idle() implements SchedulerState {
    @Override
    public String name() {
      return "idle";
    }
  }

  /**
   * Started; waiting for {@code nextWake} or running a cycle.
   *
   * @param nextWake the next planned wake (cron time plus jitter)
   */
  record Running(Instant nextWake) implements SchedulerState {
    /** Validates the wake time. */
    public Running {
      Objects.requireNonNull(nextWake, "nextWake");
    }

    @Override
    public String name() {
      return "running";
    }
  }

  /**
   * Started, but held back: constraints are unsatisfied (or a user paused it); checks again at
   * {@code retryAt}.
   *
   * @param reason why, e.g. {@code "plugged_in: on battery (58%)"}
   * @param retryAt when the constraints are checked again
   */
  record Paused(String reason, Instant retryAt) implements SchedulerState {
    /** Validates the components. */
    public Paused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(retryAt, "retryAt");
    }

    @Override
    public String name() {
      return "paused";
    }
  }

  /** Stopped for good; {@code start()} does not restart it. */
  record Stopped() implements SchedulerState {
    @Override
    public String name() {
      return "stopped";
    }
  }
}
