package dev.overnight.core.schedule;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Optional;

/**
 * The local-time window cycles may start in: start inclusive, end exclusive, crossing midnight when
 * the start is after the end, all day when absent. Start equal to end is rejected by config
 * validation; here it reads as all day.
 */
record TimeWindow(Optional<LocalTime> start, Optional<LocalTime> end) {

  static final TimeWindow ALL_DAY = new TimeWindow(Optional.empty(), Optional.empty());

  boolean allDay() {
    return start.isEmpty() || end.isEmpty() || start.get().equals(end.get());
  }

  boolean crossesMidnight() {
    return !allDay() && start.get().isAfter(end.get());
  }

  boolean contains(LocalTime t) {
    if (allDay()) {
      return true;
    }
    LocalTime s = start.get();
    LocalTime e = end.get();
    return crossesMidnight() ? !t.isBefore(s) || t.isBefore(e) : !t.isBefore(s) && t.isBefore(e);
  }

  /** The first window start at or after {@code t}, for a {@code t} outside the window. */
  LocalDateTime nextStartAfterOutside(LocalDateTime t) {
    LocalDateTime today = t.toLocalDate().atTime(start.orElseThrow());
    return today.isBefore(t) ? today.plusDays(1) : today;
  }

  /** The first window start strictly after {@code t}. */
  LocalDateTime nextStartAfter(LocalDateTime t) {
    LocalDateTime today = t.toLocalDate().atTime(start.orElseThrow());
    return today.isAfter(t) ? today : today.plusDays(1);
  }

  /** The end of the window instance that holds {@code t}, which must lie inside the window. */
  Optional<LocalDateTime> endOfWindowHolding(LocalDateTime t) {
    if (allDay()) {
      return Optional.empty();
    }
    LocalDateTime sameDay = t.toLocalDate().atTime(end.get());
    if (crossesMidnight() && !t.toLocalTime().isBefore(start.get())) {
      return Optional.of(sameDay.plusDays(1));
    }
    return Optional.of(sameDay);
  }

  /** {@code 01:00-05:00}, or {@code all day}. */
  String describe() {
    return allDay() ? "all day" : start.get() + "-" + end.get();
  }
}
