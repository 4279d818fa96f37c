package dev.overnight.macos.internal;

import dev.overnight.api.PowerState;
import dev.overnight.api.WakeAvailability;
import dev.overnight.api.WakeScheduler;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes a Mac through {@code IOPMSchedulePowerEvent(date, "dev.overnight", "wake")} and removes the
 * wake with {@code IOPMCancelScheduledPowerEvent} and the same three values ({@code pmset -g sched}
 * lists them).
 *
 * <p>IOKit accepts power events from root only, so the service must run as a LaunchDaemon for this
 * to work; otherwise {@link #availability()} says so and nothing is attempted. Thread-safe; calls
 * are short native calls. Native failures become a {@link Scheduled#failed} result, never an
 * exception.
 */
public final class MacWakeScheduler implements WakeScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(MacWakeScheduler.class);
  static final String OWNER = "dev.overnight";
  static final String WAKE = "wake";
  private static final String PREFIX = "iopm:";

  private final MacSystem system;
  private final BooleanSupplier root;
  private final InstantSource clock;

  /**
   * Creates the scheduler.
   *
   * @param system the native facade
   * @param root whether this process runs as root
   * @param clock tells which instants have passed
   */
  public MacWakeScheduler(MacSystem system, BooleanSupplier root, InstantSource clock) {
    this.system = Objects.requireNonNull(system, "system");
    this.root = Objects.requireNonNull(root, "root");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public WakeAvailability availability() {
    if (!root.getAsBoolean()) {
      return WakeAvailability.impossible(
          "IOPMSchedulePowerEvent accepts wakes from root only: install the service as a"
              + " LaunchDaemon, or schedule the wake by hand with sudo pmset schedule wake");
    }
    return WakeAvailability.possible("IOPMSchedulePowerEvent", "listed by pmset -g sched");
  }

  @Override
  public Scheduled schedule(Instant at, String reason) {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reason, "reason");
    if (!at.isAfter(clock.instant())) {
      return Scheduled.failed("the wake time " + at + " has passed");
    }
    WakeAvailability availability = availability();
    if (!availability.possible()) {
      return Scheduled.failed(availability.detail());
    }
    try {
      int ret = system.schedulePowerEvent(at, OWNER, WAKE);
      if (ret != 0) {
        return Scheduled.failed("IOPMSchedulePowerEvent returned " + String.format("0x%08x", ret));
      }
      return Scheduled.ok(new WakeId(PREFIX + OWNER, at));
    } catch (RuntimeException | LinkageError e) {
      return Scheduled.failed("IOPMSchedulePowerEvent failed: " + e);
    }
  }

  @Override
  public void cancel(WakeId id) {
    Objects.requireNonNull(id, "id");
    if (!id.value().startsWith(PREFIX)) {
      return;
    }
    try {
      int ret = system.cancelPowerEvent(id.at(), id.value().substring(PREFIX.length()), WAKE);
      if (ret != 0) {
        // A wake that already fired is gone either way.
        LOG.debug("IOPMCancelScheduledPowerEvent returned {}", String.format("0x%08x", ret));
      }
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("could not cancel the wake at {}: {}", id.at(), e.toString());
    }
  }

  /**
   * Battery from {@code IOPSGetProvidingPowerSourceType} ({@code Battery Power} or {@code UPS
   * Power}), the lid from {@code AppleClamshellState}, a dark wake from the system capabilities
   * (CPU without video). A reading whose native call fails is empty.
   */
  @Override
  public PowerState powerState() {
    return new PowerState(onBattery(), lidClosed(), darkWake());
  }

  private Optional<Boolean> onBattery() {
    try {
      return system
          .powerSources()
          .providingType()
          .filter(t -> !t.isBlank())
          .map(t -> !t.equals("AC Power"));
    } catch (RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  private Optional<Boolean> lidClosed() {
    try {
      return system.clamshellClosed();
    } catch (RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  private Optional<Boolean> darkWake() {
    try {
      int bits = system.systemCapabilities();
      boolean cpu = (bits & IOKitPowerManagement.CAPABILITY_CPU) != 0;
      boolean video = (bits & IOKitPowerManagement.CAPABILITY_VIDEO) != 0;
      return Optional.of(cpu && !video);
    } catch (RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  @Override
  public String describe() {
    return "IOPMSchedulePowerEvent";
  }
}
