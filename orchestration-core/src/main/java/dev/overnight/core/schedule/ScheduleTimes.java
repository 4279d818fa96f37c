package dev.overnight.core.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a schedule fires: the occurrences of a 5-field UNIX cron expression in a time zone, after
 * the daylight-saving rule, filtered by the time window.
 *
 * <p><b>The daylight-saving rule</b> (as Vixie cron has it). An expression is <em>fixed-time</em>
 * when neither its minute nor its hour field starts with {@code *} ({@code 0 2 * * *}, {@code 0,30
 * 1-5 * * *}); otherwise it is a <em>wildcard</em> schedule ({@code *&#47;30 1-5 * * *}, {@code 15
 * * * * *}).
 *
 * <ul>
 *   <li>A fixed-time occurrence inside a spring-forward gap fires once, at the jump (the first
 *       instant after it). Several of them in one gap fire once together.
 *   <li>A fixed-time occurrence inside a fall-back repeat fires once, the first time the clock
 *       shows it.
 *   <li>Wildcard schedules follow real elapsed time: the minutes of a gap never happen, and the
 *       minutes of a repeat happen twice, so {@code *&#47;30} keeps firing every thirty real
 *       minutes through both nights.
 *   <li>A gap at midnight never loses a day.
 * </ul>
 *
 * <p>cron-utils evaluates the expression's fields; every daylight-saving decision is made here, on
 * local wall times, because cron-utils 9.2.1 gets them wrong on its own (it drops a fixed-time job
 * whose time falls in a gap for that day, and a day whose midnight falls in a gap).
 *
 * <p><b>The window</b> is judged on the local time the expression names ({@link
 * Occurrence#cronTime()}): start inclusive, end exclusive, crossing midnight when start is after
 * end, all day when absent.
 *
 * <p>Thread-safe; its only state is a cache of the last answer.
 *
 * @since 0.1.0
 */
public final class ScheduleTimes {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /** How far ahead a search looks before concluding the schedule never fires (Feb 29 recurs). */
  private static final Period HORIZON = Period.ofYears(9);

  private final String expression;
  private final ZoneId zone;
  private final ZoneRules rules;
  private final ExecutionTime cron;
  private final boolean fixedTime;
  private final TimeWindow window;

  /**
   * The last answer of {@link #next}: a wake asks for the occurrences that came due and then plans
   * the one after them, the same question twice; cron-utils takes tens of microseconds per call.
   */
  private volatile Memo last;

  private record Memo(Instant after, Optional<Occurrence> next) {}

  private ScheduleTimes(String expression, ZoneId zone, TimeWindow window) {
    this.expression = expression.trim();
    this.zone = Objects.requireNonNull(zone, "zone");
    this.rules = zone.getRules();
    this.window = window;
    String[] fields = this.expression.split("\\s+");
    if (fields.length != 5) {
      throw invalid(
          "'" + expression + "' must have 5 fields (minute hour day-of-month month day-of-week)");
    }
    Cron parsed;
    try {
      parsed = PARSER.parse(this.expression).validate();
    } catch (IllegalArgumentException e) {
      throw invalid("'" + expression + "' is not a valid cron expression: " + e.getMessage());
    }
    this.cron = ExecutionTime.forCron(parsed);
    this.fixedTime = !fields[0].startsWith("*") && !fields[1].startsWith("*");
  }

  /**
   * The times of a configured schedule, in its zone (the system zone when it names none).
   *
   * @throws ConfigException if the expression is not a valid 5-field cron expression
   */
  public static ScheduleTimes of(Schedule schedule) {
    return new ScheduleTimes(
        schedule.expression(),
        schedule.zoneOrDefault(),
        new TimeWindow(schedule.windowStart(), schedule.windowEnd()));
  }

  /**
   * The times of an expression with no window.
   *
   * @throws ConfigException if the expression is not a valid 5-field cron expression
   */
  public static ScheduleTimes of(String expression, ZoneId zone) {
    return new ScheduleTimes(expression, zone, TimeWindow.ALL_DAY);
  }

  private static ConfigException invalid(String message) {
    return new ConfigException(null, List.of(new ConfigProblem("/schedule/expression", message)));
  }

  /** The expression, trimmed. */
  public String expression() {
    return expression;
  }

  /** The zone the expression and the window are read in. */
  public ZoneId zone() {
    return zone;
  }

  /** Whether the expression names fixed times (see the class comment). */
  public boolean fixedTime() {
    return fixedTime;
  }

  /** The window's start, if there is a window. */
  public Optional<LocalTime> windowStart() {
    return window.allDay() ? Optional.empty() : window.start();
  }

  /** The window's end, if there is a window. */
  public Optional<LocalTime> windowEnd() {
    return window.allDay() ? Optional.empty() : window.end();
  }

  /** The first occurrence inside the window strictly after {@code after}, if any. */
  public Optional<Occurrence> next(Instant after) {
    Memo memo = last;
    if (memo != null && memo.after().equals(after)) {
      return memo.next();
    }
    Optional<Occurrence> next = compute(after);
    last = new Memo(after, next);
    return next;
  }

  private Optional<Occurrence> compute(Instant after) {
    LocalDateTime afterLocal = LocalDateTime.ofInstant(after, zone);
    LocalDateTime limit = afterLocal.plus(HORIZON);
    Occurrence best = null;
    // Local times map to instants monotonically when each takes its first instant (a gap's
    // times take the jump), so the first local match whose first instant is after `after` is the
    // earliest such instant.
    LocalDateTime cursor = afterLocal;
    while (best == null) {
      Optional<LocalDateTime> match = nextLocalInWindow(cursor, limit);
      if (match.isEmpty()) {
        break;
      }
      LocalDateTime local = match.get();
      cursor = local;
      ZoneOffsetTransition transition = rules.getTransition(local);
      Instant at;
      if (transition != null && transition.isGap()) {
        if (!fixedTime) {
          continue;
        }
        at = transition.getInstant();
      } else {
        at = ZonedDateTime.ofLocal(local, zone, null).withEarlierOffsetAtOverlap().toInstant();
      }
      if (at.isAfter(after)) {
        best = new Occurrence(local, at);
      }
    }
    // A wildcard schedule also fires on the second pass through a fall-back repeat.
    if (!fixedTime) {
      ZoneOffsetTransition overlap = overlapEndingAfter(after, best);
      if (overlap != null) {
        Optional<Occurrence> second = secondPass(overlap, after);
        if (second.isPresent() && (best == null || second.get().at().isBefore(best.at()))) {
          best = second.get();
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The occurrences inside the window in {@code (after, until]}, oldest first, at most {@code
   * limit} of them.
   */
  public List<Occurrence> between(Instant after, Instant until, int limit) {
    List<Occurrence> found = new ArrayList<>();
    Instant cursor = after;
    while (found.size() < limit) {
      Optional<Occurrence> next = next(cursor);
      if (next.isEmpty() || next.get().at().isAfter(until)) {
        break;
      }
      found.add(next.get());
      cursor = next.get().at();
    }
    return found;
  }

  /** Whether the window is open at {@code t} (always, with no window). */
  public boolean isWindowOpen(Instant t) {
    return window.contains(LocalDateTime.ofInstant(t, zone).toLocalTime());
  }

  /** When the window that holds {@code occurrence}'s cron time closes; empty with no window. */
  public Optional<Instant> windowEnd(Occurrence occurrence) {
    return window.endOfWindowHolding(occurrence.cronTime()).map(this::firstInstantAtOrAfter);
  }

  /**
   * When the window open at {@code t} closes; empty with no window. Only meaningful while {@link
   * #isWindowOpen} is true.
   */
  public Optional<Instant> windowEndAt(Instant t) {
    return window
        .endOfWindowHolding(LocalDateTime.ofInstant(t, zone))
        .map(this::firstInstantAtOrAfter);
  }

  /** The next time the window opens strictly after {@code t}; {@code t} itself with no window. */
  public Instant nextWindowStart(Instant t) {
    if (window.allDay()) {
      return t;
    }
    return firstInstantAtOrAfter(window.nextStartAfter(LocalDateTime.ofInstant(t, zone)));
  }

  /** The first instant at which the wall clock shows {@code local} or, in a gap, passes it. */
  private Instant firstInstantAtOrAfter(LocalDateTime local) {
    ZoneOffsetTransition transition = rules.getTransition(local);
    if (transition != null && transition.isGap()) {
      return transition.getInstant();
    }
    return ZonedDateTime.ofLocal(local, zone, null).withEarlierOffsetAtOverlap().toInstant();
  }

  /** The first local time the expression names strictly after {@code after}, inside the window. */
  private Optional<LocalDateTime> nextLocalInWindow(LocalDateTime after, LocalDateTime limit) {
    LocalDateTime cursor = after;
    while (true) {
      Optional<LocalDateTime> match = nextLocal(cursor);
      if (match.isEmpty() || match.get().isAfter(limit)) {
        return Optional.empty();
      }
      if (window.contains(match.get().toLocalTime())) {
        return match;
      }
      // Jump to the window's next opening rather than walking every match outside it.
      cursor = window.nextStartAfterOutside(match.get()).minusNanos(1);
    }
  }

  /**
   * Cron arithmetic on local wall times: evaluated in UTC, where no daylight saving can interfere.
   */
  private Optional<LocalDateTime> nextLocal(LocalDateTime after) {
    return cron.nextExecution(after.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
  }

  /**
   * The first fall-back transition whose repeated hour is not over at {@code after}, no later than
   * {@code best} (a repeat after it cannot give an earlier occurrence).
   */
  private ZoneOffsetTransition overlapEndingAfter(Instant after, Occurrence best) {
    Instant horizon = best != null ? best.at() : after.plus(Duration.ofDays(400));
    ZoneOffsetTransition t = rules.previousTransition(after.plusNanos(1));
    if (t == null) {
      t = rules.nextTransition(after);
    }
    while (t != null && !t.getInstant().isAfter(horizon)) {
      if (t.isOverlap() && t.getInstant().plus(t.getDuration().negated()).isAfter(after)) {
        return t;
      }
      t = rules.nextTransition(t.getInstant());
    }
    return null;
  }

  /** The first occurrence after {@code after} on the second pass through a repeated hour. */
  private Optional<Occurrence> secondPass(ZoneOffsetTransition overlap, Instant after) {
    LocalDateTime end = overlap.getDateTimeBefore();
    LocalDateTime cursor = overlap.getDateTimeAfter().minusNanos(1);
    while (true) {
      Optional<LocalDateTime> match = nextLocalInWindow(cursor, end);
      if (match.isEmpty() || !match.get().isBefore(end)) {
        return Optional.empty();
      }
      Instant at = match.get().atOffset(overlap.getOffsetAfter()).toInstant();
      if (at.isAfter(after)) {
        return Optional.of(new Occurrence(match.get(), at));
      }
      cursor = match.get();
    }
  }

  @Override
  public String toString() {
    return "'" + expression + "' in " + zone + ", window " + window.describe();
  }
}
