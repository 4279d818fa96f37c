package dev.overnight.core.platform;

import dev.overnight.api.config.Constraints;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.core.time.Durations;
import java.time.Duration;

/**
 * The {@code suspend_if_active} rule: the user must have been idle for at least {@code
 * idle_minutes}.
 *
 * @param minimum how long the user must have been idle
 * @since 0.1.0
 */
public record IdleRequirement(Duration minimum) {

  /** Largest accepted {@code idle_minutes}: one day. */
  public static final int MAX_IDLE_MINUTES = 24 * 60;

  /** Validates the minimum. */
  public IdleRequirement {
    if (minimum.isNegative() || minimum.isZero()) {
      throw new IllegalArgumentException("minimum must be positive: " + minimum);
    }
  }

  /**
   * Reads {@code idle_minutes} from the constraints section.
   *
   * @throws dev.overnight.api.config.ConfigException when it is not between 1 and 1440
   */
  public static IdleRequirement from(ConstraintSettings settings) {
    CheckerSettings.requireFlag(settings);
    Constraints c = settings.constraints();
    int minutes = c.idleMinutes();
    if (minutes < 1 || minutes > MAX_IDLE_MINUTES) {
      throw CheckerSettings.invalidAt(
          "/constraints/idle_minutes",
          "must be between 1 and " + MAX_IDLE_MINUTES + " minutes, not " + minutes);
    }
    return new IdleRequirement(Duration.ofMinutes(minutes));
  }

  /**
   * Judges how long the user has been idle: {@code idle 3 min < 15 min (HIDIdleTime)} or {@code
   * idle 22 min ≥ 15 min (HIDIdleTime)}.
   *
   * @param source where the figure came from, shown in the reason
   */
  public ConstraintResult judge(Duration idle, String source) {
    String text = "idle " + Durations.human(idle);
    String min = Durations.human(minimum);
    String from = " (" + source + ")";
    return idle.compareTo(minimum) >= 0
        ? ConstraintResult.satisfied(text + " ≥ " + min + from)
        : ConstraintResult.unsatisfied(text + " < " + min + from + ": the user is active");
  }
}
