package dev.overnight.core.coordinator;

import dev.overnight.api.config.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Until when an agent that cannot start is left alone: the rest of the night. Inside the schedule's
 * window that is the window's end; outside it (a cycle run by hand) the next window's start, so the
 * coming night tries the agent afresh; without a window, twelve hours. Stateless.
 */
final class NightEnd {
  /** How long "the night" lasts when the schedule has no window. */
  static final Duration WITHOUT_WINDOW = Duration.ofHours(12);

  private NightEnd() {}

  static Instant after(Schedule schedule, Instant now) {
    if (schedule.windowStart().isEmpty() || schedule.windowEnd().isEmpty()) {
      return now.plus(WITHOUT_WINDOW);
    }
    ZoneId zone = schedule.zoneOrDefault();
    LocalDateTime local = LocalDateTime.ofInstant(now, zone);
    LocalTime start = schedule.windowStart().get();
    LocalTime end = schedule.windowEnd().get();
    LocalTime t = local.toLocalTime();
    boolean inside =
        start.isBefore(end)
            ? !t.isBefore(start) && t.isBefore(end)
            : !t.isBefore(start) || t.isBefore(end);
    LocalTime until = inside ? end : start;
    LocalDateTime next = local.toLocalDate().atTime(until);
    if (!next.isAfter(local)) {
      next = next.plusDays(1);
    }
    return next.atZone(zone).toInstant();
  }
}
