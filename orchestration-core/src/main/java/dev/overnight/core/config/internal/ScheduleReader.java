package dev.overnight.core.config.internal;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.config.MissedRunPolicy;
import dev.overnight.api.config.Schedule;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the config's {@code schedule} section: its 5-field cron expression (checked by cron-utils),
 * the {@code HH:mm} window, jitter, missed-run policy, time zone, night alarms and wake; every
 * problem with its JSON path. The section is required.
 */
final class ScheduleReader {
  private static final Pattern TIME = Pattern.compile("^([01][0-9]|2[0-3]):[0-5][0-9]$");
  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final Problems problems;

  ScheduleReader(Problems problems) {
    this.problems = problems;
  }

  /** The schedule of {@code root}; every minute, with a problem, when it has none. */
  Schedule read(JsonObject root) {
    return root.object("schedule")
        .map(this::schedule)
        .orElseGet(
            () -> {
              if (!root.has("schedule")) {
                root.missing("schedule");
              }
              return Schedule.cron("* * * * *");
            });
  }

  private Schedule schedule(JsonObject s) {
    s.string("type")
        .filter(t -> !t.equals("cron"))
        .ifPresent(
            t ->
                problems.add(
                    s.pathOf("type"), "\"" + t + "\" is not supported: the only type is \"cron\""));
    String expression = s.requiredString("expression").orElse("* * * * *");
    if (s.has("expression") && !problems.hasAt(s.pathOf("expression"))) {
      checkCron(s.pathOf("expression"), expression);
    }
    Optional<LocalTime> start = time(s, "window_start");
    Optional<LocalTime> end = time(s, "window_end");
    if (s.has("window_start") != s.has("window_end")) {
      String missing = s.has("window_start") ? "window_end" : "window_start";
      String other = s.has("window_start") ? "window_start" : "window_end";
      problems.add(s.pathOf(missing), "is required when " + other + " is set");
    } else if (start.isPresent() && end.isPresent() && start.equals(end)) {
      problems.add(
          s.pathOf("window_end"),
          "must differ from window_start (\""
              + s.raw("window_start").map(JsonNode::asText).orElse("")
              + "\"); for a window of the whole day, leave both out");
    }
    long jitter = s.integer("jitter_ms", 0, 3_600_000, "between 0 and 3600000 (1 hour)").orElse(0L);
    MissedRunPolicy onMissed =
        s.string("on_missed")
            .flatMap(
                text -> {
                  Optional<MissedRunPolicy> p = MissedRunPolicy.parse(text);
                  if (p.isEmpty()) {
                    problems.add(
                        s.pathOf("on_missed"),
                        "\""
                            + text
                            + "\" is not a missed-run policy: use \"skip\" or"
                            + " \"run_once_at_next_opportunity\" (\"catch_up\" is accepted as an"
                            + " alias)");
                  }
                  return p;
                })
            .orElse(MissedRunPolicy.SKIP);
    Optional<ZoneId> zone =
        s.string("timezone")
            .flatMap(
                text -> {
                  try {
                    return Optional.of(ZoneId.of(text));
                  } catch (DateTimeException e) {
                    problems.add(
                        s.pathOf("timezone"),
                        "\""
                            + text
                            + "\" is not a time zone: use an IANA id such as \"Europe/Berlin\"");
                    return Optional.empty();
                  }
                });
    long alarm =
        s.integer("alarm_after_nights", 1, 365, "between 1 and 365")
            .orElse((long) Schedule.DEFAULT_ALARM_AFTER_NIGHTS);
    Schedule.Wake wake = s.object("wake").map(this::wake).orElse(Schedule.Wake.disabled());
    s.finish();
    Schedule result =
        Schedule.cron(expression)
            .withJitterMs(jitter)
            .withOnMissed(onMissed)
            .withAlarmAfterNights((int) alarm)
            .withWake(wake);
    if (start.isPresent() && end.isPresent()) {
      result = result.withWindow(start.get(), end.get());
    }
    return zone.map(result::withTimezone).orElse(result);
  }

  private Schedule.Wake wake(JsonObject w) {
    boolean enabled = w.bool("enabled", false);
    long lead =
        w.integer("lead_sec", 0, 3600, "between 0 and 3600 (1 hour)")
            .orElse(Schedule.Wake.DEFAULT_LEAD_SEC);
    w.finish();
    return new Schedule.Wake(enabled, lead);
  }

  private void checkCron(String path, String expression) {
    String[] fields = expression.trim().split("\\s+");
    if (fields.length != 5) {
      problems.add(
          path,
          "\""
              + expression
              + "\" has "
              + fields.length
              + (fields.length == 1 ? " field" : " fields")
              + ": a cron expression has 5 (minute hour day-of-month month day-of-week)");
      return;
    }
    try {
      CRON.parse(expression).validate();
    } catch (IllegalArgumentException e) {
      problems.add(
          path,
          "\"" + expression + "\" is not a valid cron expression: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String first = message.lines().findFirst().orElse(message).trim();
    return first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
  }

  private Optional<LocalTime> time(JsonObject s, String key) {
    return s.string(key)
        .flatMap(
            text -> {
              if (!TIME.matcher(text).matches()) {
                problems.add(s.pathOf(key), "\"" + text + "\" is not a time of day (HH:mm)");
                return Optional.empty();
              }
              return Optional.of(LocalTime.parse(text));
            });
  }
}
