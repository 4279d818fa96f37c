package dev.overnight.core.schedule;

import dev.overnight.api.PowerState;
import dev.overnight.api.TimeSource;
import dev.overnight.api.WakeScheduler;
import dev.overnight.api.WakeScheduler.Scheduled;
import dev.overnight.api.WakeScheduler.WakeId;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
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
 * <p>It also remembers what became of the system wake for the planned occurrence, so that an
 * occurrence the machine slept through says why on its receipt: the wake could not be scheduled, or
 * was scheduled and the machine did not wake. And before a due wake fires it reads the platform's
 * {@link PowerState}: a night that sleep would cut (a dark wake, a closed lid on battery, battery
 * when {@code plugged_in} is required) is deferred instead of started.
 *
 * <p>Not thread-safe: the scheduler calls it with its lock held, except {@link #deferral()}, which
 * reads only the thread-safe wake scheduler and may run on the cycle thread. A call may block for
 * as long as the platform's {@link WakeScheduler} takes. A wake the platform refuses is logged once
 * per plan and does not stop the scheduler: the night still runs whenever the machine is awake.
 */
final class SystemWakes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SystemWakes.class);

  private final String id;
  private final Optional<WakeScheduler> scheduler;
  private final Duration lead;
  private final TimeSource time;
  private final boolean pluggedInRequired;
  private Instant requestedFor;
  private WakeId outstanding;
  private Attempt last;

  /**
   * What became of the system wake for one occurrence.
   *
   * @param occurrenceAt the occurrence's cron time
   * @param wakeAt when the machine was to wake
   * @param failure why it could not be scheduled; empty when it was
   */
  record Attempt(Instant occurrenceAt, Instant wakeAt, Optional<String> failure) {}

  /**
   * Creates the keeper.
   *
   * @param id the scheduler's id, for the wake's reason
   * @param scheduler the platform's wake scheduler; empty when wakes are off
   * @param lead how long before the planned wake the machine should wake
   * @param time tells which instants have passed
   * @param pluggedInRequired whether the {@code plugged_in} constraint is on: battery power then
   *     defers a due wake
   */
  SystemWakes(
      String id,
      Optional<WakeScheduler> scheduler,
      Duration lead,
      TimeSource time,
      boolean pluggedInRequired) {
    this.id = Objects.requireNonNull(id, "id");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.lead = Objects.requireNonNull(lead, "lead");
    this.time = Objects.requireNonNull(time, "time");
    this.pluggedInRequired = pluggedInRequired;
  }

  /** No system wakes. */
  static SystemWakes none(String id, TimeSource time) {
    return new SystemWakes(id, Optional.empty(), Duration.ZERO, time, false);
  }

  /** The scheduler planned its next wake for {@code plan}, or none. */
  void planned(Optional<WakePlan> plan) {
    if (scheduler.isEmpty()) {
      return;
    }
    Optional<Instant> wakeAt = plan.map(WakePlan::wakeAt);
    if (Objects.equals(wakeAt.orElse(null), requestedFor)) {
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
    Instant occurrenceAt = plan.get().occurrence().at();
    last =
        new Attempt(
            occurrenceAt, at, s.id().isPresent() ? Optional.empty() : Optional.of(s.failure()));
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

  /**
   * The receipt for an occurrence at {@code occurrenceAt} the machine slept through, when a system
   * wake was meant to wake it for it: the wake could not be scheduled (and why), or was scheduled
   * and the machine did not wake. Empty when no system wake was tried for it.
   */
  Optional<WakeReceipt> sleptThrough(Instant occurrenceAt, boolean owed) {
    if (last == null || !last.occurrenceAt().equals(occurrenceAt)) {
      return Optional.empty();
    }
    WakeReason reason;
    String detail;
    if (last.failure().isPresent()) {
      reason = WakeReason.WAKE_NOT_SCHEDULED;
      detail =
          "the system wake at "
              + last.wakeAt()
              + " could not be scheduled: "
              + last.failure().get();
    } else {
      reason = WakeReason.WAKE_MISSED;
      detail =
          "a system wake was scheduled at "
              + last.wakeAt()
              + " through "
              + scheduler.map(WakeScheduler::describe).orElse("the platform")
              + ", but the machine did not wake for it";
    }
    return Optional.of(
        owed ? WakeReceipt.deferred(reason, detail) : WakeReceipt.skipped(reason, detail));
  }

  /**
   * Why a due wake should not start a cycle now, because sleep would cut it: a deferred receipt
   * naming the reason and the reading. Empty when wakes are off or nothing stands in the way. Reads
   * the platform's power state; never throws.
   */
  Optional<WakeReceipt> deferral() {
    if (scheduler.isEmpty()) {
      return Optional.empty();
    }
    PowerState power;
    try {
      power = scheduler.get().powerState();
    } catch (RuntimeException e) {
      LOG.debug("Scheduler {}: could not read the power state", id, e);
      return Optional.empty();
    }
    return deferral(power, pluggedInRequired);
  }

  /** The rule {@link #deferral()} applies to a reading. */
  static Optional<WakeReceipt> deferral(PowerState power, boolean pluggedInRequired) {
    boolean battery = power.onBattery().orElse(false);
    if (power.darkWake().orElse(false)) {
      return Optional.of(
          WakeReceipt.deferred(
              WakeReason.DARK_WAKE,
              "the machine is in a dark wake (no display) and would sleep again before the night"
                  + " ends: "
                  + power.words()));
    }
    if (power.lidClosed().orElse(false) && battery) {
      return Optional.of(
          WakeReceipt.deferred(
              WakeReason.LID_CLOSED_ON_BATTERY,
              "the lid is closed on battery, so the machine would sleep again: " + power.words()));
    }
    if (battery && pluggedInRequired) {
      return Optional.of(
          WakeReceipt.deferred(
              WakeReason.ON_BATTERY,
              "plugged_in is required and the machine runs on battery: " + power.words()));
    }
    return Optional.empty();
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
