package dev.overnight.server;

import dev.overnight.api.Availability;
import dev.overnight.api.Subscription;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.Scheduler;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerMetrics;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.core.coordinator.Coordinator;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.CoordinatorMetrics;
import dev.overnight.core.event.Listeners;
import dev.overnight.core.hub.HubItem;
import dev.overnight.core.hub.SessionStream;
import dev.overnight.core.report.NightAlarm;
import dev.overnight.core.report.NightAlarms;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.server.internal.ReportFolder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DashboardBackend} that keeps what it is fed in memory: session updates, scheduler and
 * coordinator events, decisions. Feed it with {@link #onSessionEvent}, {@link #onSchedulerEvent}
 * and {@link #onCoordinatorEvent} (they fit as a coordinator's session sink and as listeners), or
 * attach a real {@link Scheduler}, {@link Coordinator} and {@link SessionStream} to its builder
 * (all three at once with {@link #forRuntime}): it then subscribes to them, reads their state and
 * counters, and sends the controls to the scheduler; {@link #close()} unsubscribes.
 *
 * <p>Without a scheduler it mirrors the scheduler's state from the events it receives, and the
 * controls act on that mirror (pause and resume publish the matching events), which is what tests
 * and the demo need. Every control request is recorded in {@link #controlLog()}.
 *
 * <p>Memory is bounded: at most {@code maxSessions} sessions with {@code sessionHistory} updates
 * each, the last {@code recentHistory} updates across sessions, and the last {@code maxDecisions}
 * decisions. Thread-safe; listeners are called in publication order on the publishing thread.
 *
 * @since 0.1.0
 */
public final class InMemoryDashboardBackend implements DashboardBackend, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryDashboardBackend.class);

  private final TaskQueue queue;
  private final WorkerRegistry workers;
  private final InstantSource clock;
  private final Optional<Scheduler> scheduler;
  private final Optional<Coordinator> coordinator;
  private final Optional<ReportFolder> reports;
  private final Optional<SchedulerStateStore> history;
  private final String historyId;
  private final ZoneId nightZone;
  private final int alarmAfterNights;
  private final Optional<String> ownTasks;
  private final int sessionHistory;
  private final int maxSessions;
  private final int recentHistory;
  private final int maxDecisions;
  private final BooleanSupplier runNowHook;
  private final Consumer<String> pauseHook;
  private final Runnable resumeHook;

  private final Object lock = new Object();
  private final Listeners<SessionEvent> sessionListeners = new Listeners<>("dashboard session");
  private final Listeners<SchedulerEvent> schedulerListeners =
      new Listeners<>("dashboard scheduler");
  private final Listeners<CoordinatorEvent> coordinatorListeners =
      new Listeners<>("dashboard coordinator");
  private final List<Subscription> feeds = new CopyOnWriteArrayList<>();
  private final Map<String, SessionData> sessions = new LinkedHashMap<>();
  private final ArrayDeque<SessionEvent> recent = new ArrayDeque<>();
  private final ArrayDeque<DecisionRecord> decisions = new ArrayDeque<>();
  private final List<String> controlLog = new ArrayList<>();
  private final Map<String, ConstraintResult> constraints = new LinkedHashMap<>();
  private final Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
  private Optional<Instant> constraintsCheckedAt = Optional.empty();
  private SchedulerState state = new SchedulerState.Idle();
  private SchedulerState beforePause = state;
  private long cycleCount;
  private Optional<Instant> lastRunTime = Optional.empty();
  private Duration totalCycleTime = Duration.ZERO;
  private Optional<CoordinatorMetrics> coordinatorMetrics = Optional.empty();
  private Map<String, Availability> agents = Map.of();

  private InMemoryDashboardBackend(Builder b) {
    this.queue = Objects.requireNonNull(b.queue, "taskQueue");
    this.workers = b.workers;
    this.clock = b.clock;
    this.scheduler = Optional.ofNullable(b.scheduler);
    this.coordinator = Optional.ofNullable(b.coordinator);
    this.reports = Optional.ofNullable(b.reportsDirectory).map(ReportFolder::new);
    this.history = Optional.ofNullable(b.history);
    this.historyId = b.historyId;
    this.nightZone = b.nightZone;
    this.alarmAfterNights = b.alarmAfterNights;
    this.ownTasks = b.ownTasks;
    this.sessionHistory = b.sessionHistory;
    this.maxSessions = b.maxSessions;
    this.recentHistory = b.recentHistory;
    this.maxDecisions = b.maxDecisions;
    this.runNowHook = b.runNowHook;
    this.pauseHook = b.pauseHook;
    this.resumeHook = b.resumeHook;
  }

  /** Starts a backend over a task queue. */
  public static Builder builder(TaskQueue queue) {
    return new Builder(queue);
  }

  /**
   * Starts a backend attached to a runtime: its queue, clock, scheduler, coordinator, session
   * stream, cycle history and reports folder.
   */
  public static Builder forRuntime(OvernightRuntime runtime) {
    return new Builder(runtime.taskQueue())
        .clock(runtime.timeSource())
        .scheduler(runtime.scheduler())
        .coordinator(runtime.coordinator())
        .sessions(runtime.sessions())
        .reportsDirectory(runtime.paths().reports())
        .history(runtime.schedulerStateStore(), runtime.schedulerId())
        .nights(
            runtime.config().schedule().zoneOrDefault(),
            runtime.config().schedule().alarmAfterNights())
        .ownTasks(runtime.ownTasks())
        .workers(runtime.workers());
  }

  /** Stops recording from the scheduler, coordinator and session stream it was attached to. */
  @Override
  public void close() {
    feeds.forEach(Subscription::close);
    feeds.clear();
  }

  // ---------------------------------------------------------------- feeding

  /** Records a session update and passes it to subscribers. */
  public void onSessionEvent(SessionEvent event) {
    Objects.requireNonNull(event, "event");
    synchronized (lock) {
      SessionData data =
          sessions.computeIfAbsent(
              event.sessionId(), id -> new SessionData(id, event.agentId(), event.at()));
      data.add(event, sessionHistory);
      if (data.taskId.isEmpty()) {
        data.taskId = event.taskId();
      }
      recent.addLast(event);
      while (recent.size() > recentHistory) {
        recent.removeFirst();
      }
      trimSessions();
      sessionListeners.publish(event);
    }
  }

  /** Records a scheduler event (state, constraints, counters) and passes it to subscribers. */
  public void onSchedulerEvent(SchedulerEvent event) {
    Objects.requireNonNull(event, "event");
    synchronized (lock) {
      if (event instanceof SchedulerEvent.StateChanged changed) {
        state = changed.to();
      } else if (event instanceof SchedulerEvent.ConstraintsChecked checked) {
        constraints.clear();
        constraints.putAll(new java.util.TreeMap<>(checked.results()));
        constraintsCheckedAt = Optional.of(checked.at());
      } else if (event instanceof SchedulerEvent.CycleStarted started) {
        cycleCount++;
        lastRunTime = Optional.of(started.at());
      } else if (event instanceof SchedulerEvent.CycleFinished finished) {
        totalCycleTime = totalCycleTime.plus(finished.duration());
      } else if (event instanceof SchedulerEvent.CycleSkipped skip) {
        skipped.merge(skip.reason(), 1L, Long::sum);
      }
      schedulerListeners.publish(event);
    }
  }

  /** Records a coordinator event (decisions, which session runs which task) for subscribers. */
  public void onCoordinatorEvent(CoordinatorEvent event) {
    Objects.requireNonNull(event, "event");
    synchronized (lock) {
      if (event instanceof CoordinatorEvent.Decided decided) {
        decisions.addFirst(
            new DecisionRecord(decided.at(), decided.decision(), decided.enqueued()));
        while (decisions.size() > maxDecisions) {
          decisions.removeLast();
        }
      } else if (event instanceof CoordinatorEvent.TaskStarted started) {
        SessionData data =
            sessions.computeIfAbsent(
                started.sessionId(), id -> new SessionData(id, started.agentId(), started.at()));
        data.taskId = Optional.of(started.task().id());
        data.title = data.title.or(() -> Optional.of(started.task().title()));
        data.active = true;
        trimSessions();
      } else if (event instanceof CoordinatorEvent.TaskEnded ended) {
        TaskId id = ended.task().id();
        sessions.values().stream()
            .filter(s -> s.taskId.equals(Optional.of(id)))
            .forEach(s -> s.active = false);
      }
      coordinatorListeners.publish(event);
    }
  }

  /** Marks a session as ended (the coordinator does it through its task-ended event). */
  public void endSession(String sessionId) {
    synchronized (lock) {
      SessionData data = sessions.get(sessionId);
      if (data != null) {
        data.active = false;
      }
    }
  }

  /** Sets the coordinator's counters shown in the status, when no coordinator is attached. */
  public void setCoordinatorMetrics(CoordinatorMetrics metrics) {
    synchronized (lock) {
      coordinatorMetrics = Optional.of(metrics);
    }
  }

  /** Sets the agents' availability shown in the status, when no coordinator is attached. */
  public void setAgentAvailability(Map<String, Availability> availability) {
    synchronized (lock) {
      agents = Map.copyOf(availability);
    }
  }

  /** Every control request received, oldest first, e.g. {@code run_now} or {@code cancel <id>}. */
  public List<String> controlLog() {
    synchronized (lock) {
      return List.copyOf(controlLog);
    }
  }

  // ---------------------------------------------------------------- reading

  @Override
  public DashboardStatus status() {
    SchedulerState current;
    Optional<Instant> nextWake;
    SchedulerMetrics metrics;
    Optional<CoordinatorMetrics> coordinatorNow;
    Map<String, Availability> agentsNow;
    Map<String, ConstraintResult> constraintsNow;
    Optional<Instant> checkedAt;
    if (scheduler.isPresent()) {
      current = scheduler.get().state();
      nextWake = scheduler.get().nextWake();
      metrics = scheduler.get().metrics();
    } else {
      synchronized (lock) {
        current = state;
        nextWake =
            current instanceof SchedulerState.Running running
                ? Optional.of(running.nextWake())
                : Optional.empty();
        metrics = localMetrics();
      }
    }
    if (coordinator.isPresent()) {
      coordinatorNow = Optional.of(coordinator.get().metrics());
      agentsNow = coordinator.get().agentAvailability();
    } else {
      synchronized (lock) {
        coordinatorNow = coordinatorMetrics;
        agentsNow = agents;
      }
    }
    synchronized (lock) {
      constraintsNow = new LinkedHashMap<>(constraints);
      checkedAt = constraintsCheckedAt;
    }
    return new DashboardStatus(
        current, nextWake, metrics, constraintsNow, checkedAt, coordinatorNow, agentsNow);
  }

  private SchedulerMetrics localMetrics() {
    Instant now = clock.instant();
    OptionalLong since =
        lastRunTime.isPresent()
            ? OptionalLong.of(Math.max(0, Duration.between(lastRunTime.get(), now).toSeconds()))
            : OptionalLong.empty();
    return new SchedulerMetrics(
        cycleCount, state.name(), lastRunTime, since, skipped, totalCycleTime);
  }

  @Override
  public TaskQueue taskQueue() {
    return queue;
  }

  @Override
  public WorkerRegistry workers() {
    return workers;
  }

  @Override
  public List<SessionSummary> sessions() {
    synchronized (lock) {
      return sessions.values().stream()
          .map(SessionData::summary)
          .sorted(Comparator.comparing(SessionSummary::lastUpdateAt).reversed())
          .toList();
    }
  }

  @Override
  public List<SessionEvent> sessionEvents(String sessionId) {
    synchronized (lock) {
      SessionData data = sessions.get(sessionId);
      return data == null ? List.of() : List.copyOf(data.events);
    }
  }

  @Override
  public List<SessionEvent> recentSessionEvents(int max) {
    synchronized (lock) {
      List<SessionEvent> all = new ArrayList<>(recent);
      return List.copyOf(all.subList(Math.max(0, all.size() - max), all.size()));
    }
  }

  @Override
  public Subscription subscribeSessions(Consumer<SessionEvent> listener) {
    return sessionListeners.subscribe(listener);
  }

  @Override
  public Subscription subscribeScheduler(Consumer<SchedulerEvent> listener) {
    return schedulerListeners.subscribe(listener);
  }

  @Override
  public Subscription subscribeCoordinator(Consumer<CoordinatorEvent> listener) {
    return coordinatorListeners.subscribe(listener);
  }

  @Override
  public List<DecisionRecord> decisions() {
    synchronized (lock) {
      return List.copyOf(decisions);
    }
  }

  @Override
  public List<ReportFile> reports() {
    return reports.map(ReportFolder::list).orElse(List.of());
  }

  @Override
  public List<CycleRecord> cycles(int max) {
    return history.map(h -> h.recentCycles(historyId, max)).orElse(List.of());
  }

  @Override
  public List<NightAlarm> alarms() {
    return history
        .map(h -> NightAlarms.read(queue, h, historyId, ownTasks, nightZone, alarmAfterNights))
        .orElse(List.of());
  }

  @Override
  public List<QuotaWindow> quotaWindows() {
    Instant now = clock.instant();
    return history
        .map(h -> h.quotaWindows().stream().filter(w -> w.openAt(now)).toList())
        .orElse(List.of());
  }

  @Override
  public Optional<String> readReport(String name) {
    return reports.flatMap(r -> r.read(name));
  }

  // ---------------------------------------------------------------- controls

  @Override
  public boolean runNow() {
    log("run_now");
    if (runNowHook != null) {
      return runNowHook.getAsBoolean();
    }
    return scheduler.map(Scheduler::runNow).orElse(true);
  }

  @Override
  public void pause(String reason) {
    log("pause " + reason);
    if (pauseHook != null) {
      pauseHook.accept(reason);
    } else if (scheduler.isPresent()) {
      scheduler.get().pause(reason);
    } else {
      Instant now = clock.instant();
      synchronized (lock) {
        if (state instanceof SchedulerState.Paused || state instanceof SchedulerState.Stopped) {
          return;
        }
        beforePause = state;
        SchedulerState paused = new SchedulerState.Paused(reason, now);
        onSchedulerEvent(new SchedulerEvent.StateChanged(now, state, paused));
        onSchedulerEvent(new SchedulerEvent.Paused(now, reason, now));
      }
    }
  }

  @Override
  public void resume() {
    log("resume");
    if (resumeHook != null) {
      resumeHook.run();
    } else if (scheduler.isPresent()) {
      scheduler.get().resume();
    } else {
      Instant now = clock.instant();
      synchronized (lock) {
        if (!(state instanceof SchedulerState.Paused)) {
          return;
        }
        onSchedulerEvent(new SchedulerEvent.StateChanged(now, state, beforePause));
        onSchedulerEvent(new SchedulerEvent.Resumed(now));
      }
    }
  }

  @Override
  public Task cancelTask(TaskId id, String reason) {
    log("cancel " + id);
    return queue.cancel(id, "dashboard", reason);
  }

  @Override
  public Task retryTask(TaskId id, String reason) {
    log("retry " + id);
    return queue.retry(id, "dashboard", reason);
  }

  // ---------------------------------------------------------------- internals

  private void log(String action) {
    synchronized (lock) {
      controlLog.add(action);
    }
    LOG.info("Dashboard control: {}", action);
  }

  private void trimSessions() {
    if (sessions.size() <= maxSessions) {
      return;
    }
    // Drop the least recently updated sessions that are no longer running first.
    List<SessionData> byAge =
        sessions.values().stream()
            .sorted(
                Comparator.comparing((SessionData s) -> s.active)
                    .thenComparing(s -> s.lastUpdateAt))
            .toList();
    Iterator<SessionData> oldest = byAge.iterator();
    while (sessions.size() > maxSessions && oldest.hasNext()) {
      sessions.remove(oldest.next().sessionId);
    }
  }

  /** What is kept of one session. Guarded by {@code lock}. */
  private static final class SessionData {
    final String sessionId;
    final String agentId;
    final Instant startedAt;
    final ArrayDeque<SessionEvent> events = new ArrayDeque<>();
    Optional<TaskId> taskId = Optional.empty();
    Optional<String> title = Optional.empty();
    Instant lastUpdateAt;
    long updates;
    boolean active = true;

    SessionData(String sessionId, String agentId, Instant startedAt) {
      this.sessionId = sessionId;
      this.agentId = agentId;
      this.startedAt = startedAt;
      this.lastUpdateAt = startedAt;
    }

    void add(SessionEvent event, int max) {
      events.addLast(event);
      while (events.size() > max) {
        events.removeFirst();
      }
      updates++;
      if (event.at().isAfter(lastUpdateAt)) {
        lastUpdateAt = event.at();
      }
      if (event.update() instanceof SessionUpdate.SessionInfo info && info.title().isPresent()) {
        title = info.title();
      }
    }

    SessionSummary summary() {
      return new SessionSummary(
          sessionId, agentId, taskId, title, startedAt, lastUpdateAt, updates, active);
    }
  }

  /** Builds an {@link InMemoryDashboardBackend}. Not thread-safe. */
  public static final class Builder {
    private final TaskQueue queue;
    private InstantSource clock = InstantSource.system();
    private Scheduler scheduler;
    private Coordinator coordinator;
    private SessionStream sessionStream;
    private Path reportsDirectory;
    private SchedulerStateStore history;
    private String historyId;
    private ZoneId nightZone = ZoneId.systemDefault();
    private int alarmAfterNights = Schedule.DEFAULT_ALARM_AFTER_NIGHTS;
    private Optional<String> ownTasks = Optional.empty();
    private int sessionHistory = 1000;
    private int maxSessions = 50;
    private int recentHistory = 1000;
    private int maxDecisions = 100;
    private BooleanSupplier runNowHook;
    private Consumer<String> pauseHook;
    private Runnable resumeHook;

    private WorkerRegistry workers = WorkerRegistry.none();

    private Builder(TaskQueue queue) {
      this.queue = Objects.requireNonNull(queue, "queue");
    }

    /** The machines sharing the queue's store, for the fleet view (default: none). */
    public Builder workers(WorkerRegistry value) {
      workers = Objects.requireNonNull(value, "workers");
      return this;
    }

    /** The clock for pauses and "seconds since the last run" (default: the system clock). */
    public Builder clock(InstantSource value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * A real scheduler: its state, next wake and counters are shown, its events recorded, and the
     * controls (run now, pause, resume) go to it.
     */
    public Builder scheduler(Scheduler value) {
      scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /** A real coordinator: its events are recorded, its counters and agents shown. */
    public Builder coordinator(Coordinator value) {
      coordinator = Objects.requireNonNull(value, "coordinator");
      return this;
    }

    /** The live session stream the backend records updates from (default: fed by hand). */
    public Builder sessions(SessionStream value) {
      sessionStream = Objects.requireNonNull(value, "sessions");
      return this;
    }

    /** The folder the morning reports are written to (default: none). */
    public Builder reportsDirectory(Path value) {
      reportsDirectory = Objects.requireNonNull(value, "reportsDirectory");
      return this;
    }

    /**
     * Where the schedule's cycles are recorded, and the scheduler's id there: the dashboard lists
     * them from it, so a page opened in the morning shows the night (default: none).
     */
    public Builder history(SchedulerStateStore store, String schedulerId) {
      history = Objects.requireNonNull(store, "store");
      historyId = Objects.requireNonNull(schedulerId, "schedulerId");
      return this;
    }

    /**
     * How the night alarms read the history: the schedule's zone and its {@code alarm_after_nights}
     * (default: the system zone and {@value Schedule#DEFAULT_ALARM_AFTER_NIGHTS}).
     */
    public Builder nights(ZoneId zone, int alarmAfterNights) {
      if (alarmAfterNights < 1) {
        throw new IllegalArgumentException("alarmAfterNights must be >= 1");
      }
      this.nightZone = Objects.requireNonNull(zone, "zone");
      this.alarmAfterNights = alarmAfterNights;
      return this;
    }

    /**
     * Whose tasks the night alarms are judged by: on a queue machines share, this machine's worker
     * id, so that another machine's work does not raise or silence its alarms (default: empty,
     * every task of the queue).
     */
    public Builder ownTasks(Optional<String> workerId) {
      ownTasks = Objects.requireNonNull(workerId, "workerId");
      return this;
    }

    /** Updates kept per session (default 1000). */
    public Builder sessionHistory(int value) {
      sessionHistory = positive(value, "sessionHistory");
      return this;
    }

    /** Sessions kept (default 50); the oldest finished ones go first. */
    public Builder maxSessions(int value) {
      maxSessions = positive(value, "maxSessions");
      return this;
    }

    /** Updates kept across sessions for late joiners (default 1000). */
    public Builder recentHistory(int value) {
      recentHistory = positive(value, "recentHistory");
      return this;
    }

    /** Decisions kept (default 100). */
    public Builder maxDecisions(int value) {
      maxDecisions = positive(value, "maxDecisions");
      return this;
    }

    /** What "run now" does, instead of the scheduler's {@code runNow()}. */
    public Builder onRunNow(BooleanSupplier value) {
      runNowHook = Objects.requireNonNull(value, "onRunNow");
      return this;
    }

    /** What "pause" does, instead of the scheduler's (or the mirror's) pause. */
    public Builder onPause(Consumer<String> value) {
      pauseHook = Objects.requireNonNull(value, "onPause");
      return this;
    }

    /** What "resume" does, instead of the scheduler's (or the mirror's) resume. */
    public Builder onResume(Runnable value) {
      resumeHook = Objects.requireNonNull(value, "onResume");
      return this;
    }

    /**
     * Builds the backend and subscribes it to the scheduler, coordinator and session stream, if
     * given; {@link InMemoryDashboardBackend#close()} unsubscribes.
     */
    public InMemoryDashboardBackend build() {
      InMemoryDashboardBackend backend = new InMemoryDashboardBackend(this);
      if (scheduler != null) {
        backend.feeds.add(scheduler.subscribe(backend::onSchedulerEvent));
      }
      if (coordinator != null) {
        backend.feeds.add(coordinator.subscribe(backend::onCoordinatorEvent));
      }
      if (sessionStream != null) {
        backend.feeds.add(
            sessionStream.subscribe(
                item -> {
                  if (item instanceof HubItem.Event e) {
                    backend.onSessionEvent(e.event());
                  } else if (item instanceof HubItem.Ended ended) {
                    backend.endSession(ended.session().sessionId());
                  }
                }));
      }
      return backend;
    }

    private static int positive(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, was " + value);
      }
      return value;
    }
  }
}
