package dev.overnight.cli;

import dev.overnight.api.store.Store;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.server.DashboardServer;
import dev.overnight.server.InMemoryDashboardBackend;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overnight serve}: the dashboard over a state folder, without running anything. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the dashboard over a state folder (queue, reports) without running the schedule.",
      "While a daemon runs, its own dashboard (see overnight status) shows live sessions too."
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
    try (Store store = state.openStore(paths)) {
      InMemoryDashboardBackend backend =
          InMemoryDashboardBackend.builder(store.taskQueue())
              .reportsDirectory(paths.reports())
              .build();
      try (DashboardServer server =
          DashboardServer.builder(backend)
              .bind(bind)
              .port(port)
              .stateDirectory(paths.root())
              .build()) {
        server.start();
        Signals signals = Signals.install(() -> {});
        out.println(TerminalText.line("Dashboard for " + paths.root() + ": " + server.url()));
        out.println("Ctrl-C stops it.");
        out.flush();
        signals.await();
      }
    }
    return ExitCodes.OK;
  }
}
