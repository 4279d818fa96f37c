package dev.overnight.api.agent;

import java.util.Locale;
import java.util.Optional;

/**
 * Why an agent ended its turn.
 *
 * @since 0.1.0
 */
public enum StopReason {
  /** It finished. */
  END_TURN,
  /** It hit its token limit. */
  MAX_TOKENS,
  /** It hit its limit of model requests in one turn. */
  MAX_TURN_REQUESTS,
  /** It refused to continue. */
  REFUSAL,
  /** The turn was cancelled (budget, stop, hang). */
  CANCELLED;

  /** Parses the protocol's snake_case name. */
  public static Optional<StopReason> fromWire(String name) {
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
