package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class SchedulePreviewCommandTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  private final List<Path> loaded = new ArrayList<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** {@code overnight schedule}, as the launcher nests the command. */
  @Command(name = "schedule")
  static final class ScheduleGroup {}

  private static OrchestrationConfig config(Schedule schedule) {
    return OrchestrationConfig.builder(ConfigValue.of("/tmp/repo")).schedule(schedule).build();
  }

  private static final Schedule BERLIN_NIGHTS =
      Schedule.cron("*/30 1-5 * * *")
          .withWindow(LocalTime.of(1, 0), LocalTime.of(5, 0))
          .withJitterMs(300_000)
          .withTimezone(ZoneId.of("Europe/Berlin"));

  private int run(Function<Path, OrchestrationConfig> loader, String... args) {
    CommandLine cli =
        new CommandLine(new ScheduleGroup())
            .addSubcommand(
                "preview",
                new SchedulePreviewCommand(
                    p -> {
                      loaded.add(p);
                      return loader.apply(p);
                    },
                    Clock.fixed(NOW, ZoneOffset.UTC)));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    all[0] = "preview";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  @Test
  void printsTheDescriptionAndTheNextWakesInTheZone() {
    int code = run(p -> config(BERLIN_NIGHTS), "--config", "night.json", "--count", "3");
    assertThat(code).isZero();
    assertThat(loaded).containsExactly(Path.of("night.json"));
    assertThat(out.toString().lines())
        .containsExactly(
            "Schedule: every 30 minutes between 01:00 and 05:00, Europe/Berlin",
            "  cron '*/30 1-5 * * *', window 01:00-05:00, jitter up to 5 min after each wake,"
                + " missed runs: skip",
            "Next 3 wakes after 2026-06-01T12:00:00Z (before jitter):",
            "  Tue 2026-06-02 01:00 CEST (+02:00)   2026-06-01T23:00:00Z",
            "  Tue 2026-06-02 01:30 CEST (+02:00)   2026-06-01T23:30:00Z",
            "  Tue 2026-06-02 02:00 CEST (+02:00)   2026-06-02T00:00:00Z");
  }

  @Test
  void printsJsonFromAGivenInstantAcrossADstNight() throws Exception {
    Schedule ny = Schedule.cron("30 2 * * *").withTimezone(ZoneId.of("America/New_York"));
    int code =
        run(
            p -> config(ny),
            "--config",
            "ny.json",
            "--from",
            "2026-03-07T12:00-05:00",
            "--count",
            "2",
            "--json");
    assertThat(code).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("expression").asText()).isEqualTo("30 2 * * *");
    assertThat(json.get("timezone").asText()).isEqualTo("America/New_York");
    assertThat(json.has("window_start")).isFalse();
    assertThat(json.get("on_missed").asText()).isEqualTo("skip");
    assertThat(json.get("description").asText()).isEqualTo("at 02:30, America/New_York");
    assertThat(json.get("from").asText()).isEqualTo("2026-03-07T17:00:00Z");
    assertThat(json.get("wakes").findValuesAsText("local"))
        .containsExactly("2026-03-08T03:00-04:00", "2026-03-09T02:30-04:00");
    assertThat(json.get("wakes").findValuesAsText("instant"))
        .containsExactly("2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z");
  }

  @Test
  void saysSoWhenTheScheduleNeverFiresInItsWindow() {
    Schedule never =
        Schedule.cron("0 12 * * *")
            .withWindow(LocalTime.of(1, 0), LocalTime.of(5, 0))
            .withTimezone(ZoneId.of("UTC"));
    assertThat(run(p -> config(never), "--config", "c.json")).isZero();
    assertThat(out.toString())
        .contains(
            "No wake after 2026-06-01T12:00:00Z: '0 12 * * *' never fires inside the window.");
  }

  @Test
  void rejectsBadOptionsAndBadConfigs() {
    assertThat(run(p -> config(BERLIN_NIGHTS), "--config", "c.json", "--from", "tonight"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("'tonight' is not an ISO-8601 instant");
    assertThat(run(p -> config(BERLIN_NIGHTS), "--config", "c.json", "--count", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--count must be between 1 and 1000, not 0");
    assertThat(run(p -> config(BERLIN_NIGHTS))).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--config=FILE'");

    assertThat(run(p -> config(Schedule.cron("*/30 1-5 * *")), "--config", "bad.json"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("/schedule/expression").contains("5 fields");
    assertThat(
            run(
                p -> {
                  throw new ConfigException(
                      p.toString(), List.of(new ConfigProblem("/schedule/window_start", "bad")));
                },
                "--config",
                "broken.json"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("Invalid configuration broken.json");
  }
}
