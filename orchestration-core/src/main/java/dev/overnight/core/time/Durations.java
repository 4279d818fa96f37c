package dev.overnight.core.time;

import java.time.Duration;
import java.util.Locale;

/**
 * How Overnight writes a duration for people, everywhere: logs, events, reports, the command line.
 * The two largest units that matter, exact below a minute: {@code 120 ms}, {@code 2.5 s}, {@code 45
 * s}, {@code 1 min 30 s}, {@code 12 min}, {@code 2 h}, {@code 2 h 10 min}.
 *
 * <p>Stateless and thread-safe. Zero, and a negative duration, are written {@code 0 s}.
 *
 * @since 0.1.0
 */
public final class Durations {
  private Durations() {}

  /** The duration in words, as the class says. */
  public static String human(Duration d) {
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    long millis = d.toMillis();
    if (millis == 0) {
      return "0 s"; // nothing took no time; "0 ms" would claim a precision it does not have
    }
    if (millis < 1000) {
      return millis + " ms";
    }
    long seconds = d.toSeconds();
    if (seconds < 60) {
      return millis % 1000 == 0
          ? seconds + " s"
          : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    long minutes = seconds / 60;
    if (minutes < 60) {
      long rest = seconds % 60;
      return minutes + " min" + (rest == 0 ? "" : " " + rest + " s");
    }
    long hours = minutes / 60;
    long rest = minutes % 60;
    return hours + " h" + (rest == 0 ? "" : " " + rest + " min");
  }

  /** {@link #human(Duration)} of a number of milliseconds. */
  public static String human(long millis) {
    return human(Duration.ofMillis(millis));
  }
}
