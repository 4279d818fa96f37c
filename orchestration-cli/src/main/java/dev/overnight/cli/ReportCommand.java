package dev.overnight.cli;

import dev.overnight.api.config.Schedule;
import dev.overnight.api.store.Store;
import dev.overnight.core.report.ReportWriter;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.secrets.Redactor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overnight report}: the morning report. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Print the morning report of the last 24 hours (Markdown, --html or --json).")
public final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StateOptions state;

  @ArgGroup(exclusive = true)
  Format format = new Format();

  /** At most one of the formats other than Markdown. */
  static final class Format {
    @Option(names = "--html", description = "Print the HTML page instead of Markdown.")
    boolean html;

    @Option(names = "--json", description = "Print the report as JSON instead of Markdown.")
    boolean json;
  }

  @Option(names = "--write", description = "Also write it to the state folder's reports/.")
  boolean write;

  @Override
  public Integer call() throws Exception {
    StatePaths paths = state.paths();
    PrintWriter out = spec.commandLine().getOut();
    if (!state.storeExists(paths)) {
      spec.commandLine()
          .getErr()
          .println(
              TerminalText.line("error: no database in " + paths.root() + " yet: nothing has run"));
      return ExitCodes.FAILURE;
    }
    ZoneId zone =
        state.config().map(c -> c.schedule().zoneOrDefault()).orElse(ZoneId.systemDefault());
    try (Store store = state.openStore(paths)) {
      ReportWriter writer =
          new ReportWriter(
              StateOptions.schedulerId(paths, state.config(), store),
              store.taskQueue(),
              Optional.of(store.schedulerStateStore()),
              zone,
              paths.reports(),
              state
                  .config()
                  .map(c -> Redactor.forConfig(c, System.getenv()))
                  .orElseGet(() -> Redactor.forEnvironment(System.getenv())),
              state
                  .config()
                  .map(c -> c.schedule().alarmAfterNights())
                  .orElse(Schedule.DEFAULT_ALARM_AFTER_NIGHTS));
      // On a store machines share, the report of the machine whose folder this is.
      Optional<String> ownTasks = StateOptions.ownTasks(paths, store);
      if (ownTasks.isPresent()) {
        writer = writer.ofWorker(ownTasks.get(), store.workers());
      }
      var now = Clock.systemUTC().instant();
      var report = writer.build(now);
      // JSON escapes what it must itself; a page or Markdown is shown as text.
      out.print(
          format.json
              ? report.json()
              : TerminalText.text(format.html ? report.html() : report.markdown()));
      if (write) {
        Path file = writer.write(now);
        spec.commandLine().getErr().println(TerminalText.line("written to " + file));
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
