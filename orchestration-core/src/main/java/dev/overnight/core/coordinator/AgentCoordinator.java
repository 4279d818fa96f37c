package dev.overnight.core.coordinator;

import dev.overnight.api.Availability;
import dev.overnight.api.Subscription;
import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.QuotaReading;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.decision.CandidateSource;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionUsage;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.queue.ClaimFilter;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.schedule.CycleContext;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.CycleRunner;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.core.conflict.BaseSync;
import dev.overnight.core.conflict.SyncResult;
import dev.overnight.core.decision.HeuristicDecisionEngine;
import dev.overnight.core.event.Listeners;
import dev.overnight.core.hub.SessionUpdateHub;
import dev.overnight.core.pipeline.Pipelines;
import dev.overnight.core.process.ProcessLedger;
import dev.overnight.core.report.ReportWriter;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import dev.overnight.core.secrets.Redactor;
import dev.overnight.core.worktree.Worktree;
import dev.overnight.core.worktree.WorktreeManager;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one cycle of overnight work; the {@link CycleRunner} the scheduler triggers.
 *
 * <p>A cycle: recover tasks whose worker died; claim pending tasks (priority, then tasks that have
 * run before, then oldest; only those whose required labels this worker carries, when it has
 * {@linkplain Builder#workerLabels labels}) and, when the queue is empty, ask the decision engine
 * for work, enqueue it and run it in the same cycle; when there is still nothing to run and no task
 * is running, wait for work with {@link TaskQueue#awaitWork} until the cycle's budget is nearly
 * spent or its window closes, so an enqueue on another machine sharing the store starts here
 * without polling (a queue that cannot tell ends the cycle instead); run up to {@code
 * max_concurrent} tasks at once, each in its own worktree with an agent chosen by preference and
 * availability, all inside the cycle's budget; complete, retry or fail each one; stop starting
 * tasks when a night's spending limit is reached; write the morning report.
 *
 * <p>What it stores and reports about a task (the reason an attempt failed, the facts it records,
 * the pull request's description) is passed through its {@link Redactor} first, so a secret an
 * agent or a tool printed reaches neither the queue's database nor the report.
 *
 * <p>Thread-safe; {@link #runCycle} blocks until every task it started has ended (by the cycle's
 * deadline plus the cancel grace period at most). Tasks run on the coordinator's own threads;
 * {@link #close()} stops them.
 *
 * @since 0.1.0
 */
public final class AgentCoordinator implements Coordinator, CycleRunner, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentCoordinator.class);

  /** How long a claim holds a task without a heartbeat. */
  static final Duration LEASE = Duration.ofMinutes(5);

  /** How often a running task renews its lease. */
  static final Duration HEARTBEAT = Duration.ofMinutes(1);

  private final OrchestrationConfig config;
  private final TaskQueue queue;
  private final AgentRoster roster;
  private final QuotaLedger quota;
  private final Decisions decisions;
  private final TimeSource time;
  private final WorktreeManager worktrees;
  private final PullRequestPublisher publisher;
  private final QualityGateRunner gates;
  private final OverlapHold overlaps;
  private final Consumer<SessionEvent> sessionSink;
  private final Optional<SessionUpdateHub> hub;
  private final Listeners<CoordinatorEvent> listeners = new Listeners<>("coordinator");
  private final AttemptObservers observers = new AttemptObservers();
  private final Path stateDir;
  private final ProcessLedger agentProcesses;
  private final String workerId;
  private final Optional<Supplier<Set<String>>> workerLabels;
  private final Optional<ReportHook> reportHook;
  private final Redactor redactor;
  private final Optional<Pipelines> pipelines;
  private final FollowUpWork followUps;
  private final List<TaskFeed> feeds;
  private final ExecutorService workers;
  private final List<TaskRun> active = new CopyOnWriteArrayList<>();

  private final CoordinatorCounters counters = new CoordinatorCounters();
  private final NightSpending night = new NightSpending();
  private final AgentParking parking;

  private AgentCoordinator(Builder b) {
    this.config = b.config;
    this.queue = Objects.requireNonNull(b.queue, "taskQueue");
    this.quota =
        new QuotaLedger(
            b.quotaStore != null ? b.quotaStore : new TransientSchedulerStateStore(),
            config.limits().leaveForMorning());
    this.roster = new AgentRoster(b.agents, config.agentPreferences(), quota::holdsBack);
    this.time = Objects.requireNonNull(b.time, "timeSource");
    this.stateDir = Objects.requireNonNull(b.stateDir, "stateDir");
    this.agentProcesses =
        b.agentProcesses != null
            ? b.agentProcesses
            : new ProcessLedger(stateDir.resolve("processes"));
    this.decisions =
        new Decisions(
            config,
            queue,
            time,
            b.engine != null ? b.engine : new HeuristicDecisionEngine(),
            Optional.ofNullable(b.contexts),
            b.historySources,
            b.candidateSources,
            b.decidedTaskLabels,
            counters,
            this::countPlanning);
    this.worktrees = new WorktreeManager(config, stateDir.resolve("worktrees"));
    this.publisher =
        b.publisher != null ? b.publisher : PullRequestPublisher.gh(config.prAutomation());
    this.gates = new QualityGateRunner(config.qualityGate());
    this.overlaps =
        new OverlapHold(
            new OverlapGuard(config),
            queue,
            b.workerId,
            () -> active.stream().map(TaskRun::task).toList(),
            worktrees::branchFor,
            this::annotate);
    this.hub = Optional.ofNullable(b.hub);
    this.sessionSink = b.hub == null ? b.sessionSink : b.sessionSink.andThen(b.hub::publish);
    b.listeners.forEach(this::subscribe);
    this.workerId = b.workerId;
    this.workerLabels = Optional.ofNullable(b.workerLabels);
    this.reportHook = Optional.ofNullable(b.reportHook);
    this.redactor = b.redactor != null ? b.redactor : Redactor.forConfig(config, System.getenv());
    this.parking = new AgentParking(config, roster, quota, redactor, time, this::emit);
    this.pipelines = Optional.ofNullable(b.pipelines);
    this.followUps =
        new FollowUpWork(
            Optional.ofNullable(b.followUps),
            Optional.ofNullable(b.syncBeforeOpening),
            queue,
            time);
    this.feeds = List.copyOf(b.feeds);
    this.workers =
        Executors.newFixedThreadPool(
            config.maxConcurrent(),
            r -> {
              Thread t = new Thread(r, "overnight-task");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts a coordinator for a configuration. */
  public static Builder builder(OrchestrationConfig config) {
    return new Builder(config);
  }

  @Override
  public Subscription subscribe(CoordinatorListener listener) {
    Objects.requireNonNull(listener, "listener");
    return listeners.subscribe(listener::onEvent);
  }

  @Override
  public Subscription observe(AttemptObserver observer) {
    return observers.subscribe(observer);
  }

  @Override
  public String workerId() {
    return workerId;
  }

  @Override
  public Map<String, Availability> agentAvailability() {
    return roster.availability(now());
  }

  @Override
  public void runCycle(CycleContext cycle) {
    runCycle(cycle, false, TaskRun.Interruption.BUDGET);
  }

  /**
   * Runs a cycle outside the schedule's window, when follow-ups run in the day ({@code
   * pr_automation.follow_ups.in_day}): watches the pull requests as a cycle does (queuing
   * follow-ups and syncing branches, on the day's own follow-up budget) and runs only follow-up
   * tasks, claimed with {@link ClaimFilter#carrying} {@link TaskFacts#FOLLOW_UP_OF}. Nothing else
   * runs: no other task is claimed, the decision engine is not asked, the task feeds are not read,
   * and it does not wait for work. What its turns spend counts in the current night's spending
   * limits (a spent limit starts nothing) without starting a new night; the report is written only
   * when a task ran, and it is told as no cycle of the night, so the night's one message stays one.
   *
   * <p>Blocks as {@link #runCycle} does. The caller decides when (outside the window, constraints
   * met) and keeps it apart from the night's cycles.
   */
  public void runDayCycle(CycleContext cycle) {
    runDayCycle(cycle, false);
  }

  /**
   * {@link #runDayCycle(CycleContext)}, telling whether the cycle's deadline is the opening of the
   * schedule's window: then a task still running at the deadline goes back to the queue without
   * using its attempt (it runs in the night), where a deadline that is the time budget's end uses
   * it as in any cycle.
   */
  public void runDayCycle(CycleContext cycle, boolean endsAtWindow) {
    runCycle(
        cycle,
        true,
        endsAtWindow ? TaskRun.Interruption.WINDOW_OPENED : TaskRun.Interruption.BUDGET);
  }

  private void runCycle(CycleContext cycle, boolean day, TaskRun.Interruption atDeadline) {
    counters.cycleRan();
    if (!day) {
      night.startCycle(now());
      emit(new CoordinatorEvent.CycleBegan(now(), cycle.cycleId(), cycle.deadline()));
    }
    cycle.onCancel(() -> active.forEach(r -> r.interrupt(TaskRun.Interruption.STOPPED)));
    CycleLoop loop = new CycleLoop(this, cycle, day, atDeadline);
    List<Task> recovered = queue.recoverExpiredLeases();
    if (!recovered.isEmpty()) {
      LOG.info("Recovered {} task(s) whose worker stopped heartbeating", recovered.size());
    }
    watchPullRequests();
    if (!day) {
      refreshFeeds();
    }
    loop.run();
  }

  @Override
  public CoordinatorMetrics metrics() {
    return counters.metrics();
  }

  /** Stops the worker threads; running tasks are interrupted as the scheduler stopping. */
  @Override
  public void close() {
    active.forEach(r -> r.interrupt(TaskRun.Interruption.STOPPED));
    workers.shutdown();
  }

  /** A task ended: it counts in the metrics, its agent's quota and the night's limits. */
  void account(TaskRun.Result r) {
    counters.ended(r.outcome());
    TaskFacts.AGENT
        .from(r.task())
        .ifPresent(agent -> quota.used(agent, r.usage().totalTokens(), now()));
    spent(r.usage(), r.agentTime());
    emit(new CoordinatorEvent.TaskEnded(now(), r.task(), r.outcome(), r.reason(), r.prUrl()));
    LOG.info(
        "Task {} {}{}",
        r.task().id().shortId(),
        r.outcome(),
        r.reason().isEmpty() ? "" : ": " + r.reason());
  }

  /**
   * Queues follow-ups for what the checks and reviewers of Overnight's open pull requests ask; a
   * forge that cannot be asked never stops the cycle.
   */
  private void watchPullRequests() {
    followUps.watch(
        (task, state) ->
            emit(
                new CoordinatorEvent.PullRequestChanged(
                    now(), task, state.key(), TaskFacts.PR_URL.from(task).orElse(""))),
        syncSpending());
  }

  /**
   * The night's spending for the syncs of the pull request watch: a sync's agent turns count in the
   * night's limits, the metrics and the agent's quota as a task's turn does, and no sync starts
   * once the night's limit is reached.
   */
  private PullRequestFollowUps.Spending syncSpending() {
    return new PullRequestFollowUps.Spending() {
      @Override
      public Optional<String> limitReached() {
        return night.limitReached(config.limits().perNight());
      }

      @Override
      public void spent(Task task, Usage usage, Duration agentTime) {
        TaskFacts.AGENT
            .from(task)
            .or(task::agentId)
            .ifPresent(agent -> quota.used(agent, usage.totalTokens(), now()));
        countPlanning(new DecisionUsage(usage, agentTime));
      }
    };
  }

  /** Lets each task feed add and withdraw work; a withdrawn task ends as cancelled. */
  private void refreshFeeds() {
    for (TaskFeed feed : feeds) {
      try {
        for (TaskFeed.Withdrawn w : feed.refresh()) {
          counters.ended(AttemptOutcome.CANCELLED);
          emit(
              new CoordinatorEvent.TaskEnded(
                  now(), w.task(), AttemptOutcome.CANCELLED, w.reason(), Optional.empty()));
        }
      } catch (RuntimeException e) {
        LOG.warn("Task feed {} failed; the cycle goes on without it: {}", feed, e.toString());
      }
    }
  }

  /** Asks the engine for work and enqueues it; false when there is nothing new to do. */
  boolean decide() {
    Instant now = now();
    Optional<Decisions.Made> made = decisions.decide(roster.availability(now), now);
    if (made.isEmpty()) {
      emit(new CoordinatorEvent.NothingToDo(now, "the decision engine found nothing new to do"));
      return false;
    }
    emit(new CoordinatorEvent.Decided(now, made.get().decision(), made.get().created()));
    return made.get().created();
  }

  /**
   * A planning run's (or a sync's) use counts in the night's limits and the metrics like a task's.
   */
  private void countPlanning(DecisionUsage spent) {
    if (!spent.isNone()) {
      spent(spent.usage(), spent.agentTime());
    }
  }

  /** An agent's work counts in the metrics and the night's limits. */
  private void spent(Usage usage, Duration agentTime) {
    counters.spent(usage, agentTime);
    night.add(usage, agentTime);
  }

  /** Why no task may start for the rest of the night, when its spending limit is reached. */
  Optional<String> nightLimitReached() {
    SpendingLimit limit = config.limits().perNight();
    Optional<String> reached = night.limitReached(limit);
    if (reached.isPresent()) {
      emit(new CoordinatorEvent.LimitWarning(now(), reached.get() + ": no new task starts"));
      return reached;
    }
    night.nearing(limit).ifPresent(msg -> emit(new CoordinatorEvent.LimitWarning(now(), msg)));
    return Optional.empty();
  }

  // Package-private collaborators for CycleLoop and TaskRun.

  ExecutorService workers() {
    return workers;
  }

  /** The tasks running now, in every cycle. */
  List<TaskRun> active() {
    return active;
  }

  OverlapHold overlaps() {
    return overlaps;
  }

  Optional<Supplier<Set<String>>> workerLabels() {
    return workerLabels;
  }

  CoordinatorCounters counters() {
    return counters;
  }

  Optional<ReportHook> reportHook() {
    return reportHook;
  }

  OrchestrationConfig config() {
    return config;
  }

  TaskQueue queue() {
    return queue;
  }

  WorktreeManager worktrees() {
    return worktrees;
  }

  PullRequestPublisher publisher() {
    return publisher;
  }

  /** Who publishes {@code task}'s work: its pull request's follow-ups, or the publisher. */
  PullRequestPublisher publisherFor(Task task) {
    return followUps.publisherFor(task).orElse(publisher);
  }

  /**
   * Brings a finished task's branch up to date with its base before its pull request is opened,
   * when a base sync is set and the task is no follow-up (whose branch is its pull request's).
   */
  Optional<SyncBeforeOpening.Synced> syncBeforeOpening(Worktree worktree, Task task) {
    return followUps.syncBeforeOpening(worktree, task);
  }

  /** Tells of a sync done before {@code task}'s pull request opened, with the task as completed. */
  void toldOfSync(Task task, SyncResult result) {
    followUps.toldOfSync(task, result);
  }

  /** Brings a follow-up's branch to its pull request's head, before its worktree is made. */
  void prepareBranch(Task task) {
    followUps.prepareBranch(task);
  }

  /**
   * Reviews a task's result with {@code review.agent} (else the agent that did it), counting the
   * reviewer's agent as unavailable when the roster has no such agent available.
   */
  ResultReviewer.Review review(
      Task task, AgentProvider worker, Worktree worktree, Optional<GateResult> gate) {
    Optional<String> wanted = config.review().agent();
    Optional<AgentProvider> reviewer =
        wanted.isEmpty() ? Optional.of(worker) : roster.pick(wanted, now());
    if (reviewer.isEmpty() || !reviewer.get().id().equals(wanted.orElse(worker.id()))) {
      return new ResultReviewer.Review(
          Optional.empty(),
          List.of("the reviewer " + wanted.orElse(worker.id()) + " is not available"),
          "",
          dev.overnight.api.decision.DecisionUsage.NONE);
    }
    return reviewer().review(reviewer.get(), task, worktree, gate);
  }

  private ResultReviewer reviewer() {
    return new ResultReviewer(config.review(), time, List.of(stateDir));
  }

  QualityGateRunner gates() {
    return gates;
  }

  TimeSource timeSource() {
    return time;
  }

  Path stateDir() {
    return stateDir;
  }

  ProcessLedger agentProcesses() {
    return agentProcesses;
  }

  Optional<Pipelines> pipelines() {
    return pipelines;
  }

  AgentRoster roster() {
    return roster;
  }

  Instant now() {
    return time.instant();
  }

  void annotate(Task task, Map<String, String> facts) {
    queue.annotate(task.id(), workerId, redactor.redactValues(facts));
  }

  /** {@code text} without secrets, for anything stored, shown or published. */
  String redact(String text) {
    return redactor.redact(text);
  }

  Map<String, String> redactValues(Map<String, String> values) {
    return redactor.redactValues(values);
  }

  void publish(SessionEvent event) {
    try {
      sessionSink.accept(event);
    } catch (RuntimeException e) {
      LOG.warn("A session update subscriber failed: {}", e.toString());
    }
  }

  void sessionEnded(String sessionId) {
    hub.ifPresent(h -> h.end(sessionId));
  }

  /**
   * The agent said how much of its usage window is used, at the end of an attempt that used {@code
   * attemptTokens} not yet counted.
   */
  void quotaRead(String agentId, QuotaReading reading, long attemptTokens) {
    quota.reported(agentId, reading, attemptTokens, now());
  }

  /** Where agents that cannot work for a while are parked. */
  AgentParking parking() {
    return parking;
  }

  AttemptObserver.Attempt observeAttempt(AttemptObserver.Start start) {
    return observers.start(start);
  }

  void emit(CoordinatorEvent event) {
    listeners.publish(event);
  }

  /** Writes the morning report after each cycle; returns where. */
  @FunctionalInterface
  public interface ReportHook {
    /** Writes the report as of {@code now}. */
    Path write(Instant now);

    /**
     * Writes the report at the end of a cycle, as of {@code now}. The cycle history does not hold
     * {@code finishing} yet (the scheduler records a cycle once it has returned), so a report that
     * lists cycles adds it. The default ignores it and calls {@link #write(Instant)}.
     */
    default Path write(Instant now, CycleRecord finishing) {
      return write(now);
    }
  }

  /** Builds an {@link AgentCoordinator}. Not thread-safe. */
  public static final class Builder {
    private final OrchestrationConfig config;
    private TaskQueue queue;
    private List<AgentProvider> agents = List.of();
    private DecisionEngine engine;
    private DecisionContextFactory contexts;
    private List<SessionHistorySource> historySources = List.of();
    private List<CandidateSource> candidateSources = List.of();
    private TimeSource time;
    private Path stateDir;
    private PullRequestPublisher publisher;
    private Consumer<SessionEvent> sessionSink = e -> {};
    private SessionUpdateHub hub;
    private final List<CoordinatorListener> listeners = new java.util.ArrayList<>();
    private String workerId = "overnight-" + ProcessHandle.current().pid();
    private Supplier<Set<String>> workerLabels;
    private Supplier<Set<String>> decidedTaskLabels = Set::of;
    private ReportHook reportHook;
    private Redactor redactor;
    private ProcessLedger agentProcesses;
    private SchedulerStateStore quotaStore;
    private Pipelines pipelines;
    private PullRequestFollowUps followUps;
    private final List<TaskFeed> feeds = new java.util.ArrayList<>();
    private SyncBeforeOpening syncBeforeOpening;

    private Builder(OrchestrationConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The queue tasks come from (required). */
    public Builder taskQueue(TaskQueue value) {
      queue = Objects.requireNonNull(value, "taskQueue");
      return this;
    }

    /** The agents that may work (their ids must match the config's). */
    public Builder agentProviders(List<AgentProvider> value) {
      agents = List.copyOf(value);
      return this;
    }

    /** The engine that decides what to do when the queue is empty (default: the heuristic one). */
    public Builder decisionEngine(DecisionEngine value) {
      engine = Objects.requireNonNull(value, "decisionEngine");
      return this;
    }

    /**
     * What the engine is given (default: the workspace's git history and the {@linkplain
     * #historySources history sources}). Replaces the default entirely, so it cannot be combined
     * with {@link #historySources}.
     */
    public Builder decisionContexts(DecisionContextFactory value) {
      contexts = Objects.requireNonNull(value, "decisionContexts");
      return this;
    }

    /**
     * The session histories the default decision context reads, as resolved for the config's {@code
     * decision.history_sources} (default: none).
     */
    public Builder historySources(List<? extends SessionHistorySource> value) {
      historySources = List.copyOf(value);
      return this;
    }

    /**
     * The candidate sources the default decision context runs when the engine {@linkplain
     * DecisionEngine#usesCandidates() uses candidates} (default: none).
     */
    public Builder candidateSources(List<? extends CandidateSource> value) {
      candidateSources = List.copyOf(value);
      return this;
    }

    /** The time source for deadlines, hang detection and heartbeats (required). */
    public Builder timeSource(TimeSource value) {
      time = Objects.requireNonNull(value, "timeSource");
      return this;
    }

    /** The state folder: worktrees and transcripts go under it (required). */
    public Builder stateDir(Path value) {
      stateDir = Objects.requireNonNull(value, "stateDir");
      return this;
    }

    /** Where every session update goes (the session update hub). */
    public Builder sessionSink(Consumer<SessionEvent> value) {
      sessionSink = Objects.requireNonNull(value, "sessionSink");
      return this;
    }

    /**
     * The session update hub every session's updates are published to (and whose sessions end when
     * the agent's do).
     */
    public Builder sessionHub(SessionUpdateHub value) {
      hub = Objects.requireNonNull(value, "sessionHub");
      return this;
    }

    /** The pull request publisher (default: {@link PullRequestPublisher#gh}). */
    public Builder publisher(PullRequestPublisher value) {
      publisher = Objects.requireNonNull(value, "publisher");
      return this;
    }

    /**
     * Where the process groups of running agents are recorded, so that the next Overnight can end
     * them if this one dies (default: {@code processes} in the state folder).
     */
    public Builder agentProcesses(ProcessLedger value) {
      agentProcesses = Objects.requireNonNull(value, "agentProcesses");
      return this;
    }

    /**
     * Runs pipeline tasks with these operations and manifests (default: none, and a pipeline task
     * fails saying pipelines are not enabled).
     */
    public Builder pipelines(Pipelines value) {
      pipelines = Objects.requireNonNull(value, "pipelines");
      return this;
    }

    /**
     * Follows up the pull requests Overnight opened: each cycle first queues follow-ups for their
     * failing checks and reviews asking for changes (default: none).
     */
    public Builder followUps(PullRequestFollowUps value) {
      followUps = Objects.requireNonNull(value, "followUps");
      return this;
    }

    /**
     * Brings each finished task's branch up to date with its base through {@code sync} before its
     * pull request is opened (default: published as it is), telling {@code told} of each sync that
     * changed the branch or needs a human, with the task as completed.
     */
    public Builder syncBeforeOpening(BaseSync sync, BiConsumer<Task, SyncResult> told) {
      syncBeforeOpening = new SyncBeforeOpening(sync, config.prAutomation(), told);
      return this;
    }

    /** Adds a feed of work from outside, refreshed at the start of each cycle (default: none). */
    public Builder taskFeed(TaskFeed value) {
      feeds.add(Objects.requireNonNull(value, "taskFeed"));
      return this;
    }

    /** Adds an event listener. */
    public Builder listener(CoordinatorListener value) {
      listeners.add(Objects.requireNonNull(value, "listener"));
      return this;
    }

    /**
     * Where the quota ledger keeps each agent's usage windows: the runtime's state store (default:
     * one in this process only, so a restart forgets them).
     */
    public Builder quotaStore(SchedulerStateStore value) {
      quotaStore = Objects.requireNonNull(value, "quotaStore");
      return this;
    }

    /** The worker id claims are made under (default: overnight-PID). */
    public Builder workerId(String value) {
      workerId = Objects.requireNonNull(value, "workerId");
      return this;
    }

    /**
     * The labels of this worker, asked before each claim: the coordinator then claims only tasks
     * whose required labels are among them ({@link TaskQueue#claimNext(String, Set, Duration)}).
     * Default: none set, and every task may be claimed.
     */
    public Builder workerLabels(Supplier<Set<String>> value) {
      workerLabels = Objects.requireNonNull(value, "workerLabels");
      return this;
    }

    /**
     * The labels the tasks the decision engine creates require ({@link TaskFacts#REQUIRED_LABELS}),
     * such as the workspace repository's {@code repo:} label, so that no machine runs them on
     * another repository's checkout. Default: none.
     */
    public Builder decidedTaskLabels(Supplier<Set<String>> value) {
      decidedTaskLabels = Objects.requireNonNull(value, "decidedTaskLabels");
      return this;
    }

    /**
     * What is taken out of the reasons, facts and descriptions the coordinator stores and publishes
     * (default: the secrets of this process's environment and of the config's agent {@code env}
     * entries; the runtime gives the one built from the environment its agents get).
     */
    public Builder redactor(Redactor value) {
      redactor = Objects.requireNonNull(value, "redactor");
      return this;
    }

    /** Writes the morning report after each cycle. */
    public Builder reportHook(ReportHook value) {
      reportHook = Objects.requireNonNull(value, "reportHook");
      return this;
    }

    /**
     * Writes the morning report with {@code writer} after each cycle, that cycle included (the
     * usual {@link #reportHook}).
     */
    public Builder reportWriter(ReportWriter writer) {
      Objects.requireNonNull(writer, "writer");
      return reportHook(
          new ReportHook() {
            @Override
            public Path write(Instant now) {
              return writer.write(now);
            }

            @Override
            public Path write(Instant now, CycleRecord finishing) {
              return writer.write(now, Optional.of(finishing));
            }
          });
    }

    /**
     * Builds the coordinator.
     *
     * @throws dev.overnight.core.worktree.GitException if the workspace is not a git repository
     */
    public AgentCoordinator build() {
      if (contexts != null && !historySources.isEmpty()) {
        throw new IllegalStateException(
            "decisionContexts(...) replaces the default context, which is the only reader of"
                + " historySources(...): set one or the other");
      }
      return new AgentCoordinator(this);
    }
  }
}
