package dev.overnight.api.config;

import java.util.Locale;
import java.util.Optional;

/**
 * How the constraint gate treats a checker that cannot tell ({@code UNKNOWN}): the platform gives
 * no answer, the checker timed out or threw.
 *
 * @since 0.1.0
 */
public enum UnknownPolicy {
  /** Unknown counts as unsatisfied: the cycle waits. The default, and the safe choice. */
  FAIL("fail"),
  /** Unknown counts as satisfied: the cycle runs, and the reason is logged. */
  PASS("pass");

  private final String jsonName;

  UnknownPolicy(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The value as written in the config file. */
  public String jsonName() {
    return jsonName;
  }

  /** Parses a config value ({@code fail} or {@code pass}). */
  public static Optional<UnknownPolicy> parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (UnknownPolicy p : values()) {
      if (p.jsonName.equals(t)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
