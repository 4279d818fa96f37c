package dev.overnight.cli;

import dev.overnight.api.TimeSource;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.core.fleet.WorkerIdentity;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.server.DashboardServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What {@code run}, {@code once} and {@code demo} run: the runtime, holding the state folder's
 * lock, with the timeline printed and the dashboard attached; {@code status} finds it through the
 * daemon file it writes. Everything else is the runtime's.
 */
final class Daemon implements AutoCloseable {

  /** How the daemon is assembled. */
  static final class Options {
    boolean dashboard = true;
    String bind = "127.0.0.1";
    int port;
    TimeSource time;
    Executor cycleExecutor;
    boolean shutdownHook = true;
    Timeline timeline;
    final List<ConstraintCheckerProvider> constraintProviders = new ArrayList<>();

    /**
     * The file the config was read from, recorded in the state folder so that a command given only
     * the folder opens the same store (a fleet's PostgreSQL, not a SQLite file beside it).
     */
    Path configFile;
  }

  private final OvernightRuntime runtime;
  private final Optional<DashboardServer> dashboard;
  private volatile boolean dashboardStarted;
  private final Optional<Path> configFile;

  private Daemon(OrchestrationConfig config, StatePaths paths, Options o) {
    this.configFile = Optional.ofNullable(o.configFile).map(f -> f.toAbsolutePath().normalize());
    OvernightRuntime.Builder rb =
        OvernightRuntime.builder(config)
            .statePaths(paths)
            .lockStateFolder(true)
            // The folder's own id: the fleet knows this machine by it across restarts.
            .workerId(WorkerIdentity.stableId(paths.root()))
            .shutdownHook(o.shutdownHook);
    if (o.time != null) {
      rb.timeSource(o.time);
    }
    if (o.cycleExecutor != null) {
      rb.cycleExecutor(o.cycleExecutor);
    }
    o.constraintProviders.forEach(rb::constraintProvider);
    if (o.timeline != null) {
      rb.schedulerListener(o.timeline::onScheduler);
      rb.coordinatorListener(o.timeline::onCoordinator);
      rb.sessionSubscriber(o.timeline::onHub);
    }
    this.runtime = rb.build();
    try {
      this.dashboard =
          o.dashboard
              ? Optional.of(DashboardServer.forRuntime(runtime).bind(o.bind).port(o.port).build())
              : Optional.empty();
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
  }

  /**
   * Opens the daemon's parts.
   *
   * @throws dev.overnight.core.runtime.StateInUseException if another daemon holds the folder
   */
  static Daemon open(OrchestrationConfig config, StatePaths paths, Options options) {
    return new Daemon(config, paths, options);
  }

  OvernightRuntime runtime() {
    return runtime;
  }

  Optional<DashboardServer> dashboard() {
    return dashboard;
  }

  /** Starts the schedule, then the dashboard. */
  void start() {
    startSchedule();
    startDashboard();
  }

  /** Starts the schedule: the daemon is running from here on. */
  void startSchedule() {
    runtime.start();
    writeInfo();
  }

  /** Starts the dashboard (also for a cycle run by hand). */
  void startDashboard() {
    dashboard.ifPresent(DashboardServer::start);
    dashboardStarted = dashboard.isPresent();
    writeInfo();
  }

  private void writeInfo() {
    new DaemonInfo(
            runtime.config().id(),
            Optional.of(runtime.config().workspaceRoot().path().toString()),
            configFile.map(Path::toString),
            ProcessHandle.current().pid(),
            Instant.now(),
            dashboard.filter(d -> dashboardStarted).map(d -> d.baseUri().toString()))
        .write(runtime.paths());
  }

  /**
   * Stops gracefully and writes the final report (see {@link OvernightRuntime#stop}), waiting for a
   * running cycle up to the cancel grace period plus 30 s. The dashboard keeps serving until {@link
   * #close()}.
   */
  void stopGracefully() {
    runtime.stop(java.time.Duration.ofSeconds(runtime.config().limits().cancelGraceSec() + 30L));
  }

  @Override
  public void close() {
    runtime.close();
    dashboard.ifPresent(DashboardServer::close);
  }
}
