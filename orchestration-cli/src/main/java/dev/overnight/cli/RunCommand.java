package dev.overnight.cli;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.runtime.StateInUseException;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.time.CompressedTimeSource;
import dev.overnight.core.time.SystemTimeSource;
import dev.overnight.server.DashboardServer;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code overnight run}: the daemon. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the daemon: cycles on schedule until stopped, with the dashboard.",
      "SIGINT/SIGTERM stop gracefully (agents cancelled, killed after the grace period, tasks back to"
          + " pending, keep-awake released, final report written); a second signal stops at once.",
      "If the database is deleted or replaced while it runs, it stops and exits with 1; so it does"
          + " at once when no allowed agent is available."
    })
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StateOptions state;

  @Option(
      names = "--port",
      paramLabel = "N",
      converter = Converters.Port.class,
      description = "Dashboard port (default: a free one).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      converter = Converters.Address.class,
      description =
          "Dashboard address (default: ${DEFAULT-VALUE}; anything else is exposed on purpose).",
      defaultValue = "127.0.0.1")
  String bind;

  @Option(names = "--no-dashboard", description = "Do not serve the dashboard.")
  boolean noDashboard;

  @Option(
      names = "--quiet",
      description =
          "Do not print the timeline, nor the dashboard's token: print where the token is instead"
              + " (what the installed service runs, whose output goes to the system's journal).")
  boolean quiet;

  @Option(
      names = "--time-scale",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Run the schedule N times faster than real time, to try a configuration quickly (default:"
              + " ${DEFAULT-VALUE}, real time).")
  long timeScale;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (timeScale < 1) {
      throw new ParameterException(
          spec.commandLine(), "--time-scale must be 1 (real time) or more, not " + timeScale);
    }
    OrchestrationConfig config = state.requireConfig();
    StatePaths paths = state.paths(config);
    Daemon.Options o = new Daemon.Options();
    o.dashboard = !noDashboard;
    o.configFile = state.configFile;
    o.port = port;
    o.bind = bind;
    o.timeline = quiet ? null : new Timeline(out, config.schedule().zoneOrDefault(), true);
    SystemTimeSource system = null;
    if (timeScale > 1) {
      system = SystemTimeSource.create();
      o.time = new CompressedTimeSource(system, timeScale, system.instant());
    }
    Daemon daemon;
    try {
      daemon = Daemon.open(config, paths, o);
    } catch (StateInUseException e) {
      spec.commandLine().getErr().println("error: " + TerminalText.line(e.getMessage()));
      if (system != null) {
        system.close();
      }
      return ExitCodes.STATE_IN_USE;
    }
    try (daemon;
        SystemTimeSource owned = system) {
      Optional<String> noAgent =
          AgentsInWords.noneAvailable(config, daemon.runtime().coordinator().agentAvailability());
      if (noAgent.isPresent()) {
        // Every cycle would end at once: better said now than found in the morning report.
        spec.commandLine().getErr().println("error: " + TerminalText.line(noAgent.get()));
        return ExitCodes.FAILURE;
      }
      Signals signals =
          Signals.install(
              () -> out.println("overnight: stopping (a second signal stops at once)..."));
      daemon.runtime().onFatalError(e -> signals.release());
      daemon.startSchedule();
      out.println(
          TerminalText.line(
              "Overnight "
                  + config.id()
                  + " is running (pid "
                  + ProcessHandle.current().pid()
                  + ")"));
      out.println(TerminalText.line("  state      " + paths.root()));
      daemon.runtime().scheduler().nextWake().ifPresent(w -> out.println("  next wake  " + w));
      out.flush();
      daemon.startDashboard();
      daemon.dashboard().ifPresent(d -> out.println("  dashboard  " + dashboardLine(d)));
      out.flush();
      signals.await();
      daemon.stopGracefully();
      Optional<OrchestrationException> fatal = daemon.runtime().fatalError();
      if (fatal.isPresent()) {
        out.flush();
        spec.commandLine()
            .getErr()
            .println(TerminalText.line("error: " + fatal.get().getMessage()));
        return ExitCodes.FAILURE;
      }
      out.println(TerminalText.line("overnight: stopped; report in " + paths.reports()));
      out.flush();
    }
    return ExitCodes.OK;
  }

  /**
   * The dashboard's address: with the token to open it at once, or, quiet, without it and with
   * where it is, since a quiet daemon's output is a journal other users and tools may read.
   */
  private String dashboardLine(DashboardServer dashboard) {
    if (!quiet) {
      return dashboard.url().toString();
    }
    return dashboard.baseUri()
        + dashboard
            .tokenFile()
            .map(f -> " (open it with ?token= and the token in " + f + ")")
            .orElse(" (open it with ?token= and the dashboard's token)");
  }
}
