package dev.overnight.server;

import dev.overnight.api.Subscription;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.TranscriptReader;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerMetrics;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.api.store.Store;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.report.NightAlarm;
import dev.overnight.core.report.NightAlarms;
import dev.overnight.core.runtime.StateLock;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.server.internal.ReportFolder;
import dev.overnight.server.internal.TranscriptArchive;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link DashboardBackend} over a state folder and its store, for a dashboard served without a
 * daemon ({@code overnight serve}): the queue, the schedule's snapshot and cycle history, the
 * sessions recorded in the transcripts, and the reports — everything the nights left behind.
 *
 * <p>Nothing runs here, so it says so: {@link #daemon()} tells whether a daemon runs on the folder
 * (and where its own dashboard is), the scheduler shows as stopped when none does, and {@link
 * #runNow}, {@link #pause} and {@link #resume} throw {@link IllegalStateException} with that note
 * (the server answers 409 before calling them). Tasks can still be cancelled and retried: the queue
 * is shared with any daemon through the store.
 *
 * <p>Thread-safe; reads block on the store and the transcript files. Nothing is streamed live: the
 * subscriptions deliver only the queue's own changes made through this backend. The store stays the
 * caller's to close.
 *
 * @since 0.1.0
 */
public final class StateFolderBackend implements DashboardBackend {
  /** How many cycles the status's counters are taken from. */
  private static final int HISTORY = 1000;

  /** How many tasks are searched for the one a session worked on. */
  private static final int TASKS_SEARCHED = 2000;

  private final Store store;
  private final StatePaths paths;
  private final String configId;
  private final ZoneId nightZone;
  private final int alarmAfterNights;
  private final Optional<String> ownTasks;
  private final InstantSource clock;
  private final Optional<TranscriptArchive> transcripts;
  private final Supplier<Optional<String>> daemonDashboard;
  private final ReportFolder reports;

  private StateFolderBackend(Builder b) {
    this.store = b.store;
    this.paths = b.paths;
    this.configId = b.configId;
    this.nightZone = b.nightZone;
    this.alarmAfterNights = b.alarmAfterNights;
    this.ownTasks = b.ownTasks;
    this.clock = b.clock;
    this.transcripts =
        Optional.ofNullable(b.transcriptReader)
            .map(r -> new TranscriptArchive(b.paths.transcripts(), r, b.maxSessions));
    this.daemonDashboard = b.daemonDashboard;
    this.reports = new ReportFolder(b.paths.reports());
  }

  /** Starts a backend over the state folder {@code paths} and its opened {@code store}. */
  public static Builder builder(Store store, StatePaths paths) {
    return new Builder(store, paths);
  }

  // ---------------------------------------------------------------- the daemon

  @Override
  public DaemonPresence daemon() {
    if (!StateLock.isHeld(paths)) {
      return DaemonPresence.absent(
          "No daemon is running on this state folder: this page shows what the nights left in it"
              + " (queue, cycles, sessions, reports), and nothing runs or pauses from here."
              + " Start one with: overnight run --config FILE");
    }
    String pid =
        StateLock.holderOf(paths).stream().mapToObj(p -> " (pid " + p + ")").findFirst().orElse("");
    return DaemonPresence.elsewhere(
        "A daemon runs on this state folder"
            + pid
            + daemonDashboard.get().map(d -> "; its own dashboard, at " + d + ",").orElse(";")
            + " streams the night live and takes run now, pause and resume. This page shows what"
            + " is stored.");
  }

  @Override
  public DashboardStatus status() {
    boolean running = StateLock.isHeld(paths);
    Optional<SchedulerSnapshot> snapshot = store.schedulerStateStore().load(configId);
    Optional<Instant> nextWake =
        running ? snapshot.flatMap(SchedulerSnapshot::nextPlannedWake) : Optional.empty();
    SchedulerState state =
        !running
            ? new SchedulerState.Stopped()
            : nextWake
                .<SchedulerState>map(SchedulerState.Running::new)
                .orElseGet(SchedulerState.Idle::new);
    List<CycleRecord> history = store.schedulerStateStore().recentCycles(configId, HISTORY);
    Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    Duration inCycles = Duration.ZERO;
    for (CycleRecord c : history) {
      c.skipReason().ifPresent(r -> skipped.merge(r, 1L, Long::sum));
      if (c.startedAt().isPresent() && c.finishedAt().isPresent()) {
        inCycles = inCycles.plus(Duration.between(c.startedAt().get(), c.finishedAt().get()));
      }
    }
    Optional<Instant> lastRun =
        snapshot
            .flatMap(SchedulerSnapshot::lastRunAt)
            .or(() -> history.stream().flatMap(c -> c.startedAt().stream()).findFirst());
    long cycleCount =
        snapshot
            .map(SchedulerSnapshot::cycleCount)
            .orElseGet(() -> history.stream().filter(c -> c.startedAt().isPresent()).count());
    Instant now = clock.instant();
    OptionalLong since =
        lastRun
            .map(t -> OptionalLong.of(Math.max(0, Duration.between(t, now).toSeconds())))
            .orElse(OptionalLong.empty());
    return new DashboardStatus(
        state,
        nextWake,
        new SchedulerMetrics(cycleCount, state.name(), lastRun, since, skipped, inCycles),
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        Map.of());
  }

  @Override
  public List<CycleRecord> cycles(int max) {
    return store.schedulerStateStore().recentCycles(configId, max);
  }

  @Override
  public List<NightAlarm> alarms() {
    return NightAlarms.read(
        store.taskQueue(),
        store.schedulerStateStore(),
        configId,
        ownTasks,
        nightZone,
        alarmAfterNights);
  }

  @Override
  public List<QuotaWindow> quotaWindows() {
    Instant now = clock.instant();
    return store.schedulerStateStore().quotaWindows().stream().filter(w -> w.openAt(now)).toList();
  }

  // ---------------------------------------------------------------- the queue and sessions

  @Override
  public TaskQueue taskQueue() {
    return store.taskQueue();
  }

  @Override
  public WorkerRegistry workers() {
    return store.workers();
  }

  @Override
  public List<SessionSummary> sessions() {
    if (transcripts.isEmpty()) {
      return List.of();
    }
    Map<String, Task> tasks = tasksBySession();
    return transcripts.get().sessions().stream().map(events -> summary(events, tasks)).toList();
  }

  @Override
  public List<SessionEvent> sessionEvents(String sessionId) {
    if (transcripts.isEmpty()) {
      return List.of();
    }
    Optional<TaskId> task = Optional.ofNullable(tasksBySession().get(sessionId)).map(Task::id);
    return transcripts.get().sessions().stream()
        .filter(events -> events.get(0).sessionId().equals(sessionId))
        .findFirst()
        .map(events -> events.stream().map(e -> withTask(e, task)).toList())
        .orElse(List.of());
  }

  /** Nothing streams without a daemon: a page reads the sessions through {@link #sessions()}. */
  @Override
  public List<SessionEvent> recentSessionEvents(int max) {
    return List.of();
  }

  private static SessionSummary summary(List<SessionEvent> events, Map<String, Task> tasks) {
    SessionEvent first = events.get(0);
    Optional<Task> task = Optional.ofNullable(tasks.get(first.sessionId()));
    Optional<String> title =
        events.stream()
            .map(SessionEvent::update)
            .filter(SessionUpdate.SessionInfo.class::isInstance)
            .map(u -> ((SessionUpdate.SessionInfo) u).title())
            .flatMap(Optional::stream)
            .reduce((earlier, later) -> later)
            .or(() -> task.map(Task::title));
    return new SessionSummary(
        first.sessionId(),
        first.agentId(),
        task.map(Task::id),
        title,
        first.at(),
        events.get(events.size() - 1).at(),
        events.size(),
        false);
  }

  private static SessionEvent withTask(SessionEvent e, Optional<TaskId> task) {
    return e.taskId().isPresent() || task.isEmpty()
        ? e
        : new SessionEvent(e.sessionId(), e.agentId(), task, e.sequence(), e.at(), e.update());
  }

  /** The tasks whose last attempt ran in a known session, by session id. */
  private Map<String, Task> tasksBySession() {
    Map<String, Task> bySession = new HashMap<>();
    int offset = 0;
    while (offset < TASKS_SEARCHED) {
      Page<Task> page = store.taskQueue().list(TaskFilter.all().page(offset, TaskFilter.MAX_LIMIT));
      page.items()
          .forEach(t -> TaskFacts.SESSION_ID.from(t).ifPresent(s -> bySession.putIfAbsent(s, t)));
      if (!page.hasMore() || page.items().isEmpty()) {
        break;
      }
      offset += page.items().size();
    }
    return bySession;
  }

  // ---------------------------------------------------------------- what does not stream

  @Override
  public Subscription subscribeSessions(Consumer<SessionEvent> listener) {
    return () -> {};
  }

  @Override
  public Subscription subscribeScheduler(Consumer<SchedulerEvent> listener) {
    return () -> {};
  }

  @Override
  public Subscription subscribeCoordinator(Consumer<CoordinatorEvent> listener) {
    return () -> {};
  }

  /** Decisions live in a daemon's memory; the tasks they became carry their rationale. */
  @Override
  public List<DecisionRecord> decisions() {
    return List.of();
  }

  @Override
  public List<ReportFile> reports() {
    return reports.list();
  }

  @Override
  public Optional<String> readReport(String name) {
    return reports.read(name);
  }

  // ---------------------------------------------------------------- controls

  /**
   * Refused: nothing runs here.
   *
   * @throws IllegalStateException always, with {@link #daemon()}'s note
   */
  @Override
  public boolean runNow() {
    throw refused();
  }

  /**
   * Refused: nothing runs here.
   *
   * @throws IllegalStateException always, with {@link #daemon()}'s note
   */
  @Override
  public void pause(String reason) {
    throw refused();
  }

  /**
   * Refused: nothing runs here.
   *
   * @throws IllegalStateException always, with {@link #daemon()}'s note
   */
  @Override
  public void resume() {
    throw refused();
  }

  private IllegalStateException refused() {
    return new IllegalStateException(daemon().note().orElseThrow());
  }

  /** Builds a {@link StateFolderBackend}. Not thread-safe. */
  public static final class Builder {
    private final Store store;
    private final StatePaths paths;
    private String configId;
    private InstantSource clock = InstantSource.system();
    private TranscriptReader transcriptReader;
    private Supplier<Optional<String>> daemonDashboard = Optional::empty;
    private int maxSessions = 50;
    private ZoneId nightZone = ZoneId.systemDefault();
    private int alarmAfterNights = Schedule.DEFAULT_ALARM_AFTER_NIGHTS;
    private Optional<String> ownTasks = Optional.empty();

    private Builder(Store store, StatePaths paths) {
      this.store = Objects.requireNonNull(store, "store");
      this.paths = Objects.requireNonNull(paths, "paths");
      this.configId = paths.root().getFileName().toString();
    }

    /**
     * The configuration (and scheduler) id whose snapshot and cycles are shown (default: the state
     * folder's name, which is the id when the config leaves {@code state_dir} out).
     */
    public Builder configId(String value) {
      configId = Objects.requireNonNull(value, "configId");
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
     * Whose tasks the night alarms are judged by: on a store machines share, the worker id of the
     * folder's daemon, so that another machine's work does not raise or silence this one's alarms
     * (default: empty, every task of the store).
     */
    public Builder ownTasks(Optional<String> workerId) {
      ownTasks = Objects.requireNonNull(workerId, "workerId");
      return this;
    }

    /**
     * Reads the session transcripts, e.g. the runtime's discovered one (default: none, so no
     * session is shown).
     */
    public Builder transcriptReader(TranscriptReader value) {
      transcriptReader = Objects.requireNonNull(value, "transcriptReader");
      return this;
    }

    /** The clock for "seconds since the last run" (default: the system clock). */
    public Builder clock(InstantSource value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Where a daemon running on the folder serves its own dashboard, asked each time the page needs
     * it (default: unknown).
     */
    public Builder daemonDashboard(Supplier<Optional<String>> value) {
      daemonDashboard = Objects.requireNonNull(value, "daemonDashboard");
      return this;
    }

    /** How many of the most recent transcripts are shown (default 50). */
    public Builder maxSessions(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxSessions must be at least 1, was " + value);
      }
      maxSessions = value;
      return this;
    }

    /** Builds the backend; reads nothing yet. */
    public StateFolderBackend build() {
      return new StateFolderBackend(this);
    }
  }
}
