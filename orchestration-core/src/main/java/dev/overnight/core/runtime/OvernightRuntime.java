package dev.overnight.core.runtime;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentProviderFactory;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.schedule.SchedulerListener;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.core.coordinator.AgentCoordinator;
import dev.overnight.core.coordinator.CoordinatorListener;
import dev.overnight.core.hub.SessionUpdateHub;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.report.ReportWriter;
import dev.overnight.core.schedule.DefaultScheduler;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.time.SystemTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configuration's Overnight, assembled: the scheduler triggers the coordinator, which takes
 * work from the queue, runs agents found through their providers, publishes their updates to the
 * session hub and writes the morning report into the state folder.
 *
 * <p>Everything can be given explicitly on the builder; what is not given is discovered (agent
 * providers through {@link AgentProviderFactory}, keep-awake through {@link KeepAwakeProvider}) or
 * defaulted (an in-memory queue and state store, the system time source).
 *
 * <p>Thread-safe. {@link #start()} returns at once; {@link #close()} stops the scheduler,
 * interrupts running tasks (cancel, grace, kill) and releases what the runtime created.
 */
public final class OvernightRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OvernightRuntime.class);

  private final OrchestrationConfig config;
  private final StatePaths paths;
  private final TaskQueue queue;
  private final SchedulerStateStore stateStore;
  private final TimeSource time;
  private final SessionUpdateHub hub;
  private final List<AgentProvider> agents;
  private final KeepAwake keepAwake;
  private final AgentCoordinator coordinator;
  private final DefaultScheduler scheduler;
  private final ReportWriter reports;
  private final List<AutoCloseable> owned = new ArrayList<>();

  private OvernightRuntime(Builder b) {
    this.config = b.config;
    this.paths = b.paths != null ? b.paths : StatePaths.of(Optional.empty(), config);
    if (b.time != null) {
      this.time = b.time;
    } else {
      SystemTimeSource system = SystemTimeSource.create();
      owned.add(system);
      this.time = system;
    }
    this.queue =
        b.queue != null
            ? b.queue
            : InMemoryTaskQueue.builder(time).defaultMaxAttempts(config.maxAttempts()).build();
    this.stateStore = b.stateStore != null ? b.stateStore : new TransientSchedulerStateStore();
    this.hub = SessionUpdateHub.builder(time).build();
    owned.add(hub);
    this.agents = agents(b.agents, b.loader, config);
    this.keepAwake = b.keepAwake != null ? b.keepAwake : discoverKeepAwake(b.loader);
    this.reports =
        new ReportWriter(
            config.id(),
            queue,
            Optional.of(stateStore),
            config.schedule().zoneOrDefault(),
            paths.reports());
    AgentCoordinator.Builder cb =
        AgentCoordinator.builder(config)
            .taskQueue(queue)
            .agentProviders(agents)
            .timeSource(time)
            .stateDir(paths.root())
            .sessionHub(hub)
            .reportWriter(reports);
    b.coordinatorListeners.forEach(cb::listener);
    b.workerId.ifPresent(cb::workerId);
    this.coordinator = cb.build();
    DefaultScheduler.Builder sb =
        DefaultScheduler.builder()
            .config(config)
            .cycleRunner(coordinator)
            .timeSource(time)
            .keepAwake(keepAwake)
            .stateStore(stateStore)
            .providerLoader(b.loader)
            .shutdownHook(b.shutdownHook);
    b.schedulerListeners.forEach(sb::listener);
    b.constraintProviders.forEach(sb::constraintProvider);
    if (b.cycleExecutor != null) {
      sb.cycleExecutor(b.cycleExecutor);
    }
    this.scheduler = sb.build();
  }

  /** Starts assembling the runtime of a configuration. */
  public static Builder builder(OrchestrationConfig config) {
    return new Builder(config);
  }

  /** Starts the scheduler: cycles run on schedule from now on. */
  public void start() {
    scheduler.start();
  }

  /**
   * Runs one cycle now, on the calling thread, outside the schedule and without checking
   * constraints; returns when every task it started has ended.
   */
  public void runOnce() {
    Instant now = time.instant();
    OneOffCycle cycle =
        new OneOffCycle(
            "once-" + UUID.randomUUID().toString().substring(0, 8),
            now,
            now.plus(Duration.ofSeconds(config.timeBudgetSec())));
    coordinator.runCycle(cycle);
  }

  /** Writes the morning report now and returns the Markdown file. */
  public Path writeReport() {
    return reports.write(time.instant());
  }

  /** The configuration. */
  public OrchestrationConfig config() {
    return config;
  }

  /** Where the state lives. */
  public StatePaths paths() {
    return paths;
  }

  /** The scheduler. */
  public DefaultScheduler scheduler() {
    return scheduler;
  }

  /** The coordinator. */
  public AgentCoordinator coordinator() {
    return coordinator;
  }

  /** The session update hub. */
  public SessionUpdateHub hub() {
    return hub;
  }

  /** The task queue. */
  public TaskQueue taskQueue() {
    return queue;
  }

  /** The scheduler's state store (snapshot and cycle history). */
  public SchedulerStateStore stateStore() {
    return stateStore;
  }

  /** The agents that may work, explicit ones first. */
  public List<AgentProvider> agents() {
    return agents;
  }

  /** The keep-awake in use. */
  public KeepAwake keepAwake() {
    return keepAwake;
  }

  /** The time source. */
  public TimeSource timeSource() {
    return time;
  }

  /**
   * Stops the scheduler, interrupts running tasks and releases what the runtime created. The queue
   * and state store given on the builder stay open: their owner closes them.
   */
  @Override
  public void close() {
    scheduler.close();
    coordinator.close();
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("Could not close {}: {}", c, e.toString());
      }
    }
  }

  private static List<AgentProvider> agents(
      List<AgentProvider> explicit, ProviderLoader loader, OrchestrationConfig config) {
    Map<String, AgentProvider> byId = new LinkedHashMap<>();
    explicit.forEach(p -> byId.putIfAbsent(p.id(), p));
    for (AgentProviderFactory factory : loader.load(AgentProviderFactory.class)) {
      try {
        factory.create(config).forEach(p -> byId.putIfAbsent(p.id(), p));
      } catch (RuntimeException e) {
        LOG.warn("Agent provider factory {} failed: {}", factory.name(), e.toString());
      }
    }
    return List.copyOf(byId.values());
  }

  private static KeepAwake discoverKeepAwake(ProviderLoader loader) {
    return loader.load(KeepAwakeProvider.class).stream()
        .filter(
            p -> {
              try {
                return p.isSupported();
              } catch (RuntimeException | LinkageError e) {
                return false;
              }
            })
        .min(
            Comparator.comparingInt(KeepAwakeProvider::order)
                .thenComparing(p -> p.getClass().getName()))
        .map(KeepAwakeProvider::create)
        .orElseGet(KeepAwake::noop);
  }

  /** Builds an {@link OvernightRuntime}. Not thread-safe. */
  public static final class Builder {
    private final OrchestrationConfig config;
    private StatePaths paths;
    private TaskQueue queue;
    private SchedulerStateStore stateStore;
    private TimeSource time;
    private ProviderLoader loader = ProviderLoader.standard();
    private final List<AgentProvider> agents = new ArrayList<>();
    private KeepAwake keepAwake;
    private final List<SchedulerListener> schedulerListeners = new ArrayList<>();
    private final List<ConstraintCheckerProvider> constraintProviders = new ArrayList<>();
    private final List<CoordinatorListener> coordinatorListeners = new ArrayList<>();
    private Executor cycleExecutor;
    private boolean shutdownHook = true;
    private Optional<String> workerId = Optional.empty();

    private Builder(OrchestrationConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The state folder (default: see {@link StatePaths}). */
    public Builder statePaths(StatePaths value) {
      paths = Objects.requireNonNull(value, "statePaths");
      return this;
    }

    /** The task queue (default: in memory). */
    public Builder taskQueue(TaskQueue value) {
      queue = Objects.requireNonNull(value, "taskQueue");
      return this;
    }

    /** The scheduler's state store (default: in memory). */
    public Builder stateStore(SchedulerStateStore value) {
      stateStore = Objects.requireNonNull(value, "stateStore");
      return this;
    }

    /** The time source (default: the system's). */
    public Builder timeSource(TimeSource value) {
      time = Objects.requireNonNull(value, "timeSource");
      return this;
    }

    /** Where providers are discovered (default: Overnight's class loader). */
    public Builder providerLoader(ProviderLoader value) {
      loader = Objects.requireNonNull(value, "providerLoader");
      return this;
    }

    /** Adds an agent; explicit agents win over discovered ones with the same id. */
    public Builder agentProvider(AgentProvider value) {
      agents.add(Objects.requireNonNull(value, "agentProvider"));
      return this;
    }

    /** The keep-awake (default: the first supported discovered one, else none). */
    public Builder keepAwake(KeepAwake value) {
      keepAwake = Objects.requireNonNull(value, "keepAwake");
      return this;
    }

    /** Registers a constraint checker provider; explicit ones win over discovered ones. */
    public Builder constraintProvider(ConstraintCheckerProvider value) {
      constraintProviders.add(Objects.requireNonNull(value, "constraintProvider"));
      return this;
    }

    /** Adds a scheduler listener. */
    public Builder schedulerListener(SchedulerListener value) {
      schedulerListeners.add(Objects.requireNonNull(value, "schedulerListener"));
      return this;
    }

    /** Adds a coordinator listener. */
    public Builder coordinatorListener(CoordinatorListener value) {
      coordinatorListeners.add(Objects.requireNonNull(value, "coordinatorListener"));
      return this;
    }

    /** Where cycles run (default: the scheduler's own thread). */
    public Builder cycleExecutor(Executor value) {
      cycleExecutor = Objects.requireNonNull(value, "cycleExecutor");
      return this;
    }

    /** Whether a JVM shutdown hook releases keep-awake (default on). */
    public Builder shutdownHook(boolean value) {
      shutdownHook = value;
      return this;
    }

    /** The worker id tasks are claimed under (default: overnight-PID). */
    public Builder workerId(String value) {
      workerId = Optional.of(value);
      return this;
    }

    /**
     * Builds the runtime.
     *
     * @throws dev.overnight.api.config.ConfigException if a configured constraint has no provider
     * @throws dev.overnight.core.worktree.GitException if the workspace is not a git repository
     */
    public OvernightRuntime build() {
      return new OvernightRuntime(this);
    }
  }
}
