package dev.overnight.core.notify;

import dev.overnight.core.report.NightAlarm;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which night alarms were already told, so that each is told once: an alarm whose nights overlap
 * those of the alarm of its kind told before is the same streak, still raised a night later; one
 * whose nights do not is a new streak.
 *
 * <p>Not thread-safe: {@link Notifications} calls it from its one sending thread. Kept in memory: a
 * restart may tell a raised alarm once more.
 */
final class AlarmMemory {
  private final Map<NightAlarm.Kind, List<LocalDate>> told = new EnumMap<>(NightAlarm.Kind.class);

  /** The alarms of {@code raised} not told yet, now remembered as told. */
  List<NightAlarm> untold(List<NightAlarm> raised) {
    List<NightAlarm> fresh = new ArrayList<>();
    for (NightAlarm a : raised) {
      List<LocalDate> before = told.get(a.kind());
      if (before == null || Collections.disjoint(before, a.nights())) {
        fresh.add(a);
      }
      told.put(a.kind(), a.nights());
    }
    return fresh;
  }
}
