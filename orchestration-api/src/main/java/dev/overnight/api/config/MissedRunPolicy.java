package dev.overnight.api.config;

import java.util.Locale;
import java.util.Optional;

/**
 * What the scheduler does about occurrences it missed: the process was down, the machine slept past
 * the planned wake, constraints held it back, or a cycle was still running.
 *
 * @since 0.1.0
 */
public enum MissedRunPolicy {
  /** Drop missed runs; wait for the next occurrence. The default. */
  SKIP("skip"),
  /** Run exactly one catch-up cycle as soon as it may, however many runs were missed. */
  RUN_ONCE_AT_NEXT_OPPORTUNITY("run_once_at_next_opportunity");

  private final String jsonName;

  MissedRunPolicy(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The value as written in the config file. */
  public String jsonName() {
    return jsonName;
  }

  /**
   * Parses a config value. Accepts {@code catch_up} as an alias of {@link
   * #RUN_ONCE_AT_NEXT_OPPORTUNITY} (the name older configs used).
   */
  public static Optional<MissedRunPolicy> parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("catch_up")) {
      return Optional.of(RUN_ONCE_AT_NEXT_OPPORTUNITY);
    }
    for (MissedRunPolicy p : values()) {
      if (p.jsonName.equals(t)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
