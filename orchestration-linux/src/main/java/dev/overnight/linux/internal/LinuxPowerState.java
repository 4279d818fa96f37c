package dev.overnight.linux.internal;

import dev.overnight.api.PowerState;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintStatus;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a Linux machine's {@link PowerState}: battery from {@code /sys/class/power_supply} by the
 * {@code plugged_in} rules ({@link PowerSupplyChecker}), the lid from {@code
 * /proc/acpi/button/lid/}{@code *}{@code /state} where the ACPI button driver provides it. Linux
 * has no dark wake, so that reading is always empty.
 *
 * <p>Thread-safe; each read is a few small file reads. Never throws: what cannot be read is empty.
 */
public final class LinuxPowerState {
  private static final String LIDS = "acpi/button/lid";

  private final LinuxHost host;

  /** Reads through {@code host}. */
  public LinuxPowerState(LinuxHost host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  /** The power state now. */
  public PowerState read() {
    return new PowerState(onBattery(), lidClosed(), Optional.empty());
  }

  private Optional<Boolean> onBattery() {
    try {
      ConstraintResult r = new PowerSupplyChecker(host).check();
      return r.status() == ConstraintStatus.UNKNOWN
          ? Optional.empty()
          : Optional.of(!r.isSatisfied());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Closed if any lid says so ({@code "state: closed"}); empty when no lid is listed. */
  private Optional<Boolean> lidClosed() {
    Optional<Boolean> closed = Optional.empty();
    for (String lid : host.procList(LIDS)) {
      Optional<String> state =
          host.proc(LIDS + "/" + lid + "/state").map(t -> t.toLowerCase(Locale.ROOT));
      if (state.filter(t -> t.contains("closed")).isPresent()) {
        return Optional.of(true);
      }
      if (state.filter(t -> t.contains("open")).isPresent()) {
        closed = Optional.of(false);
      }
    }
    return closed;
  }
}
