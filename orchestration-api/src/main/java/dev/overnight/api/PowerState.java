package dev.overnight.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the machine is powered and awake right now, as far as the platform can tell: what decides
 * whether a cycle started now would be cut by sleep. Each reading is empty when the platform cannot
 * tell (a desktop has no lid; Linux has no dark wake).
 *
 * @param onBattery whether the machine runs on battery (or a UPS) rather than mains power
 * @param lidClosed whether a laptop's lid is closed
 * @param darkWake whether the machine is in a dark wake: awake for background work, without its
 *     display, and back to sleep as soon as that work's grace runs out
 * @since 0.1.0
 */
public record PowerState(
    Optional<Boolean> onBattery, Optional<Boolean> lidClosed, Optional<Boolean> darkWake) {

  /** Validates the components. */
  public PowerState {
    Objects.requireNonNull(onBattery, "onBattery");
    Objects.requireNonNull(lidClosed, "lidClosed");
    Objects.requireNonNull(darkWake, "darkWake");
  }

  /** Nothing known. */
  public static PowerState unknown() {
    return new PowerState(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The readings in words, e.g. {@code "on battery, lid closed"}; {@code "unknown"} if none. */
  public String words() {
    List<String> parts = new ArrayList<>();
    onBattery.ifPresent(b -> parts.add(b ? "on battery" : "on mains power"));
    lidClosed.ifPresent(b -> parts.add(b ? "lid closed" : "lid open"));
    darkWake.ifPresent(b -> parts.add(b ? "dark wake (no display)" : "display awake"));
    return parts.isEmpty() ? "unknown" : String.join(", ", parts);
  }
}
