package dev.overnight.api.config;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * When cycles run: a cron expression, an optional time window, jitter and the missed-run policy.
 *
 * <p>The expression is standard 5-field UNIX cron (minute hour day-of-month month day-of-week, 0
 * and 7 both Sunday), evaluated in {@link #timezone()} (the system zone when empty). An occurrence
 * runs only if its cron time lies inside the window: {@code windowStart} inclusive, {@code
 * windowEnd} exclusive, local time; a start after the end crosses midnight; no window means all
 * day.
 *
 * @param expression the cron expression, e.g. {@code "*&#47;30 1-5 * * *"}
 * @param windowStart start of the window, inclusive
 * @param windowEnd end of the window, exclusive
 * @param jitterMs random delay added after each cron time, uniform in {@code [0, jitterMs]}
 * @param onMissed what to do about missed occurrences
 * @param timezone the zone the expression and window are read in
 * @param alarmAfterNights K for the night alarms: the report, {@code status} and the dashboard say
 *     so loudly when the schedule fired on K nights in a row without producing a change, or fired
 *     on none of the last K nights it was due; {@value #DEFAULT_ALARM_AFTER_NIGHTS} by default
 * @param wake whether to wake the machine from sleep before each window
 * @since 0.1.0
 */
public record Schedule(
    String expression,
    Optional<LocalTime> windowStart,
    Optional<LocalTime> windowEnd,
    long jitterMs,
    MissedRunPolicy onMissed,
    Optional<ZoneId> timezone,
    int alarmAfterNights,
    Wake wake) {

  /** Default for {@link #alarmAfterNights()}. */
  public static final int DEFAULT_ALARM_AFTER_NIGHTS = 3;

  /** Validates the components. */
  public Schedule {
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(windowStart, "windowStart");
    Objects.requireNonNull(windowEnd, "windowEnd");
    Objects.requireNonNull(onMissed, "onMissed");
    Objects.requireNonNull(timezone, "timezone");
    if (windowStart.isPresent() != windowEnd.isPresent()) {
      throw new IllegalArgumentException("window_start and window_end go together");
    }
    if (jitterMs < 0) {
      throw new IllegalArgumentException("jitterMs < 0");
    }
    if (alarmAfterNights < 1) {
      throw new IllegalArgumentException("alarmAfterNights < 1");
    }
    Objects.requireNonNull(wake, "wake");
  }

  /** A schedule that does not wake the machine. */
  public Schedule(
      String expression,
      Optional<LocalTime> windowStart,
      Optional<LocalTime> windowEnd,
      long jitterMs,
      MissedRunPolicy onMissed,
      Optional<ZoneId> timezone,
      int alarmAfterNights) {
    this(
        expression,
        windowStart,
        windowEnd,
        jitterMs,
        onMissed,
        timezone,
        alarmAfterNights,
        Wake.disabled());
  }

  /** A schedule whose night alarms come after {@value #DEFAULT_ALARM_AFTER_NIGHTS} nights. */
  public Schedule(
      String expression,
      Optional<LocalTime> windowStart,
      Optional<LocalTime> windowEnd,
      long jitterMs,
      MissedRunPolicy onMissed,
      Optional<ZoneId> timezone) {
    this(
        expression,
        windowStart,
        windowEnd,
        jitterMs,
        onMissed,
        timezone,
        DEFAULT_ALARM_AFTER_NIGHTS);
  }

  /** A schedule with no window, no jitter, {@code skip} and the system zone. */
  public static Schedule cron(String expression) {
    return new Schedule(
        expression, Optional.empty(), Optional.empty(), 0, MissedRunPolicy.SKIP, Optional.empty());
  }

  /** This schedule with a window. */
  public Schedule withWindow(LocalTime start, LocalTime end) {
    return new Schedule(
        expression,
        Optional.of(start),
        Optional.of(end),
        jitterMs,
        onMissed,
        timezone,
        alarmAfterNights,
        wake);
  }

  /** This schedule with a jitter. */
  public Schedule withJitterMs(long jitter) {
    return new Schedule(
        expression, windowStart, windowEnd, jitter, onMissed, timezone, alarmAfterNights, wake);
  }

  /** This schedule with a missed-run policy. */
  public Schedule withOnMissed(MissedRunPolicy policy) {
    return new Schedule(
        expression, windowStart, windowEnd, jitterMs, policy, timezone, alarmAfterNights, wake);
  }

  /** This schedule in a time zone. */
  public Schedule withTimezone(ZoneId zone) {
    return new Schedule(
        expression,
        windowStart,
        windowEnd,
        jitterMs,
        onMissed,
        Optional.of(zone),
        alarmAfterNights,
        wake);
  }

  /** This schedule with its night alarms after {@code nights} nights. */
  public Schedule withAlarmAfterNights(int nights) {
    return new Schedule(
        expression, windowStart, windowEnd, jitterMs, onMissed, timezone, nights, wake);
  }

  /** This schedule with its system wake-ups. */
  public Schedule withWake(Wake value) {
    return new Schedule(
        expression, windowStart, windowEnd, jitterMs, onMissed, timezone, alarmAfterNights, value);
  }

  /** The zone to evaluate in: the configured one, else the system default. */
  public ZoneId zoneOrDefault() {
    return timezone.orElseGet(ZoneId::systemDefault);
  }

  /**
   * Whether Overnight asks the machine to wake from sleep before each window ({@code
   * schedule.wake}), through the platform's {@code WakeScheduler}.
   *
   * @param enabled whether to schedule system wakes; off by default, as it usually needs root
   * @param leadSec how many seconds before the window's start to wake the machine
   */
  public record Wake(boolean enabled, long leadSec) {
    /** Default for {@link #leadSec()}. */
    public static final long DEFAULT_LEAD_SEC = 120;

    /** Validates the components. */
    public Wake {
      if (leadSec < 0) {
        throw new IllegalArgumentException("leadSec < 0");
      }
    }

    /** No system wakes (the default). */
    public static Wake disabled() {
      return new Wake(false, DEFAULT_LEAD_SEC);
    }

    /** The lead as a duration. */
    public java.time.Duration lead() {
      return java.time.Duration.ofSeconds(leadSec);
    }
  }
}
