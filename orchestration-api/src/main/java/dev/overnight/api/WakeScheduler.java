package dev.overnight.api;

import java.time.Instant;

/**
 * Asks the machine to wake itself from sleep at a given instant, so that a night's window is not
 * slept through.
 *
 * <p>Platform implementations ({@code rtcwake} or a systemd timer with {@code WakeSystem=true} on
 * Linux, {@code IOPMSchedulePowerEvent} on macOS) come from {@link WakeSchedulerProvider}s. Wake
 * scheduling often needs privileges the service lacks; {@link #availability()} says whether it
 * works here and, if not, why, without changing anything.
 *
 * <p>Thread-safe. {@link #schedule} and {@link #cancel} may block for as long as a helper process
 * takes (a few seconds at most). Neither throws for a platform refusal: {@link #schedule} returns
 * {@link Scheduled#failed(String)} with the reason, and {@link #cancel} of an unknown or already
 * passed wake is harmless. Both throw {@link NullPointerException} for null arguments.
 *
 * @since 0.1.0
 */
public interface WakeScheduler {

  /** Whether wake scheduling works here, checked without scheduling anything. Never throws. */
  WakeAvailability availability();

  /**
   * Schedules a system wake at {@code at}.
   *
   * @param at when the machine should wake; a past instant is refused
   * @param reason shown by the system where it can (a timer's description, a power event's owner)
   * @return the scheduled wake, or a failure saying why nothing was scheduled
   */
  Scheduled schedule(Instant at, String reason);

  /** Removes a wake this scheduler scheduled. Unknown or passed wakes are ignored. Never throws. */
  void cancel(WakeId id);

  /** A short description for diagnostics, e.g. {@code "rtcwake"} or {@code "IOPMSchedule"}. */
  String describe();

  /**
   * How the machine is powered and awake now, read before a due wake fires so that a night sleep
   * would cut (a dark wake, a closed lid on battery) is deferred instead of started. Cheap: a few
   * file reads or native calls. Never throws; what cannot be read is empty. None known by default.
   */
  default PowerState powerState() {
    return PowerState.unknown();
  }

  /** The identity of one scheduled wake, as the platform needs it to cancel it. */
  record WakeId(String value, Instant at) {
    /** Validates the components. */
    public WakeId {
      java.util.Objects.requireNonNull(value, "value");
      java.util.Objects.requireNonNull(at, "at");
    }
  }

  /**
   * What {@link #schedule} did: a wake with its id, or the reason none was scheduled.
   *
   * @param id the wake, empty when scheduling failed
   * @param failure why nothing was scheduled, {@code ""} when it worked
   */
  record Scheduled(java.util.Optional<WakeId> id, String failure) {
    /** Validates the components: exactly one of an id and a failure. */
    public Scheduled {
      java.util.Objects.requireNonNull(id, "id");
      java.util.Objects.requireNonNull(failure, "failure");
      if (id.isPresent() == !failure.isEmpty()) {
        throw new IllegalArgumentException("a scheduled wake has an id or a failure, not both");
      }
    }

    /** A wake that was scheduled. */
    public static Scheduled ok(WakeId id) {
      return new Scheduled(java.util.Optional.of(id), "");
    }

    /** Nothing was scheduled, because {@code why}. */
    public static Scheduled failed(String why) {
      return new Scheduled(java.util.Optional.empty(), why);
    }
  }
}
