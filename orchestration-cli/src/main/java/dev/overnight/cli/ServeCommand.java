package dev.overnight.cli;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.store.Store;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.server.DashboardServer;
import dev.overnight.server.StateFolderBackend;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overnight serve}: the dashboard over a state folder, without running anything. It shows
 * what the nights left (queue, cycles, sessions from the transcripts, reports), says that no daemon
 * runs there (or where the running one's own dashboard is), and refuses run now and pause rather
 * than pretend. While it serves, {@code serve.json} in the folder tells {@code status} its address.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the dashboard over a state folder without running the schedule: the queue, the cycles,"
          + " the sessions from the transcripts and the reports.",
      "Nothing runs or pauses from it (run now and pause are refused, saying why); tasks can be"
          + " cancelled and retried. While a daemon runs, its own dashboard (see overnight status)"
          + " shows live sessions and takes the controls."
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StateOptions state;

  @Option(
      names = "--port",
      paramLabel = "N",
      converter = Converters.Port.class,
      description = "Port (default: a free one).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      converter = Converters.Address.class,
      defaultValue = "127.0.0.1",
      description = "Address (default: ${DEFAULT-VALUE}; anything else is exposed on purpose).")
  String bind;

  @Override
  public Integer call() throws Exception {
    StatePaths paths = state.paths();
    PrintWriter out = spec.commandLine().getOut();
    OrchestrationConfig config = state.configOrDefaults(paths);
    try (Store store = OvernightRuntime.openStore(config, paths)) {
      StateFolderBackend backend =
          StateFolderBackend.builder(store, paths)
              .configId(StateOptions.schedulerId(paths, state.config(), store))
              .ownTasks(StateOptions.ownTasks(paths, store))
              .nights(config.schedule().zoneOrDefault(), config.schedule().alarmAfterNights())
              .transcriptReader(OvernightRuntime.discover(config, paths).transcriptReader())
              .daemonDashboard(() -> DaemonInfo.read(paths).flatMap(DaemonInfo::dashboard))
              .build();
      try (DashboardServer server =
          DashboardServer.builder(backend)
              .bind(bind)
              .port(port)
              .stateDirectory(paths.root())
              .build()) {
        server.start();
        ServeInfo serving =
            new ServeInfo(
                ProcessHandle.current().pid(), Instant.now(), server.baseUri().toString());
        serving.write(paths);
        try {
          Signals signals = Signals.install(() -> {});
          out.println(TerminalText.line("Dashboard for " + paths.root() + ": " + server.url()));
          out.println("Ctrl-C stops it.");
          out.flush();
          signals.await();
        } finally {
          serving.remove(paths);
        }
      }
    }
    return ExitCodes.OK;
  }
}
