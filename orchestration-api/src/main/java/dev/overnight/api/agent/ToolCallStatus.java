package dev.overnight.api.agent;

import java.util.Locale;
import java.util.Optional;

/**
 * Progress of a tool call.
 *
 * @since 0.1.0
 */
public enum ToolCallStatus {
  /** Not started yet (e.g. awaiting permission). */
  PENDING,
  /** Running. */
  IN_PROGRESS,
  /** Finished successfully. */
  COMPLETED,
  /** Finished with an error. */
  FAILED;

  /** Parses the protocol's snake_case name; unknown or absent names give empty. */
  public static Optional<ToolCallStatus> fromWire(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The protocol's snake_case name. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
