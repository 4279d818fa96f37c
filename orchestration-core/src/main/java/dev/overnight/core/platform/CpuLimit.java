package dev.overnight.core.platform;

import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.core.time.Durations;
import java.time.Duration;

/**
 * The {@code cpu_max_percentage} rule: total CPU use over a short window must be at or below the
 * limit.
 *
 * @param maxPercent the limit, above 0 and at most 100
 * @since 0.1.0
 */
public record CpuLimit(double maxPercent) {

  /** Validates the limit. */
  public CpuLimit {
    if (!(maxPercent > 0 && maxPercent <= 100)) {
      throw new IllegalArgumentException("maxPercent must be in (0, 100]: " + maxPercent);
    }
  }

  /**
   * Reads the limit from a checker's settings: the config's number.
   *
   * @throws dev.overnight.api.config.ConfigException when it is not a number in (0, 100]
   */
  public static CpuLimit from(ConstraintSettings settings) {
    Object value = settings.value();
    if (!(value instanceof Number n)) {
      throw CheckerSettings.invalid(
          settings,
          "must be a percentage between 0 and 100, not " + CheckerSettings.describe(value));
    }
    double max = n.doubleValue();
    if (!(max > 0 && max <= 100)) {
      throw CheckerSettings.invalid(
          settings, "must be a percentage above 0 and at most 100, not " + Numbers.plain(max));
    }
    return new CpuLimit(max);
  }

  /**
   * Judges a measured load: {@code CPU 91% > 80% (over 500 ms)} or {@code CPU 12% ≤ 80% (over 500
   * ms)}.
   */
  public ConstraintResult judge(double busyPercent, Duration window) {
    String over = " (over " + Durations.human(window) + ")";
    String measured = Numbers.percent(busyPercent, maxPercent);
    String limit = Numbers.plain(maxPercent);
    return busyPercent <= maxPercent
        ? ConstraintResult.satisfied("CPU " + measured + "% ≤ " + limit + "%" + over)
        : ConstraintResult.unsatisfied("CPU " + measured + "% > " + limit + "%" + over);
  }
}
