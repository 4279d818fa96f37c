package dev.overnight.core.schedule;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words for a schedule. The shapes people write for overnight runs (every N minutes, fixed times,
 * hourly, weekdays) are phrased here with the window in mind, because cron-utils' descriptor reads
 * {@code *&#47;30 1-5 * * *} as "every 30 minutes every hour between 1 and 5"; anything else falls
 * back to that descriptor.
 */
final class ScheduleDescription {
  private static final Pattern NUMBER = Pattern.compile("\\d+");
  private static final Pattern STEP = Pattern.compile("\\*/(\\d+)");
  private static final Pattern RANGE = Pattern.compile("(\\d+)-(\\d+)");
  private static final Pattern LIST = Pattern.compile("\\d+(,\\d+)+");

  private ScheduleDescription() {}

  static String describe(ScheduleTimes times) {
    String[] f = times.expression().split("\\s+");
    Optional<String> days = days(f[2], f[3], f[4]);
    Optional<String> when = days.isPresent() ? timeOfDay(f[0], f[1], times) : Optional.empty();
    String text;
    if (when.isPresent()) {
      text = when.get() + days.get();
    } else {
      text =
          CronDescriptor.instance(Locale.UK)
                  .describe(
                      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX))
                          .parse(times.expression()))
              + windowPhrase(times, false);
    }
    return text + ", " + times.zone().getId();
  }

  private static Optional<String> timeOfDay(String minute, String hour, ScheduleTimes times) {
    Matcher minuteStep = STEP.matcher(minute);
    boolean everyMinute = minute.equals("*");
    if (everyMinute || minuteStep.matches()) {
      int step = everyMinute ? 1 : Integer.parseInt(minuteStep.group(1));
      String every = step == 1 ? "every minute" : "every " + step + " minutes";
      Optional<TreeSet<Integer>> hours = hourSet(hour);
      if (hours.isEmpty()) {
        return Optional.empty();
      }
      if (hours.get().size() == 24 || windowImplies(hours.get(), times)) {
        return Optional.of(every + windowPhrase(times, false));
      }
      int lastMinute = (59 / step) * step;
      if (RANGE.matcher(hour).matches() || NUMBER.matcher(hour).matches()) {
        return Optional.of(
            every
                + " from "
                + LocalTime.of(hours.get().first(), 0)
                + " to "
                + LocalTime.of(hours.get().last(), lastMinute)
                + windowPhrase(times, true));
      }
      return Optional.of(every + " during hours " + hour + windowPhrase(times, true));
    }
    if (!NUMBER.matcher(minute).matches() && !LIST.matcher(minute).matches()) {
      return Optional.empty();
    }
    List<Integer> minutes = numbers(minute);
    if (hour.equals("*")) {
      return minutes.size() == 1
          ? Optional.of("every hour at :" + two(minutes.get(0)) + windowPhrase(times, false))
          : Optional.empty();
    }
    Matcher hourStep = STEP.matcher(hour);
    if (hourStep.matches() && minutes.size() == 1) {
      return Optional.of(
          "every "
              + hourStep.group(1)
              + " hours at :"
              + two(minutes.get(0))
              + windowPhrase(times, false));
    }
    if (RANGE.matcher(hour).matches() && minutes.size() == 1) {
      TreeSet<Integer> hours = hourSet(hour).orElseThrow();
      return Optional.of(
          "every hour at :"
              + two(minutes.get(0))
              + " from "
              + LocalTime.of(hours.first(), minutes.get(0))
              + " to "
              + LocalTime.of(hours.last(), minutes.get(0))
              + windowPhrase(times, true));
    }
    if (NUMBER.matcher(hour).matches() || LIST.matcher(hour).matches()) {
      List<String> at = new ArrayList<>();
      for (int h : numbers(hour)) {
        for (int m : minutes) {
          at.add(LocalTime.of(h, m).toString());
        }
      }
      return Optional.of("at " + join(at) + windowPhrase(times, true));
    }
    return Optional.empty();
  }

  /** {@code ""} every day, {@code " on Monday to Friday"}, or empty when cron-utils must say it. */
  private static Optional<String> days(String dom, String month, String dow) {
    if (!dom.equals("*") || !month.equals("*")) {
      return Optional.empty();
    }
    if (dow.equals("*")) {
      return Optional.of("");
    }
    Matcher range = RANGE.matcher(dow);
    if (range.matches()) {
      return Optional.of(
          " on "
              + dayName(Integer.parseInt(range.group(1)))
              + " to "
              + dayName(Integer.parseInt(range.group(2))));
    }
    if (NUMBER.matcher(dow).matches() || LIST.matcher(dow).matches()) {
      List<String> names = new ArrayList<>();
      for (int d : numbers(dow)) {
        names.add(dayName(d) + "s");
      }
      return Optional.of(" on " + join(names));
    }
    return Optional.empty();
  }

  /**
   * Whether the window already says which hours run: every hour the window touches is one the
   * expression names, so naming the hours again would only confuse.
   */
  private static boolean windowImplies(TreeSet<Integer> hours, ScheduleTimes times) {
    if (times.windowStart().isEmpty()) {
      return false;
    }
    LocalTime start = times.windowStart().get();
    LocalTime end = times.windowEnd().orElseThrow();
    for (int h = 0; h < 24; h++) {
      LocalTime from = LocalTime.of(h, 0);
      boolean touched = false;
      for (int m = 0; m < 60 && !touched; m++) {
        LocalTime t = from.plusMinutes(m);
        touched =
            start.isBefore(end)
                ? !t.isBefore(start) && t.isBefore(end)
                : !t.isBefore(start) || t.isBefore(end);
      }
      if (touched && !hours.contains(h)) {
        return false;
      }
    }
    return true;
  }

  private static String windowPhrase(ScheduleTimes times, boolean alreadyTimed) {
    if (times.windowStart().isEmpty()) {
      return "";
    }
    LocalTime start = times.windowStart().get();
    LocalTime end = times.windowEnd().orElseThrow();
    String overnight = start.isAfter(end) ? " (overnight)" : "";
    if (alreadyTimed) {
      return ", inside the window " + start + "-" + end + overnight;
    }
    return " between " + start + " and " + end + overnight;
  }

  private static Optional<TreeSet<Integer>> hourSet(String hour) {
    TreeSet<Integer> hours = new TreeSet<>();
    if (hour.equals("*")) {
      for (int h = 0; h < 24; h++) {
        hours.add(h);
      }
      return Optional.of(hours);
    }
    Matcher range = RANGE.matcher(hour);
    if (range.matches()) {
      for (int h = Integer.parseInt(range.group(1)); h <= Integer.parseInt(range.group(2)); h++) {
        hours.add(h);
      }
      return Optional.of(hours);
    }
    if (NUMBER.matcher(hour).matches() || LIST.matcher(hour).matches()) {
      hours.addAll(numbers(hour));
      return Optional.of(hours);
    }
    return Optional.empty();
  }

  private static List<Integer> numbers(String field) {
    List<Integer> out = new ArrayList<>();
    for (String part : field.split(",")) {
      out.add(Integer.parseInt(part));
    }
    return out;
  }

  private static String dayName(int cronDay) {
    return DayOfWeek.of(cronDay % 7 == 0 ? 7 : cronDay).getDisplayName(TextStyle.FULL, Locale.UK);
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }

  private static String join(List<String> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return String.join(", ", parts.subList(0, parts.size() - 1))
        + " and "
        + parts.get(parts.size() - 1);
  }
}
