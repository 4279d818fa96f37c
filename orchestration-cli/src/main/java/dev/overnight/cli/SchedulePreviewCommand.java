package dev.overnight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.schedule.SchedulePreview;
import dev.overnight.core.time.Durations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overnight schedule preview}: when a configuration's schedule will wake, after the window
 * and daylight-saving rules (before jitter), and what it means in words.
 *
 * <p>Exit codes: 0 shown; 2 bad options or an invalid configuration (the problems go to standard
 * error).
 */
@Command(
    name = "preview",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the next wake times of a configuration's schedule, after the window and"
          + " daylight-saving rules (before jitter), and describes the schedule in words."
    })
public final class SchedulePreviewCommand implements Callable<Integer> {
  private static final int MAX_COUNT = 1000;
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm zzz (xxx)", Locale.ENGLISH);

  private final Function<Path, OrchestrationConfig> loader;
  private final InstantSource clock;

  @Spec private CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The configuration file.")
  private Path config;

  @Option(
      names = "--from",
      paramLabel = "INSTANT",
      converter = InstantConverter.class,
      description =
          "Show wakes after this ISO-8601 instant, e.g. 2026-03-08T06:00:00Z or"
              + " 2026-03-08T01:00-05:00 (default: now).")
  private Instant from;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "5",
      description = "How many wakes to show, 1-" + MAX_COUNT + " (default: ${DEFAULT-VALUE}).")
  private int count;

  @Option(names = "--json", description = "Print JSON instead of text.")
  private boolean json;

  /** The command as {@code overnight} builds it: {@link ConfigLoader} and the system clock. */
  public SchedulePreviewCommand() {
    this(file -> ConfigLoader.standard().load(file));
  }

  /**
   * A command that reads configurations with {@code loader} (the config loader) and takes "now"
   * from the system clock.
   */
  public SchedulePreviewCommand(Function<Path, OrchestrationConfig> loader) {
    this(loader, Clock.systemUTC());
  }

  /** A command that reads configurations with {@code loader} and takes "now" from {@code clock}. */
  public SchedulePreviewCommand(Function<Path, OrchestrationConfig> loader, InstantSource clock) {
    this.loader = Objects.requireNonNull(loader, "loader");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Integer call() throws Exception {
    CommandLine cli = spec.commandLine();
    if (count < 1 || count > MAX_COUNT) {
      throw new CommandLine.ParameterException(
          cli, "--count must be between 1 and " + MAX_COUNT + ", not " + count);
    }
    SchedulePreview preview;
    try {
      preview = SchedulePreview.of(loader.apply(config).schedule());
    } catch (ConfigException e) {
      cli.getErr().println(TerminalText.text(e.getMessage()));
      return CommandLine.ExitCode.USAGE;
    }
    Instant start = from != null ? from : clock.instant();
    List<ZonedDateTime> wakes = preview.nextRuns(start, count);
    PrintWriter out = cli.getOut();
    if (json) {
      out.println(json(preview, start, wakes));
    } else {
      text(out, preview, start, wakes);
    }
    out.flush();
    return CommandLine.ExitCode.OK;
  }

  private void text(
      PrintWriter out, SchedulePreview preview, Instant start, List<ZonedDateTime> wakes) {
    Schedule s = preview.schedule();
    out.println(TerminalText.line("Schedule: " + preview.description()));
    out.println(
        TerminalText.line(
            "  cron '"
                + s.expression()
                + "', window "
                + s.windowStart().map(w -> w + "-" + s.windowEnd().orElseThrow()).orElse("all day")
                + ", jitter "
                + (s.jitterMs() == 0
                    ? "none"
                    : "up to " + Durations.human(s.jitterMs()) + " after each wake")
                + ", missed runs: "
                + s.onMissed().jsonName()));
    if (wakes.isEmpty()) {
      out.println(
          TerminalText.line(
              "No wake after "
                  + start
                  + ": '"
                  + s.expression()
                  + "' never fires inside the window."));
      return;
    }
    out.println(
        TerminalText.line(
            (wakes.size() == 1 ? "Next wake" : "Next " + wakes.size() + " wakes")
                + " after "
                + start
                + " (before jitter):"));
    for (ZonedDateTime wake : wakes) {
      out.println(TerminalText.line("  " + LOCAL.format(wake) + "   " + wake.toInstant()));
    }
    if (wakes.size() < count) {
      out.println("  (no further wake: the schedule stops firing)");
    }
  }

  private static String json(SchedulePreview preview, Instant start, List<ZonedDateTime> wakes)
      throws Exception {
    Schedule s = preview.schedule();
    ObjectNode root = OvernightJson.object();
    root.put("expression", s.expression());
    root.put("timezone", preview.times().zone().getId());
    s.windowStart().ifPresent(w -> root.put("window_start", w.toString()));
    s.windowEnd().ifPresent(w -> root.put("window_end", w.toString()));
    root.put("jitter_ms", s.jitterMs());
    root.put("on_missed", s.onMissed().jsonName());
    root.put("description", preview.description());
    root.put("from", start.toString());
    ArrayNode list = root.putArray("wakes");
    for (ZonedDateTime wake : wakes) {
      ObjectNode w = list.addObject();
      w.put("instant", wake.toInstant().toString());
      w.put("local", wake.toOffsetDateTime().toString());
    }
    return OvernightJson.writePretty(root);
  }

  /** Reads {@code 2026-03-08T06:00:00Z} and {@code 2026-03-08T01:00-05:00}. */
  static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException notAnInstant) {
        try {
          return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
          throw new CommandLine.TypeConversionException(
              "'"
                  + value
                  + "' is not an ISO-8601 instant (e.g. 2026-03-08T06:00:00Z or"
                  + " 2026-03-08T01:00-05:00)");
        }
      }
    }
  }
}
