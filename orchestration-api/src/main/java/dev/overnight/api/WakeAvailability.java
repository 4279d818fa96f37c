package dev.overnight.api;

import java.util.Objects;

/**
 * Whether a {@link WakeScheduler} can wake this machine, and through what or why not.
 *
 * @param possible whether scheduling a wake is expected to work here
 * @param mechanism what would wake the machine ({@code "rtcwake"}, {@code "systemd timer"}), or
 *     {@code ""} when nothing would
 * @param detail when possible, anything the user should know; otherwise why not and the fix
 * @since 0.1.0
 */
public record WakeAvailability(boolean possible, String mechanism, String detail) {

  /** Validates the components. */
  public WakeAvailability {
    Objects.requireNonNull(mechanism, "mechanism");
    Objects.requireNonNull(detail, "detail");
  }

  /** Wake scheduling works here through {@code mechanism}. */
  public static WakeAvailability possible(String mechanism, String detail) {
    return new WakeAvailability(true, mechanism, detail);
  }

  /** Wake scheduling does not work here, because {@code why}. */
  public static WakeAvailability impossible(String why) {
    return new WakeAvailability(false, "", why);
  }
}
