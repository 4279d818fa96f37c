package dev.overnight.core.report;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A night alarm: the schedule fired on K nights in a row without producing a change, or fired on
 * none of the last K nights it was due. The morning report, {@code overnight status} and the
 * dashboard put it first. Found by {@link NightAlarms#of}.
 *
 * @param kind which of the two it is
 * @param nights the K nights it covers, oldest first (each named by the evening it began)
 * @param message the alarm in words, with the evidence behind it
 * @since 0.1.0
 */
public record NightAlarm(Kind kind, List<LocalDate> nights, String message) {

  /** Validates and copies the components. */
  public NightAlarm {
    Objects.requireNonNull(kind, "kind");
    nights = List.copyOf(nights);
    Objects.requireNonNull(message, "message");
  }

  /** Which alarm. */
  public enum Kind {
    /** Wakes fired on each of the last K nights, but no task produced a change. */
    NO_CHANGE,
    /** No wake fired on any of the last K nights the schedule was due. */
    NEVER_FIRED;

    /** The kind as a snake_case key, for JSON. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
