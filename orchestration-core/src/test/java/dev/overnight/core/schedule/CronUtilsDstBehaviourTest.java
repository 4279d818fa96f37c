package dev.overnight.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/**
 * What cron-utils does on its own around daylight-saving changes: the reason {@link ScheduleTimes}
 * makes those decisions itself. If a new cron-utils release changes any of these, this test says
 * so, and the wrapper may be simplified.
 */
class CronUtilsDstBehaviourTest {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private static ZonedDateTime next(String expr, String zone, String fromLocal) {
    return ExecutionTime.forCron(PARSER.parse(expr))
        .nextExecution(LocalDateTime.parse(fromLocal).atZone(ZoneId.of(zone)))
        .orElseThrow();
  }

  @Test
  void dropsAFixedTimeJobInASpringGapForTheWholeDay() {
    assertThat(next("30 2 * * *", "America/New_York", "2026-03-07T12:00").toLocalDate())
        .hasToString("2026-03-09");
  }

  @Test
  void dropsAWholeDayWhenMidnightFallsInAGap() {
    assertThat(next("0 0 * * *", "Africa/Cairo", "2023-04-27T12:00").toLocalDate())
        .hasToString("2023-04-29");
  }

  @Test
  void firesAStepScheduleOnBothPassesOfARepeatedHour() {
    ZonedDateTime first = next("*/30 * * * *", "America/New_York", "2026-11-01T01:15");
    ZonedDateTime second =
        ExecutionTime.forCron(PARSER.parse("*/30 * * * *")).nextExecution(first).orElseThrow();
    assertThat(first.toOffsetDateTime()).hasToString("2026-11-01T01:30-04:00");
    assertThat(second.toOffsetDateTime()).hasToString("2026-11-01T01:00-05:00");
  }
}
