package dev.overnight.core.notify.internal;

import dev.overnight.api.config.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Where a night ends, for notifications: the end of the schedule's window when a moment lies inside
 * it. Stateless.
 */
public final class NightWindow {
  /** How far ahead "past the night" lies for a schedule without a window. */
  static final Duration WITHOUT_WINDOW = Duration.ofHours(12);

  private NightWindow() {}

  /** The end of the window {@code at} lies in; empty without a window or outside it. */
  public static Optional<Instant> endOfWindow(Schedule schedule, Instant at) {
    if (schedule.windowStart().isEmpty() || schedule.windowEnd().isEmpty()) {
      return Optional.empty();
    }
    ZoneId zone = schedule.zoneOrDefault();
    LocalDateTime local = LocalDateTime.ofInstant(at, zone);
    LocalTime start = schedule.windowStart().get();
    LocalTime end = schedule.windowEnd().get();
    LocalTime t = local.toLocalTime();
    boolean inside =
        start.isBefore(end)
            ? !t.isBefore(start) && t.isBefore(end)
            : !t.isBefore(start) || t.isBefore(end);
    if (!inside) {
      return Optional.empty();
    }
    LocalDateTime next = local.toLocalDate().atTime(end);
    if (!next.isAfter(local)) {
      next = next.plusDays(1);
    }
    return Optional.of(next.atZone(zone).toInstant());
  }

  /**
   * Whether an agent parked at {@code at} until {@code until} is out for the rest of the night:
   * past the window's end inside a window, more than twelve hours without one, and always for a
   * cycle run by hand outside the window (someone wants it now).
   */
  public static boolean pastTheNight(Schedule schedule, Instant at, Instant until) {
    boolean windowed = schedule.windowStart().isPresent() && schedule.windowEnd().isPresent();
    if (!windowed) {
      return until.isAfter(at.plus(WITHOUT_WINDOW));
    }
    return endOfWindow(schedule, at).map(until::isAfter).orElse(true);
  }
}
