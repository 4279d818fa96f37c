package dev.overnight.cli;

import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.core.hub.HubItem;
import dev.overnight.core.hub.HubSubscription;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StateLock;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.server.DashboardServer;
import dev.overnight.server.InMemoryDashboardBackend;
import dev.overnight.sqlite.SqliteStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's parts for one configuration, in the order they are opened and closed: the state
 * folder's lock, the SQLite store, the runtime, the dashboard. Used by {@code run}, {@code once}
 * and {@code demo}.
 */
final class Daemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

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
    final List<AgentProvider> agents = new ArrayList<>();
  }

  private final StateLock lock;
  private final SqliteStore store;
  private final OvernightRuntime runtime;
  private final InMemoryDashboardBackend backend;
  private final Optional<DashboardServer> dashboard;
  private final HubSubscription hubFeed;
  private final Object cycleMonitor = new Object();
  private int runningCycles;
  private volatile boolean dashboardStarted;

  private Daemon(OrchestrationConfig config, StatePaths paths, Options o) {
    this.lock = StateLock.acquire(paths);
    try {
      SqliteStore.Builder sb =
          SqliteStore.builder(paths.database()).defaultMaxAttempts(config.maxAttempts());
      if (o.time != null) {
        sb.clock(o.time); // leases and history on the same clock as the schedule
      }
      this.store = sb.build();
      OvernightRuntime.Builder rb =
          OvernightRuntime.builder(config)
              .statePaths(paths)
              .taskQueue(store.taskQueue())
              .stateStore(store.schedulerStateStore())
              .shutdownHook(o.shutdownHook)
              .schedulerListener(this::countCycles);
      if (o.time != null) {
        rb.timeSource(o.time);
      }
      if (o.cycleExecutor != null) {
        rb.cycleExecutor(o.cycleExecutor);
      }
      o.constraintProviders.forEach(rb::constraintProvider);
      o.agents.forEach(rb::agentProvider);
      if (o.timeline != null) {
        rb.schedulerListener(o.timeline::onScheduler);
        rb.coordinatorListener(o.timeline::onCoordinator);
      }
      this.runtime = rb.build();
      this.backend =
          InMemoryDashboardBackend.builder(runtime.taskQueue())
              .clock(runtime.timeSource())
              .scheduler(runtime.scheduler())
              .coordinator(runtime.coordinator())
              .reportsDirectory(paths.reports())
              .build();
      Timeline timeline = o.timeline;
      this.hubFeed =
          runtime
              .hub()
              .subscribe(
                  item -> {
                    if (item instanceof HubItem.Event e) {
                      backend.onSessionEvent(e.event());
                    } else if (item instanceof HubItem.Ended ended) {
                      backend.endSession(ended.session().sessionId());
                    }
                    if (timeline != null) {
                      timeline.onHub(item);
                    }
                  });
      this.dashboard =
          o.dashboard
              ? Optional.of(
                  DashboardServer.builder(backend)
                      .bind(o.bind)
                      .port(o.port)
                      .stateDirectory(paths.root())
                      .build())
              : Optional.empty();
    } catch (RuntimeException e) {
      lock.close();
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

  SqliteStore store() {
    return store;
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
            Optional.empty(),
            ProcessHandle.current().pid(),
            java.time.Instant.now(),
            dashboard.filter(d -> dashboardStarted).map(d -> d.baseUri().toString()))
        .write(runtime.paths());
  }

  /**
   * Stops gracefully: no new cycle, a running one's agents get {@code session/cancel} and, after
   * the cancel grace period, their process trees are killed; their tasks go back to pending
   * untouched. Waits for the cycle to end, then writes the final report.
   */
  void stopGracefully() {
    runtime.scheduler().stop();
    runtime.coordinator().close();
    Duration wait = Duration.ofSeconds(runtime.config().limits().cancelGraceSec() + 30L);
    if (!awaitNoCycle(wait)) {
      LOG.warn("A cycle did not end within {} s of the stop; closing anyway", wait.toSeconds());
    }
    try {
      runtime.writeReport();
    } catch (RuntimeException e) {
      LOG.warn("Could not write the final report: {}", e.toString());
    }
  }

  private void countCycles(SchedulerEvent e) {
    synchronized (cycleMonitor) {
      if (e instanceof SchedulerEvent.CycleStarted) {
        runningCycles++;
      } else if (e instanceof SchedulerEvent.CycleFinished) {
        runningCycles = Math.max(0, runningCycles - 1);
        cycleMonitor.notifyAll();
      }
    }
  }

  /** Waits (in real time) until no cycle runs. */
  boolean awaitNoCycle(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (cycleMonitor) {
      while (runningCycles > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          cycleMonitor.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  @Override
  public void close() {
    hubFeed.cancel();
    runtime.close();
    dashboard.ifPresent(DashboardServer::close);
    store.close();
    lock.close();
  }
}
