package dev.overnight.core.schedule;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.Schedule;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a schedule will do: its next wake times (after the window and daylight-saving rules, before
 * jitter) and a description a person can check at a glance, such as {@code "every 30 minutes
 * between 01:00 and 05:00, Europe/Berlin"}.
 *
 * <p>The times are exactly those the scheduler plans (both use {@link ScheduleTimes}). Immutable
 * and thread-safe.
 *
 * @since 0.1.0
 */
public final class SchedulePreview {
  private final Schedule schedule;
  private final ScheduleTimes times;

  private SchedulePreview(Schedule schedule) {
    this.schedule = schedule;
    this.times = ScheduleTimes.of(schedule);
  }

  /**
   * A preview of {@code schedule}.
   *
   * @throws ConfigException if its cron expression is invalid
   */
  public static SchedulePreview of(Schedule schedule) {
    return new SchedulePreview(Objects.requireNonNull(schedule, "schedule"));
  }

  /** The schedule previewed. */
  public Schedule schedule() {
    return schedule;
  }

  /** The occurrence computation behind the preview. */
  public ScheduleTimes times() {
    return times;
  }

  /**
   * The next {@code count} wake times strictly after {@code from}, in the schedule's zone; fewer if
   * the schedule stops firing (a date that never comes, a cron time never inside the window).
   */
  public List<ZonedDateTime> nextRuns(Instant from, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count < 0");
    }
    List<ZonedDateTime> runs = new ArrayList<>(count);
    Instant cursor = from;
    while (runs.size() < count) {
      Optional<Occurrence> next = times.next(cursor);
      if (next.isEmpty()) {
        break;
      }
      runs.add(ZonedDateTime.ofInstant(next.get().at(), times.zone()));
      cursor = next.get().at();
    }
    return runs;
  }

  /** A description such as {@code "every 30 minutes between 01:00 and 05:00, Europe/Berlin"}. */
  public String description() {
    return ScheduleDescription.describe(times);
  }

  @Override
  public String toString() {
    return description();
  }
}
