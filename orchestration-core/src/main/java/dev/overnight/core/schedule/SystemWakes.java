package dev.overnight.core.schedule;

import dev.overnight.api.TimeSource;
import dev.overnight.api.WakeScheduler;
import dev.overnight.api.WakeScheduler.Scheduled;
import dev.overnight.api.WakeScheduler.WakeId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one system wake scheduled {@code lead} before the scheduler's next planned wake, so a
 * machine asleep at that time wakes up for it: replaced when the plan changes, cancelled when the
 * plan goes away and on {@link #close()}.
 *
 * <p>Not thread-safe: the scheduler calls it with its lock held. A call may block for as long as
 * the platform's {@link WakeScheduler} takes. A wake the platform refuses is logged once per plan
 * and does not stop the scheduler: the night still runs whenever the machine is awake.
 */
final class SystemWakes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SystemWakes.class);

  private final String id;
  private final Optional<WakeScheduler> scheduler;
  private final Duration lead;
  private final TimeSource time;
  private Instant requestedFor;
  private WakeId outstanding;

  /**
   * Creates the keeper.
   *
   * @param id the scheduler's id, for the wake's reason
   * @param scheduler the platform's wake scheduler; empty when wakes are off
   * @param lead how long before the planned wake the machine should wake
   * @param time tells which instants have passed
   */
  SystemWakes(String id, Optional<WakeScheduler> scheduler, Duration lead, TimeSource time) {
    this.id = Objects.requireNonNull(id, "id");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.lead = Objects.requireNonNull(lead, "lead");
    this.time = Objects.requireNonNull(time, "time");
  }

  /** No system wakes. */
  static SystemWakes none(String id, TimeSource time) {
    return new SystemWakes(id, Optional.empty(), Duration.ZERO, time);
  }

  /** The scheduler planned its next wake at {@code wakeAt}, or none. */
  void planned(Optional<Instant> wakeAt) {
    if (scheduler.isEmpty() || Objects.equals(wakeAt.orElse(null), requestedFor)) {
      return;
    }
    cancelOutstanding();
    requestedFor = wakeAt.orElse(null);
    if (wakeAt.isEmpty()) {
      return;
    }
    Instant at = wakeAt.get().minus(lead);
    if (!at.isAfter(time.instant())) {
      // Too close to wake the machine ahead of it: it is awake now, as this code runs.
      return;
    }
    Scheduled s = scheduler.get().schedule(at, "Overnight " + id + ": window at " + wakeAt.get());
    if (s.id().isPresent()) {
      outstanding = s.id().get();
      LOG.info(
          "Scheduler {}: the machine will wake at {} for the wake at {}", id, at, wakeAt.get());
    } else {
      LOG.warn(
          "Scheduler {}: could not schedule a system wake at {}: {}; the night runs only if the"
              + " machine is awake",
          id,
          at,
          s.failure());
    }
  }

  /** Cancels the outstanding wake, if any. */
  @Override
  public void close() {
    cancelOutstanding();
    requestedFor = null;
  }

  private void cancelOutstanding() {
    if (outstanding != null) {
      scheduler.ifPresent(s -> s.cancel(outstanding));
      outstanding = null;
    }
  }
}
