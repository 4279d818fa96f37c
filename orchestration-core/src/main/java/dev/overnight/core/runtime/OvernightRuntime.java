package dev.overnight.core.runtime;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.OrchestrationException;
import dev.overnight.api.ProviderContext;
import dev.overnight.api.Subscription;
import dev.overnight.api.TimeSource;
import dev.overnight.api.WakeScheduler;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.decision.CandidateSource;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.notify.NotifierProvider;
import dev.overnight.api.pipeline.PipelineOperation;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.schedule.CycleContext;
import dev.overnight.api.schedule.Scheduler;
import dev.overnight.api.schedule.SchedulerListener;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.store.Store;
import dev.overnight.api.store.StoreLostException;
import dev.overnight.core.coordinator.AgentCoordinator;
import dev.overnight.core.coordinator.AttemptObserver;
import dev.overnight.core.coordinator.Coordinator;
import dev.overnight.core.coordinator.CoordinatorListener;
import dev.overnight.core.coordinator.PullRequestFollowUps;
import dev.overnight.core.coordinator.PullRequestPublisher;
import dev.overnight.core.decision.DecisionInputs;
import dev.overnight.core.decision.DecisionPlanner;
import dev.overnight.core.decision.PlanReport;
import dev.overnight.core.event.Listeners;
import dev.overnight.core.fleet.SchedulerIds;
import dev.overnight.core.fleet.WorkerIdentity;
import dev.overnight.core.fleet.WorkerPresence;
import dev.overnight.core.hub.HubSubscriber;
import dev.overnight.core.hub.SessionStream;
import dev.overnight.core.hub.SessionUpdateHub;
import dev.overnight.core.notify.Notifications;
import dev.overnight.core.pipeline.Pipelines;
import dev.overnight.core.pr.ChecksLookup;
import dev.overnight.core.pr.GitHubIssues;
import dev.overnight.core.pr.PullRequestForge;
import dev.overnight.core.process.ProcessLedger;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.queue.OpHashes;
import dev.overnight.core.report.NightAlarm;
import dev.overnight.core.report.NightAlarms;
import dev.overnight.core.report.ReportWriter;
import dev.overnight.core.schedule.ConstraintGate;
import dev.overnight.core.schedule.ConstraintGateResult;
import dev.overnight.core.schedule.DefaultScheduler;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import dev.overnight.core.secrets.Redactor;
import dev.overnight.core.spi.Discovery;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.time.SystemTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configuration's Overnight, assembled: the scheduler triggers the coordinator, which takes
 * work from the queue (or asks the decision engine), runs agents found through their providers,
 * streams their updates to every subscriber and writes the morning report into the state folder.
 *
 * <p><b>Assembly.</b> {@link #builder(OrchestrationConfig)} is the one place Overnight is put
 * together. Every part can be given explicitly; what is not given is found by one {@link Discovery}
 * (explicit wins, then {@link java.util.ServiceLoader} order) or defaulted: the store of the
 * discovered {@link dev.overnight.api.store.StoreProvider} (SQLite in the state folder when {@code
 * orchestration-sqlite} is present, else in memory), the decision engine the config names, the
 * platform's keep-awake, the system's time. Discovered providers get the runtime's {@link
 * TimeSource}, so a runtime on virtual time is virtual throughout. {@linkplain
 * RuntimeInstrumentation Instrumentation} (metrics, traces), given or discovered, attaches last and
 * is optional: core needs none.
 *
 * <p><b>Secrets.</b> The values of secret-named variables in the environment the runtime gives its
 * providers and in the config's agent {@code env} entries are {@linkplain Redactor redacted} from
 * what it stores and reports (a task's errors and facts, the morning report); the state folder and
 * what is created in it are for their owner only ({@link dev.overnight.core.secrets.PrivateFiles}).
 *
 * <p><b>Life.</b> {@link #start()} runs cycles on schedule; {@link #runOnce()} runs one now. {@link
 * #stop(Duration)} stops gracefully: no new cycle, running agents are cancelled and, after the
 * configured grace, killed (their tasks go back to pending), and it waits up to the given time for
 * the cycle to end, then writes the final report. {@link #shutdown(Duration)} also releases what
 * the runtime opened; {@link #close()} is {@code shutdown(shutdownMaxWait)}. What was given to the
 * builder stays open: its owner closes it.
 *
 * <p><b>After a crash.</b> A runtime that {@linkplain Builder#lockStateFolder holds the state
 * folder's lock} is the only Overnight working there, so what the folder's previous holder left
 * behind when it died ({@code kill -9}, a power cut) is known to be abandoned: at build it kills
 * the agent process groups a dead Overnight started (what the agents started included), and puts
 * the tasks the dead holder had in progress back to pending at once, rather than after their leases
 * run out. Tasks another live process holds on the same store are never touched.
 *
 * <p><b>When it cannot go on.</b> If the store is lost (its file deleted or replaced, {@link
 * StoreLostException}), the runtime stops its schedule by itself: every further cycle would fail,
 * and work it did could never be recorded. {@link #fatalError()} and {@link #onFatalError} say so,
 * for the daemon to exit with the error.
 *
 * <p>Thread-safe. {@link #start()} returns at once; {@link #runOnce()} blocks until its tasks end;
 * {@link #stop} and {@link #shutdown} block up to their wait.
 *
 * @since 0.1.0
 */
public final class OvernightRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OvernightRuntime.class);

  private final OrchestrationConfig config;
  private final StatePaths paths;
  private final TimeSource time;
  private final Discovery discovery;
  private final TaskQueue queue;
  private final SchedulerStateStore stateStore;
  private final String schedulerId;
  private final SessionUpdateHub hub;
  private final List<AgentProvider> agents;
  private final KeepAwake keepAwake;
  private final DecisionEngine engine;
  private final List<SessionHistorySource> historySources;
  private final List<CandidateSource> candidateSources;
  private final AgentCoordinator coordinator;
  private final ConstraintGate gate;
  private final DefaultScheduler scheduler;
  private final ReportWriter reports;
  private final WorkerRegistry workers;
  private final Supplier<WorkerIdentity> identity;
  private final WorkerPresence presence;
  private final Duration shutdownMaxWait;
  private final Deque<AutoCloseable> owned;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicReference<OrchestrationException> fatal = new AtomicReference<>();
  private final Listeners<OrchestrationException> fatalListeners = new Listeners<>("fatal error");
  private final RunningCycles cycles = new RunningCycles();
  // Empty while the instrumentations attach, then those attached.
  private volatile List<RuntimeInstrumentation> instrumentations = List.of();
  private final Pipelines pipelines;
  // Rounds of follow-ups outside the window, when follow_ups.in_day is on and follow-ups run.
  private final Optional<DayRounds> dayRounds;
  // The worker whose tasks this machine reports, on a queue machines share; empty: every task.
  private final Optional<String> ownTasks;

  private OvernightRuntime(Builder b, Deque<AutoCloseable> owned) {
    this.owned = owned;
    this.config = b.config;
    this.paths = b.paths != null ? b.paths : StatePaths.of(Optional.empty(), config);
    String workerId = b.workerId.orElse("overnight-" + ProcessHandle.current().pid());
    Optional<StateLock.Holder> previousHolder = Optional.empty();
    if (b.lockStateFolder) {
      StateLock lock = StateLock.acquire(paths, workerId);
      owned.push(lock);
      previousHolder = lock.previousHolder();
    }
    if (b.time != null) {
      this.time = b.time;
    } else {
      SystemTimeSource system = SystemTimeSource.create();
      owned.push(system);
      this.time = system;
    }
    Discovery.Builder db =
        Discovery.builder(providerContext(config, paths, time, b.environment, b.home))
            .loader(b.loader);
    b.agents.forEach(db::agentProvider);
    b.constraintProviders.forEach(db::constraintProvider);
    b.historySources.forEach(db::historySource);
    b.candidateSources.forEach(db::candidateSource);
    b.notifierProviders.forEach(db::notifierProvider);
    b.pipelineOperations.forEach(db::pipelineOperation);
    Optional.ofNullable(b.keepAwake).ifPresent(db::keepAwake);
    Optional.ofNullable(b.engine).ifPresent(db::decisionEngine);
    this.discovery = db.build();

    Store store = b.store;
    if (store == null && b.queue == null && b.stateStore == null) {
      store = discovery.openStore().orElse(null);
      if (store != null) {
        owned.push(store);
      }
    }
    this.queue =
        store != null
            ? store.taskQueue()
            : b.queue != null
                ? b.queue
                : InMemoryTaskQueue.builder(time).defaultMaxAttempts(config.maxAttempts()).build();
    this.stateStore =
        store != null
            ? store.schedulerStateStore()
            : b.stateStore != null ? b.stateStore : new TransientSchedulerStateStore();
    this.workers = store != null ? store.workers() : WorkerRegistry.none();
    this.schedulerId = SchedulerIds.of(config, store != null && store.shared(), b.environment);

    ProcessLedger agentProcesses = new ProcessLedger(paths.processes());
    if (b.lockStateFolder) {
      AbandonedWork.recover(previousHolder, agentProcesses, queue);
    }

    this.agents = discovery.agents();
    this.identity = RuntimeAssembly.identity(config, paths, agents, b.workerId, b.environment);
    this.keepAwake = discovery.keepAwake();
    this.engine = discovery.decisionEngine();
    this.historySources = discovery.historySources();
    this.candidateSources =
        engine.usesCandidates() ? discovery.candidateSources() : List.<CandidateSource>of();

    this.hub = SessionUpdateHub.builder(time).build();
    owned.push(hub);
    // The secrets the agents are started with: what they print must not be stored or reported.
    Redactor redactor = Redactor.forConfig(config, b.environment);
    ReportWriter writer =
        new ReportWriter(
            schedulerId,
            queue,
            Optional.of(stateStore),
            config.schedule().zoneOrDefault(),
            paths.reports(),
            redactor,
            config.schedule().alarmAfterNights());
    // On a queue machines share, this machine's report and alarms are of the tasks it ran.
    this.ownTasks =
        store != null && store.shared() ? Optional.of(workerId) : Optional.<String>empty();
    this.reports = ownTasks.map(w -> writer.ofWorker(w, workers)).orElse(writer);
    AgentCoordinator.Builder cb =
        AgentCoordinator.builder(config)
            .taskQueue(queue)
            .agentProviders(agents)
            .decisionEngine(engine)
            .historySources(historySources)
            .candidateSources(candidateSources)
            .timeSource(time)
            .stateDir(paths.root())
            .sessionHub(hub)
            .redactor(redactor)
            .reportWriter(reports)
            .agentProcesses(agentProcesses)
            .quotaStore(stateStore)
            .workerId(workerId)
            .workerLabels(() -> identity().labels())
            .decidedTaskLabels(() -> identity().decidedTaskLabels());
    Optional.ofNullable(b.publisher).ifPresent(cb::publisher);
    RuntimeAssembly assembly = new RuntimeAssembly(config, paths, time, b.environment, owned);
    Pipelines configured =
        assembly.pipelines(
            discovery.pipelineOperations(), b.allowedPrograms, Optional.ofNullable(b.checks));
    b.coordinatorListeners.forEach(cb::listener);
    Optional<Notifications> notifications =
        assembly.notifications(discovery.notifiers(), this::nightAlarms);
    notifications.ifPresent(cb::listener);
    this.pipelines = notifications.map(n -> configured.notifyingWith(n::tell)).orElse(configured);
    Optional<PullRequestFollowUps> followUps =
        assembly.pullRequests(cb, agents, Optional.ofNullable(b.pullRequestForge), notifications);
    cb.pipelines(pipelines);
    assembly
        .issueTasks(
            Optional.ofNullable(b.gitHubIssues), queue, () -> identity().decidedTaskLabels())
        .ifPresent(issues -> cb.taskFeed(issues).listener(issues));
    this.coordinator = cb.build();
    owned.push(coordinator);
    this.gate =
        ConstraintGate.builder(config.constraints())
            .providers(discovery.constraintCheckers())
            .timeSource(time)
            .build();
    owned.push(gate);
    DefaultScheduler.Builder sb =
        DefaultScheduler.builder()
            .id(schedulerId)
            .schedule(config.schedule())
            .constraints(config.constraints())
            .timeBudget(Duration.ofSeconds(config.timeBudgetSec()))
            .cycleRunner(this::runCycle)
            .timeSource(time)
            .keepAwake(keepAwake)
            .stateStore(stateStore)
            .constraintGate(gate)
            .shutdownHook(b.shutdownHook)
            .listener(cycles::onSchedulerEvent);
    assembly.wakeScheduler(sb, Optional.ofNullable(b.wakeScheduler), discovery);
    notifications.ifPresent(sb::listener);
    b.schedulerListeners.forEach(sb::listener);
    if (b.cycleExecutor != null) {
      sb.cycleExecutor(b.cycleExecutor);
    }
    this.scheduler = sb.build();
    owned.push(scheduler);
    this.dayRounds =
        followUps.isPresent() && config.prAutomation().followUps().inDay()
            ? Optional.of(
                new DayFollowUps(
                        config,
                        time,
                        scheduler,
                        gate,
                        keepAwake,
                        coordinator,
                        cycles,
                        stopped::get,
                        () -> fatal.get() != null,
                        this::stopForGood)
                    .rounds(Optional.ofNullable(b.cycleExecutor), owned))
            : Optional.empty();
    this.presence = new WorkerPresence(workers, this::identity, time);
    owned.push(presence);
    scheduler.subscribe(presence::onSchedulerEvent);
    coordinator.subscribe(presence::onCoordinatorEvent);
    b.sessionSubscribers.forEach(hub::subscribe);
    this.shutdownMaxWait =
        b.shutdownMaxWait != null
            ? b.shutdownMaxWait
            : Duration.ofSeconds(config.limits().cancelGraceSec() + 30L);
    // Last: instrumentation sees the runtime whole, and is detached before anything it watches
    // is closed.
    this.instrumentations =
        Instrumentations.attach(
            this, Instrumentations.choose(b.instrumentations, discovery), owned);
  }

  /** Starts assembling the runtime of a configuration. */
  public static Builder builder(OrchestrationConfig config) {
    return new Builder(config);
  }

  /**
   * The context a runtime of {@code config} gives its discovered providers: the configuration, the
   * time source, the state folder, the process environment and the user's home.
   */
  public static ProviderContext providerContext(
      OrchestrationConfig config, StatePaths paths, TimeSource time) {
    return providerContext(
        config, paths, time, System.getenv(), Path.of(System.getProperty("user.home", ".")));
  }

  private static ProviderContext providerContext(
      OrchestrationConfig config,
      StatePaths paths,
      TimeSource time,
      Map<String, String> environment,
      Path home) {
    return ProviderContext.builder(config)
        .timeSource(time)
        .stateDirectory(paths.root())
        .environment(environment)
        .homeDirectory(home)
        .build();
  }

  /**
   * What a runtime of {@code config} would discover, without assembling one: for code that looks
   * rather than runs ({@code overnight doctor}, {@code plan}, {@code agent try}). Providers get the
   * process's {@linkplain SystemTimeSource#shared() shared system time}.
   */
  public static Discovery discover(OrchestrationConfig config, StatePaths paths) {
    return discover(config, paths, ProviderLoader.standard());
  }

  /** {@link #discover(OrchestrationConfig, StatePaths)} over another loader. */
  public static Discovery discover(
      OrchestrationConfig config, StatePaths paths, ProviderLoader loader) {
    return Discovery.builder(providerContext(config, paths, SystemTimeSource.shared()))
        .loader(loader)
        .build();
  }

  /**
   * Opens the store of a state folder as a runtime of {@code config} would, without assembling one:
   * for code that reads or changes the queue and history beside a daemon or without one ({@code
   * overnight queue}, {@code status}, {@code report}, {@code serve}). The caller closes it.
   *
   * @throws OrchestrationException if no store provider is on the class path
   */
  public static Store openStore(OrchestrationConfig config, StatePaths paths) {
    return discover(config, paths)
        .openStore()
        .orElseThrow(
            () ->
                new OrchestrationException(
                    "no store provider is on the class path to open "
                        + paths.root()
                        + ": add dev.overnight:orchestration-sqlite"));
  }

  /** Starts the scheduler: cycles run on schedule from now on. */
  public void start() {
    requireOpen();
    started.set(true);
    presence.start();
    scheduler.start();
    dayRounds.ifPresent(DayRounds::start);
  }

  /**
   * Runs one cycle now, on the calling thread, outside the schedule and without checking
   * constraints; returns when every task it started has ended.
   */
  public void runOnce() {
    requireOpen();
    Instant now = time.instant();
    OneOffCycle cycle =
        new OneOffCycle(
            "once-" + UUID.randomUUID().toString().substring(0, 8),
            now,
            now.plus(Duration.ofSeconds(config.timeBudgetSec())));
    cycles.add(cycle);
    cycles.began();
    try {
      // A stop that came between requireOpen() and add() did not see this cycle: cancel it here,
      // so it starts nothing on the stopped coordinator.
      if (stopped.get()) {
        cycle.cancel();
      }
      Optional<Throwable> failure = Optional.empty();
      try {
        runCycle(cycle);
      } catch (RuntimeException | Error e) {
        failure = Optional.of(e);
        throw e;
      } finally {
        recordOnce(cycle, failure);
      }
    } finally {
      cycles.remove(cycle);
      cycles.ended();
    }
  }

  /** A cycle run by hand goes into the cycle history like a scheduled one, with its receipt. */
  private void recordOnce(OneOffCycle cycle, Optional<Throwable> failure) {
    try {
      stateStore.record(cycle.record(schedulerId, time.instant(), failure));
    } catch (RuntimeException e) {
      LOG.warn("Could not record the cycle {}: {}", cycle.cycleId(), e.toString());
    }
  }

  /**
   * Checks the configured constraints now, as the scheduler does before a cycle: every checker in
   * parallel, each bounded by the check timeout on the runtime's clock.
   *
   * @throws dev.overnight.api.config.ConfigException if a configured constraint has no provider
   */
  public ConstraintGateResult checkConstraints() {
    return gate.check();
  }

  /**
   * What this runtime would work on next if its queue ran dry, and why: its own decision engine,
   * history sources and agents, passing over every op hash already in the queue. Runs and changes
   * nothing; blocks on git and history reads.
   */
  public PlanReport plan() {
    DecisionInputs.Builder inputs =
        DecisionInputs.builder(config, time)
            .historySources(historySources)
            .candidateSources(candidateSources)
            .agents(coordinator.agentAvailability());
    if (engine.usesCandidates()) {
      inputs.takenLookup(queue::takenOpHashes);
    } else {
      inputs.finishedOpHashes(OpHashes.taken(queue));
    }
    return new DecisionPlanner(engine).plan(inputs.build());
  }

  /** Writes the morning report now and returns the Markdown file. */
  public Path writeReport() {
    return reports.write(time.instant());
  }

  /**
   * Why this runtime stopped by itself, if it did: its store was lost ({@link StoreLostException}).
   * A daemon exits with this error.
   */
  public Optional<OrchestrationException> fatalError() {
    return Optional.ofNullable(fatal.get());
  }

  /**
   * Calls {@code listener} once if this runtime stops by itself (see {@link #fatalError()}), on the
   * thread that found out; at once if it already has. Closing the subscription stops the call.
   */
  public Subscription onFatalError(Consumer<? super OrchestrationException> listener) {
    Subscription subscription = fatalListeners.subscribe(listener);
    OrchestrationException already = fatal.get();
    if (already != null) {
      subscription.close();
      listener.accept(already);
    }
    return subscription;
  }

  /** The configuration. */
  public OrchestrationConfig config() {
    return config;
  }

  /** Where the state lives. */
  public StatePaths paths() {
    return paths;
  }

  /** The scheduler: its state, metrics, next wake and controls. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The coordinator: agents' availability, counters and events. */
  public Coordinator coordinator() {
    return coordinator;
  }

  /** The live stream of every agent session's updates. */
  public SessionStream sessions() {
    return hub;
  }

  /**
   * This runtime as a worker of a fleet: its id, name and labels (found on first use: the agents
   * available then, the workspace's remote). Blocks on git and the agents' availability checks the
   * first time.
   */
  public WorkerIdentity identity() {
    return identity.get();
  }

  /** Where the workers sharing this runtime's store record themselves; none without a store. */
  public WorkerRegistry workers() {
    return workers;
  }

  /** The task queue. */
  public TaskQueue taskQueue() {
    return queue;
  }

  /**
   * The id this runtime's scheduler keeps its snapshot and cycle history under: the config's id, or
   * on a store machines share, the config's id and this machine's name (see {@link SchedulerIds}).
   */
  public String schedulerId() {
    return schedulerId;
  }

  /**
   * Whose tasks this machine's morning report and night alarms cover: on a queue machines share
   * ({@link Store#shared()}), the worker id it claims under; otherwise empty, every task of the
   * queue.
   */
  public Optional<String> ownTasks() {
    return ownTasks;
  }

  /**
   * The night alarms of this machine's schedule, as its morning report and notifications raise
   * them: on a queue machines share, judged by the tasks this machine ran. Blocks on the store.
   */
  public List<NightAlarm> nightAlarms() {
    return NightAlarms.read(
        queue,
        stateStore,
        schedulerId,
        ownTasks,
        config.schedule().zoneOrDefault(),
        config.schedule().alarmAfterNights());
  }

  /** The scheduler's state store (snapshot and cycle history). */
  public SchedulerStateStore schedulerStateStore() {
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

  /** The time source every part of this runtime reads. */
  public TimeSource timeSource() {
    return time;
  }

  /** What was discovered for this runtime, and how. */
  public Discovery discovery() {
    return discovery;
  }

  /**
   * The runtime's pipelines: the operations and manifests its coordinator runs pipeline tasks with.
   * Enqueue one with {@code taskQueue().enqueue(pipelines().enqueue(...))}.
   */
  public Pipelines pipelines() {
    return pipelines;
  }

  /** Subscribes to the scheduler's events; closing the subscription stops them. */
  public Subscription subscribe(SchedulerListener listener) {
    return scheduler.subscribe(listener);
  }

  /** Subscribes to the coordinator's events; closing the subscription stops them. */
  public Subscription subscribe(CoordinatorListener listener) {
    return coordinator.subscribe(listener);
  }

  /**
   * Shows every task attempt that starts from now on to {@code observer}: its agent, turns, gate
   * runs, usage and end, and a chance to add to the agent process's environment. Closing the
   * subscription stops it for later attempts.
   */
  public Subscription observe(AttemptObserver observer) {
    return coordinator.observe(observer);
  }

  /** The instrumentations attached to this runtime, given ones first. */
  public List<RuntimeInstrumentation> instrumentations() {
    return instrumentations;
  }

  /**
   * Stops the work gracefully and keeps the store readable: no new cycle starts; a running cycle's
   * agents get {@code session/cancel} and, after the configured grace period, their process trees
   * are killed (their tasks go back to pending, attempts counted); waits up to {@code maxWait} for
   * the cycle to end; then writes the final report if the schedule was started. Idempotent: later
   * calls return at once. Read the queue afterwards, then {@link #close()}.
   *
   * @return whether every cycle had ended within {@code maxWait}
   */
  public boolean stop(Duration maxWait) {
    Objects.requireNonNull(maxWait, "maxWait");
    if (!stopped.compareAndSet(false, true)) {
      return true;
    }
    scheduler.stop();
    dayRounds.ifPresent(DayRounds::close);
    presence.close();
    // As the scheduler cancels its own cycle: a cycle run by hand starts no further task either,
    // and its running agents are cancelled.
    cycles.cancelOutsideSchedule();
    coordinator.close();
    boolean ended = cycles.awaitNone(maxWait);
    if (!ended) {
      LOG.warn("A cycle did not end within {} of the stop; going on without it", maxWait);
    }
    if (started.get()) {
      try {
        writeReport();
      } catch (RuntimeException e) {
        LOG.warn("Could not write the final report: {}", e.toString());
      }
    }
    return ended;
  }

  /**
   * {@link #stop(Duration) Stops} gracefully, then releases what the runtime opened (its store,
   * time source, session stream, the state folder's lock), most recently opened first. Idempotent.
   *
   * @return whether every cycle had ended within {@code maxWait}
   */
  public boolean shutdown(Duration maxWait) {
    boolean ended = stop(maxWait);
    closeAll(owned);
    return ended;
  }

  /** {@link #shutdown(Duration)} with the builder's {@code shutdownMaxWait}. */
  @Override
  public void close() {
    shutdown(shutdownMaxWait);
  }

  /** Runs a cycle with the coordinator; a lost store stops the runtime (see the class doc). */
  private void runCycle(CycleContext cycle) {
    try {
      coordinator.runCycle(cycle);
    } catch (StoreLostException e) {
      stopForGood(e);
      throw e;
    }
  }

  /**
   * Stops the schedule and cancels cycles run by hand, without waiting (this may be a cycle's own
   * thread), and tells whoever listens; the rest of the stop is {@link #stop}'s.
   */
  private void stopForGood(OrchestrationException why) {
    if (!fatal.compareAndSet(null, why)) {
      return;
    }
    LOG.error("Overnight {} stops: {}", config.id(), why.getMessage());
    scheduler.stop();
    dayRounds.ifPresent(DayRounds::close);
    cycles.cancelOutsideSchedule();
    fatalListeners.publish(why);
  }

  private void requireOpen() {
    if (stopped.get()) {
      throw new IllegalStateException("this Overnight runtime has been stopped");
    }
  }

  /** Closes, most recently opened first; a failure is logged and the rest still closed. */
  private static void closeAll(Deque<AutoCloseable> owned) {
    while (!owned.isEmpty()) {
      AutoCloseable c = owned.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("Could not close {}: {}", c, e.toString());
      }
    }
  }

  /**
   * Builds an {@link OvernightRuntime}. Each part is set at most once; settings that contradict
   * each other are refused with a message naming both. Not thread-safe.
   */
  public static final class Builder {
    private final OrchestrationConfig config;
    private StatePaths paths;
    private boolean lockStateFolder;
    private Store store;
    private TaskQueue queue;
    private SchedulerStateStore stateStore;
    private TimeSource time;
    private ProviderLoader loader = ProviderLoader.standard();
    private Map<String, String> environment = System.getenv();
    private Path home = Path.of(System.getProperty("user.home", "."));
    private final List<AgentProvider> agents = new ArrayList<>();
    private KeepAwake keepAwake;
    private WakeScheduler wakeScheduler;
    private DecisionEngine engine;
    private final List<SessionHistorySource> historySources = new ArrayList<>();
    private final List<CandidateSource> candidateSources = new ArrayList<>();
    private final List<PipelineOperation> pipelineOperations = new ArrayList<>();
    private final List<String> allowedPrograms = new ArrayList<>();
    private PullRequestPublisher publisher;
    private PullRequestForge pullRequestForge;
    private GitHubIssues gitHubIssues;
    private ChecksLookup checks;
    private final List<SchedulerListener> schedulerListeners = new ArrayList<>();
    private final List<ConstraintCheckerProvider> constraintProviders = new ArrayList<>();
    private final List<CoordinatorListener> coordinatorListeners = new ArrayList<>();
    private final List<NotifierProvider> notifierProviders = new ArrayList<>();
    private final List<HubSubscriber> sessionSubscribers = new ArrayList<>();
    private final List<RuntimeInstrumentation> instrumentations = new ArrayList<>();
    private Executor cycleExecutor;
    private boolean shutdownHook = true;
    private Optional<String> workerId = Optional.empty();
    private Duration shutdownMaxWait;

    private Builder(OrchestrationConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The state folder (default: see {@link StatePaths}). */
    public Builder statePaths(StatePaths value) {
      paths = once(paths, value, "statePaths");
      return this;
    }

    /**
     * Whether the runtime holds the state folder's lock for its life, so no second daemon uses it
     * (default off; {@code overnight run} turns it on). Building then fails with {@link
     * StateInUseException} when another process holds it, and recovers what a dead previous holder
     * left behind (see the class documentation).
     */
    public Builder lockStateFolder(boolean value) {
      lockStateFolder = value;
      return this;
    }

    /**
     * The store: its task queue and scheduler state store (default: the discovered store
     * provider's, else in memory). Cannot be combined with {@link #taskQueue} or {@link
     * #schedulerStateStore}. The caller closes it.
     */
    public Builder store(Store value) {
      store = once(store, value, "store");
      return this;
    }

    /** The task queue (see {@link #store}); the caller closes it. */
    public Builder taskQueue(TaskQueue value) {
      queue = once(queue, value, "taskQueue");
      return this;
    }

    /** The scheduler's state store (see {@link #store}); the caller closes it. */
    public Builder schedulerStateStore(SchedulerStateStore value) {
      stateStore = once(stateStore, value, "schedulerStateStore");
      return this;
    }

    /** The time source (default: the system's, owned by the runtime). */
    public Builder timeSource(TimeSource value) {
      time = once(time, value, "timeSource");
      return this;
    }

    /** Where providers are discovered (default: Overnight's class loader). */
    public Builder providerLoader(ProviderLoader value) {
      loader = Objects.requireNonNull(value, "providerLoader");
      return this;
    }

    /** The environment providers see (default: the process's). */
    public Builder environment(Map<String, String> value) {
      environment = Map.copyOf(value);
      return this;
    }

    /** The home folder providers see (default: {@code user.home}). */
    public Builder homeDirectory(Path value) {
      home = Objects.requireNonNull(value, "homeDirectory");
      return this;
    }

    /**
     * Adds an agent; it wins over a discovered one with its id.
     *
     * @throws IllegalArgumentException if an agent with its id was added already
     */
    public Builder agentProvider(AgentProvider value) {
      Objects.requireNonNull(value, "agentProvider");
      if (agents.stream().anyMatch(a -> a.id().equals(value.id()))) {
        throw new IllegalArgumentException(
            "two agent providers were added for the id '" + value.id() + "'; add one");
      }
      agents.add(value);
      return this;
    }

    /** The keep-awake (default: the first supported discovered one, else none). */
    public Builder keepAwake(KeepAwake value) {
      keepAwake = once(keepAwake, value, "keepAwake");
      return this;
    }

    /**
     * The wake scheduler used when the config's {@code schedule.wake.enabled} is on (default: the
     * first supported discovered one, else none, and the machine is not woken).
     */
    public Builder wakeScheduler(WakeScheduler value) {
      wakeScheduler = once(wakeScheduler, value, "wakeScheduler");
      return this;
    }

    /** The decision engine (default: the one the config's {@code decision.engine} names). */
    public Builder decisionEngine(DecisionEngine value) {
      engine = once(engine, value, "decisionEngine");
      return this;
    }

    /**
     * Adds a session history source; it wins over a discovered one of its name, and is read when
     * the config's {@code decision.history_sources} lists that name.
     */
    public Builder historySource(SessionHistorySource value) {
      historySources.add(Objects.requireNonNull(value, "historySource"));
      return this;
    }

    /**
     * Adds a candidate source; it wins over a discovered one of its name, and is run when the
     * decision engine uses candidates (and the config's {@code decision.sources}, if set, lists
     * it).
     */
    public Builder candidateSource(CandidateSource value) {
      candidateSources.add(Objects.requireNonNull(value, "candidateSource"));
      return this;
    }

    /** Adds a pipeline operation; it wins over a built-in or discovered one of its name. */
    public Builder pipelineOperation(PipelineOperation value) {
      pipelineOperations.add(Objects.requireNonNull(value, "pipelineOperation"));
      return this;
    }

    /**
     * Programs pipeline command steps may run beyond those the config runs itself (its quality gate
     * and worktree setup): the local user's choice, never a manifest's.
     */
    public Builder allowPipelinePrograms(java.util.Collection<String> programs) {
      allowedPrograms.addAll(programs);
      return this;
    }

    /** The pull request publisher (default: {@link PullRequestPublisher#gh}). */
    public Builder pullRequestPublisher(PullRequestPublisher value) {
      publisher = once(publisher, value, "pullRequestPublisher");
      return this;
    }

    /**
     * The forge the follow-ups on Overnight's pull requests ask (default: GitHub's REST API, when
     * the remote is on a GitHub host and a token is in the environment, else through {@code gh}
     * when it is logged in to that host; see {@link PullRequestFollowUps#forConfig}).
     */
    public Builder pullRequestForge(PullRequestForge value) {
      pullRequestForge = once(pullRequestForge, value, "pullRequestForge");
      return this;
    }

    /**
     * The GitHub repository whose labelled issues become tasks when {@code issues.enabled}
     * (default: the one the pull request remote names, with the environment's token, else through
     * {@code gh} when it is logged in to that host).
     */
    public Builder gitHubIssues(GitHubIssues value) {
      gitHubIssues = once(gitHubIssues, value, "gitHubIssues");
      return this;
    }

    /**
     * Where pipelines' {@code wait_for_ci} steps read pull requests' checks (default: GitHub's REST
     * API for the pull request remote, when it is on a GitHub host and {@code GH_TOKEN} is set).
     */
    public Builder pullRequestChecks(ChecksLookup value) {
      checks = once(checks, value, "pullRequestChecks");
      return this;
    }

    /** Registers a constraint checker provider; it wins over discovered ones of its name. */
    public Builder constraintProvider(ConstraintCheckerProvider value) {
      constraintProviders.add(Objects.requireNonNull(value, "constraintProvider"));
      return this;
    }

    /**
     * Adds a notifier provider; it wins over discovered ones of its type, for the config's {@code
     * notifications} entries of that type.
     */
    public Builder notifierProvider(NotifierProvider value) {
      notifierProviders.add(Objects.requireNonNull(value, "notifierProvider"));
      return this;
    }

    /** Adds a scheduler listener for the runtime's life. */
    public Builder schedulerListener(SchedulerListener value) {
      schedulerListeners.add(Objects.requireNonNull(value, "schedulerListener"));
      return this;
    }

    /** Adds a coordinator listener for the runtime's life. */
    public Builder coordinatorListener(CoordinatorListener value) {
      coordinatorListeners.add(Objects.requireNonNull(value, "coordinatorListener"));
      return this;
    }

    /** Adds a subscriber to every session's updates for the runtime's life. */
    public Builder sessionSubscriber(HubSubscriber value) {
      sessionSubscribers.add(Objects.requireNonNull(value, "sessionSubscriber"));
      return this;
    }

    /**
     * Adds an instrumentation, such as metrics into the application's own meter registry; it
     * replaces a discovered one of its name (see {@link RuntimeInstrumentation}).
     *
     * @throws IllegalArgumentException if one of its name was added already
     */
    public Builder instrumentation(RuntimeInstrumentation value) {
      Objects.requireNonNull(value, "instrumentation");
      String name = value.name();
      if (instrumentations.stream().anyMatch(i -> i.name().equals(name))) {
        throw new IllegalArgumentException(
            "two instrumentations were added under the name '" + name + "'; add one");
      }
      instrumentations.add(value);
      return this;
    }

    /** Where cycles run (default: the scheduler's own thread). */
    public Builder cycleExecutor(Executor value) {
      cycleExecutor = once(cycleExecutor, value, "cycleExecutor");
      return this;
    }

    /** Whether a JVM shutdown hook releases keep-awake (default on). */
    public Builder shutdownHook(boolean value) {
      shutdownHook = value;
      return this;
    }

    /**
     * The worker id tasks are claimed under (default: overnight-PID). With {@link #lockStateFolder}
     * it is recorded in the lock, so that the next holder can recover this worker's tasks at once
     * if this process dies. A daemon, the only process on its state folder, sets the folder's
     * stable id ({@link WorkerIdentity#stableId}), which also names it in the fleet ({@link
     * OvernightRuntime#identity()}); without one, the fleet knows the runtime by that stable id
     * while it claims under its own.
     */
    public Builder workerId(String value) {
      workerId = Optional.of(Objects.requireNonNull(value, "workerId"));
      return this;
    }

    /**
     * How long {@link OvernightRuntime#close()} waits for a running cycle to end (default: the
     * config's cancel grace period plus 30 s).
     */
    public Builder shutdownMaxWait(Duration value) {
      Objects.requireNonNull(value, "shutdownMaxWait");
      if (value.isNegative()) {
        throw new IllegalArgumentException("shutdownMaxWait must not be negative, was " + value);
      }
      shutdownMaxWait = value;
      return this;
    }

    /**
     * Builds the runtime. Whatever it opened before a failure is closed again.
     *
     * @throws IllegalStateException if settings contradict each other
     * @throws dev.overnight.api.config.ConfigException if the config names a constraint, decision
     *     engine, history source or notifier type no provider serves, or a notifier's secret is
     *     unset
     * @throws StateInUseException if {@link #lockStateFolder} is on and another process holds it
     * @throws dev.overnight.core.worktree.GitException if the workspace is not a git repository
     */
    public OvernightRuntime build() {
      if (store != null && (queue != null || stateStore != null)) {
        throw new IllegalStateException(
            "store(...) brings its own task queue and scheduler state store: do not also set"
                + " taskQueue(...) or schedulerStateStore(...)");
      }
      Deque<AutoCloseable> owned = new ArrayDeque<>();
      try {
        return new OvernightRuntime(this, owned);
      } catch (RuntimeException | Error e) {
        closeAll(owned);
        throw e;
      }
    }

    private static <T> T once(T current, T value, String name) {
      Objects.requireNonNull(value, name);
      if (current != null && current != value) {
        throw new IllegalStateException(name + "(...) was set twice; set it once");
      }
      return value;
    }
  }
}
