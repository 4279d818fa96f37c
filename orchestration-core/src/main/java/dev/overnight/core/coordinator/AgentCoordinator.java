package dev.overnight.core.coordinator;

import dev.overnight.api.Availability;
import dev.overnight.api.Subscription;
import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.QuotaReading;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.agent.UsageLimitException;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.decision.CandidateSource;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionUsage;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.queue.ClaimFilter;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleContext;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.CycleRunner;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import dev.overnight.core.conflict.BaseSync;
import dev.overnight.core.conflict.SyncResult;
import dev.overnight.core.decision.DecisionInputs;
import dev.overnight.core.decision.HeuristicDecisionEngine;
import dev.overnight.core.event.Listeners;
import dev.overnight.core.hub.SessionUpdateHub;
import dev.overnight.core.pipeline.Pipelines;
import dev.overnight.core.process.ProcessLedger;
import dev.overnight.core.queue.OpHashes;
import dev.overnight.core.report.ReportWriter;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import dev.overnight.core.secrets.Redactor;
import dev.overnight.core.worktree.Worktree;
import dev.overnight.core.worktree.WorktreeManager;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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

  /** How long a night's spending is counted together: cycles further apart start a new night. */
  static final Duration NIGHT_GAP = Duration.ofHours(6);

  private final OrchestrationConfig config;
  private final TaskQueue queue;
  private final AgentRoster roster;
  private final QuotaLedger quota;
  private final DecisionEngine engine;
  private final DecisionContextFactory contexts;
  private final List<SessionHistorySource> historySources;
  private final List<CandidateSource> candidateSources;

  /** Whether decisions read the workspace's history here, not a caller's context factory. */
  private final boolean historyContexts;

  private final TimeSource time;
  private final WorktreeManager worktrees;
  private final PullRequestPublisher publisher;
  private final QualityGateRunner gates;
  private final OverlapGuard overlaps;
  private final Consumer<SessionEvent> sessionSink;
  private final Optional<SessionUpdateHub> hub;
  private final Listeners<CoordinatorEvent> listeners = new Listeners<>("coordinator");
  private final AttemptObservers observers = new AttemptObservers();
  private final Path stateDir;
  private final ProcessLedger agentProcesses;
  private final String workerId;
  private final Optional<Supplier<Set<String>>> workerLabels;
  private final Supplier<Set<String>> decidedTaskLabels;
  private final Optional<ReportHook> reportHook;
  private final Redactor redactor;
  private final Optional<Pipelines> pipelines;
  private final Optional<PullRequestFollowUps> followUps;
  private final List<TaskFeed> feeds;
  private final Optional<SyncBeforeOpening> syncBeforeOpening;
  private final ExecutorService workers;
  private final List<TaskRun> active = new CopyOnWriteArrayList<>();

  private final AtomicLong cycles = new AtomicLong();
  private final AtomicLong executed = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong released = new AtomicLong();
  private final AtomicLong cancelled = new AtomicLong();
  private final AtomicLong decisions = new AtomicLong();
  private final AtomicLong agentSeconds = new AtomicLong();
  private final AtomicLong tokens = new AtomicLong();
  private final AtomicReference<Double> cost = new AtomicReference<>();
  private final Night night = new Night();
  private final Map<String, Integer> startFailures = new ConcurrentHashMap<>();

  private AgentCoordinator(Builder b) {
    this.config = b.config;
    this.queue = Objects.requireNonNull(b.queue, "taskQueue");
    this.quota =
        new QuotaLedger(
            b.quotaStore != null ? b.quotaStore : new TransientSchedulerStateStore(),
            config.limits().leaveForMorning());
    this.roster = new AgentRoster(b.agents, config.agentPreferences(), quota::holdsBack);
    this.engine = b.engine != null ? b.engine : new HeuristicDecisionEngine();
    this.time = Objects.requireNonNull(b.time, "timeSource");
    this.stateDir = Objects.requireNonNull(b.stateDir, "stateDir");
    this.agentProcesses =
        b.agentProcesses != null
            ? b.agentProcesses
            : new ProcessLedger(stateDir.resolve("processes"));
    this.historySources = b.historySources;
    this.candidateSources = b.candidateSources;
    this.contexts = b.contexts != null ? b.contexts : this::historyContext;
    this.historyContexts = b.contexts == null;
    this.worktrees = new WorktreeManager(config, stateDir.resolve("worktrees"));
    this.publisher =
        b.publisher != null ? b.publisher : PullRequestPublisher.gh(config.prAutomation());
    this.gates = new QualityGateRunner(config.qualityGate());
    this.overlaps = new OverlapGuard(config);
    this.hub = Optional.ofNullable(b.hub);
    this.sessionSink = b.hub == null ? b.sessionSink : b.sessionSink.andThen(b.hub::publish);
    b.listeners.forEach(this::subscribe);
    this.workerId = b.workerId;
    this.workerLabels = Optional.ofNullable(b.workerLabels);
    this.decidedTaskLabels = b.decidedTaskLabels;
    this.reportHook = Optional.ofNullable(b.reportHook);
    this.redactor = b.redactor != null ? b.redactor : Redactor.forConfig(config, System.getenv());
    this.pipelines = Optional.ofNullable(b.pipelines);
    this.followUps = Optional.ofNullable(b.followUps);
    this.feeds = List.copyOf(b.feeds);
    this.syncBeforeOpening = Optional.ofNullable(b.syncBeforeOpening);
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
    runCycle(cycle, false);
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
    runCycle(cycle, true);
  }

  private void runCycle(CycleContext cycle, boolean day) {
    cycles.incrementAndGet();
    if (!day) {
      night.startCycle(now());
      emit(new CoordinatorEvent.CycleBegan(now(), cycle.cycleId(), cycle.deadline()));
    }
    cycle.onCancel(() -> active.forEach(r -> r.interrupt(TaskRun.Interruption.STOPPED)));
    WorkWait idle = new WorkWait();
    cycle.onCancel(idle::cancel);
    boolean engineDry = false;
    List<Task> recovered = queue.recoverExpiredLeases();
    if (!recovered.isEmpty()) {
      LOG.info("Recovered {} task(s) whose worker stopped heartbeating", recovered.size());
    }
    watchPullRequests();
    if (!day) {
      refreshFeeds();
    }
    ExecutorCompletionService<TaskRun.Result> running = new ExecutorCompletionService<>(workers);
    int inFlight = 0;
    int decided = 0;
    int started = 0;
    // Why this cycle stopped starting tasks early, for the report's cycle line; empty when it ran
    // out of work or time, which the task table already shows.
    Optional<String> stoppedBy = Optional.empty();
    // Why no task could start, for the wake's receipt when none did.
    Optional<WakeReason> idleBecause = Optional.empty();
    int held = 0; // taken but given back before their agent started (no disk for a worktree)
    // Claimed but predicted to touch a running task's files: held, claimed, until that task has
    // ended, then started; given back once if the cycle stops first.
    HeldTasks waiting = new HeldTasks(queue, workerId, timeSource(), LEASE, HEARTBEAT);
    while (!cycle.isCancelled()) {
      if (inFlight >= config.maxConcurrent()) {
        Optional<String> blocked = collect(running);
        stoppedBy = stoppedBy.or(() -> blocked);
        held += blocked.isPresent() ? 1 : 0;
        inFlight--;
        continue;
      }
      if (stoppedBy.isPresent() || !timeForAnotherTask(cycle)) {
        break;
      }
      Optional<String> limit = nightLimitReached();
      if (limit.isPresent()) {
        stoppedBy = limit;
        idleBecause = Optional.of(WakeReason.NIGHT_LIMIT_REACHED);
        break;
      }
      Optional<AgentProvider> anyAgent = roster.pick(Optional.empty(), now());
      if (anyAgent.isEmpty()) {
        String why = "no allowed agent is available: " + roster.describe(now());
        emit(new CoordinatorEvent.NothingToDo(now(), why));
        stoppedBy = Optional.of(why);
        idleBecause = Optional.of(WakeReason.AGENT_PARKED);
        break;
      }
      Optional<Task> claimed =
          waiting
              .nextReady(
                  t -> overlaps.check(t, active.stream().map(TaskRun::task).toList()).isEmpty())
              // As it is now: with what was recorded on it while it waited.
              .flatMap(t -> queue.get(t.id()))
              // Unless it was cancelled meanwhile, or its lease lost.
              .filter(
                  t ->
                      t.status() == TaskStatus.IN_PROGRESS
                          && t.workerId().equals(Optional.of(workerId)))
              .or(
                  () ->
                      day
                          ? queue.claimNext(workerId, followUpsOnly(), LEASE)
                          : workerLabels.isPresent()
                              ? queue.claimNext(workerId, workerLabels.get().get(), LEASE)
                              : queue.claimNext(workerId, LEASE));
      if (claimed.isEmpty() && !waiting.isEmpty() && inFlight == 0) {
        // Nothing runs that a held task could wait for any more.
        waiting.giveBack();
        continue;
      }
      if (claimed.isEmpty() && !waiting.isEmpty()) {
        Optional<String> blocked = collect(running);
        stoppedBy = stoppedBy.or(() -> blocked);
        held += blocked.isPresent() ? 1 : 0;
        inFlight--;
        continue;
      }
      if (claimed.isEmpty() && day) {
        idleBecause = Optional.of(WakeReason.NO_WORK);
        break;
      }
      if (claimed.isEmpty()) {
        if (!engineDry && decided < config.maxConcurrent() && decide()) {
          decided++;
          continue;
        }
        engineDry = true;
        idleBecause = Optional.of(WakeReason.NO_WORK);
        // Idle inside the window: a queue shared with other machines wakes this one when work
        // arrives there, so it need not poll; a queue that cannot tell ends the cycle as before.
        if (inFlight == 0 && idle.awaitWork(queue, timeLeftToWait(cycle))) {
          continue;
        }
        break;
      }
      Task task = claimed.get();
      Optional<String> overlap = inFlight > 0 ? overlapsRunning(task) : Optional.empty();
      if (overlap.isPresent()) {
        waiting.hold(task, overlap.get());
        continue;
      }
      task = unstackedIfFirstFailed(task);
      Optional<AgentProvider> agent = roster.pick(task.agentId(), now());
      if (agent.isEmpty()) {
        queue.fail(task.id(), workerId, "no allowed agent is available", Retry.RELEASE);
        released.incrementAndGet();
        stoppedBy = Optional.of("no allowed agent is available for task " + task.id().shortId());
        idleBecause = Optional.of(WakeReason.AGENT_PARKED);
        break;
      }
      TaskRun run = new TaskRun(this, task, agent.get(), cycle);
      active.add(run);
      executed.incrementAndGet();
      started++;
      running.submit(
          () -> {
            try {
              return run.call();
            } finally {
              active.remove(run);
            }
          });
      inFlight++;
    }
    waiting.giveBack();
    while (inFlight > 0) {
      Optional<String> blocked = collect(running);
      stoppedBy = stoppedBy.or(() -> blocked);
      held += blocked.isPresent() ? 1 : 0;
      inFlight--;
    }
    int ran = started - held;
    List<String> notes = new ArrayList<>();
    notes.add(ran + (ran == 1 ? " task run" : " tasks run"));
    stoppedBy.ifPresent(why -> notes.add("no more started: " + why));
    notes.forEach(cycle::note);
    String idleDetail = stoppedBy.orElse("the queue is empty and no new work was found");
    Optional<WakeReceipt> nothingStarted =
        started > 0 || cycle.isCancelled()
            ? Optional.empty()
            : idleBecause.map(why -> WakeReceipt.skipped(why, idleDetail));
    nothingStarted.ifPresent(r -> cycle.nothingStarted(r.reason().orElseThrow(), r.detail()));
    Optional<String> report = Optional.empty();
    if (reportHook.isPresent() && (!day || started > 0)) {
      try {
        report =
            Optional.of(
                reportHook.get().write(now(), finishing(cycle, notes, nothingStarted)).toString());
      } catch (RuntimeException e) {
        LOG.warn("Could not write the morning report: {}", e.toString());
      }
    }
    if (!day) {
      emit(new CoordinatorEvent.CycleEnded(now(), cycle.cycleId(), started, report));
    }
  }

  /** A day cycle's claim: follow-ups only, among the tasks this worker's labels can run. */
  private ClaimFilter followUpsOnly() {
    ClaimFilter followUps = ClaimFilter.any().carrying(TaskFacts.FOLLOW_UP_OF);
    return workerLabels.map(l -> followUps.withLabels(l.get())).orElse(followUps);
  }

  /**
   * Why {@code task} waits, when it is predicted to touch the same files as a running task; then
   * which task and files are recorded on it (conflicts.overlap).
   */
  private Optional<String> overlapsRunning(Task task) {
    Optional<dev.overnight.core.conflict.OverlapPredictor.Overlap> overlap =
        overlaps.check(task, active.stream().map(TaskRun::task).toList());
    overlap
        .map(o -> overlaps.facts(o, worktrees::branchFor))
        // Recorded once: a task held again for the same reason writes nothing new.
        .filter(facts -> !task.metadata().entrySet().containsAll(facts.entrySet()))
        .ifPresent(facts -> annotate(task, facts));
    Optional<String> reason = overlap.map(overlaps::reason);
    reason.ifPresent(r -> LOG.info("Task {} {}", task.id().shortId(), r));
    return reason;
  }

  /**
   * {@code task}, to start from the base instead when it was to stack on a task that failed or was
   * cancelled ({@code conflicts.overlap: stack}): that branch holds no work to build on, and a pull
   * request based on it would never merge. The reason is recorded on the task.
   */
  private Task unstackedIfFirstFailed(Task task) {
    if (task.fact(TaskFacts.STACKED_ON).isEmpty()
        || task.fact(TaskFacts.STACK_DROPPED).isPresent()) {
      return task;
    }
    Optional<Task> first =
        task.fact(TaskFacts.OVERLAPS_TASK).flatMap(id -> queue.get(TaskId.of(id)));
    Optional<TaskStatus> ended =
        first.map(Task::status).filter(st -> st == TaskStatus.FAILED || st == TaskStatus.CANCELLED);
    if (ended.isEmpty()) {
      return task;
    }
    String why =
        "started from the base, not stacked on "
            + task.fact(TaskFacts.STACKED_ON).orElseThrow()
            + ": task "
            + first.get().id().shortId()
            + (ended.get() == TaskStatus.FAILED ? " failed" : " was cancelled");
    LOG.info("Task {} {}", task.id().shortId(), why);
    Map<String, String> facts = new java.util.HashMap<>();
    TaskFacts.STACK_DROPPED.put(facts, why);
    annotate(task, facts);
    return queue.get(task.id()).orElse(task);
  }

  /** This cycle as the report shows it: the scheduler records it only once it has returned. */
  private CycleRecord finishing(
      CycleContext cycle, List<String> notes, Optional<WakeReceipt> idle) {
    boolean cancelled = cycle.isCancelled();
    List<String> all = new ArrayList<>();
    if (cancelled) {
      all.add("Overnight stopped");
    }
    all.addAll(notes);
    return new CycleRecord(
        cycle.cycleId(),
        config.id(),
        cycle.plannedAt(),
        Optional.of(cycle.startedAt()),
        Optional.of(now()),
        cancelled ? CycleOutcome.CANCELLED : CycleOutcome.COMPLETED,
        Optional.empty(),
        all,
        cycle.catchUp(),
        cancelled ? WakeReceipt.fired() : idle.orElseGet(WakeReceipt::fired));
  }

  @Override
  public CoordinatorMetrics metrics() {
    return new CoordinatorMetrics(
        cycles.get(),
        executed.get(),
        completed.get(),
        failed.get(),
        retried.get(),
        released.get(),
        cancelled.get(),
        decisions.get(),
        agentSeconds.get(),
        tokens.get(),
        Optional.ofNullable(cost.get()));
  }

  /** Stops the worker threads; running tasks are interrupted as the scheduler stopping. */
  @Override
  public void close() {
    active.forEach(r -> r.interrupt(TaskRun.Interruption.STOPPED));
    workers.shutdown();
  }

  /**
   * Waits for one running task to end and accounts for it.
   *
   * @return why no further task can start in this cycle, if none can: its worktree could not be
   *     made for want of disk, so the next claim (the same task again, oldest first) would fail
   *     alike, in a loop until the deadline
   */
  private Optional<String> collect(ExecutorCompletionService<TaskRun.Result> running) {
    try {
      TaskRun.Result r = running.take().get();
      account(r);
      if (r.blocksCycle()) {
        emit(
            new CoordinatorEvent.LimitWarning(
                now(), r.reason() + ": no new task starts in this cycle"));
        return Optional.of(r.reason());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      active.forEach(run -> run.interrupt(TaskRun.Interruption.STOPPED));
    } catch (ExecutionException e) {
      LOG.error("A task run failed unexpectedly", e.getCause());
    }
    return Optional.empty();
  }

  private void account(TaskRun.Result r) {
    switch (r.outcome()) {
      case COMPLETED, COMPLETED_NO_CHANGE -> completed.incrementAndGet();
      case FAILED -> failed.incrementAndGet();
      case RELEASED -> released.incrementAndGet();
      case RETRY -> retried.incrementAndGet();
      case CANCELLED -> cancelled.incrementAndGet();
      case LOST -> {
        // Another worker holds the task now; it counts there.
      }
    }
    agentSeconds.addAndGet(r.agentTime().toSeconds());
    TaskFacts.AGENT
        .from(r.task())
        .ifPresent(agent -> quota.used(agent, r.usage().totalTokens(), now()));
    tokens.addAndGet(r.usage().totalTokens());
    r.usage().costUsd().ifPresent(c -> cost.accumulateAndGet(c, (a, b) -> a == null ? b : a + b));
    night.add(r.usage(), r.agentTime());
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
    followUps.ifPresent(
        f -> {
          try {
            f.watch(
                queue,
                now(),
                (task, state) ->
                    emit(
                        new CoordinatorEvent.PullRequestChanged(
                            now(), task, state.key(), TaskFacts.PR_URL.from(task).orElse(""))),
                syncSpending());
          } catch (RuntimeException e) {
            LOG.warn("Could not look for follow-ups on pull requests: {}", e.toString());
          }
        });
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
        return night
            .reached(config.limits().perNight())
            .map(r -> "night limit reached (" + r + ")");
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
          cancelled.incrementAndGet();
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
  private boolean decide() {
    Instant now = now();
    // Work done, under way, waiting or cancelled: a decision for work that is already queued or
    // running would be deduplicated by the queue and end the cycle's decisions, so a second
    // concurrent slot would never be filled.
    // An engine that uses candidates looks their op hashes up in the queue instead
    // (historyContext).
    Set<String> taken =
        engine.usesCandidates() && historyContexts ? Set.of() : OpHashes.taken(queue);
    DecisionContext context = contexts.create(roster.availability(now), taken, now);
    Optional<Decision> decision = engine.decide(context);
    countPlanning(engine.takeUsage());
    if (decision.isEmpty()) {
      emit(new CoordinatorEvent.NothingToDo(now, "the decision engine found nothing new to do"));
      return false;
    }
    decisions.incrementAndGet();
    TaskSpec spec = decision.get().toTaskSpec();
    TaskSpec withAttempts =
        new TaskSpec(
            spec.title(),
            spec.prompt(),
            spec.agentId(),
            spec.priority(),
            spec.opHash(),
            Optional.of(config.maxAttempts()),
            withConfig(spec.metadata()));
    EnqueueResult result = queue.enqueue(withAttempts);
    emit(new CoordinatorEvent.Decided(now, decision.get(), result.created()));
    return result.created();
  }

  /**
   * A planning run's (or a sync's) use counts in the night's limits and the metrics like a task's.
   */
  private void countPlanning(DecisionUsage spent) {
    if (spent.isNone()) {
      return;
    }
    agentSeconds.addAndGet(spent.agentTime().toSeconds());
    tokens.addAndGet(spent.usage().totalTokens());
    spent
        .usage()
        .costUsd()
        .ifPresent(c -> cost.accumulateAndGet(c, (a, b) -> a == null ? b : a + b));
    night.add(spent.usage(), spent.agentTime());
  }

  private Map<String, String> withConfig(Map<String, String> metadata) {
    Map<String, String> m = new java.util.LinkedHashMap<>(metadata);
    m.putIfAbsent("config_id", config.id());
    Set<String> required = decidedTaskLabels.get();
    if (!required.isEmpty() && !m.containsKey(TaskFacts.REQUIRED_LABELS.key())) {
      TaskFacts.REQUIRED_LABELS.put(m, required);
    }
    return m;
  }

  private boolean timeForAnotherTask(CycleContext cycle) {
    Duration left = timeLeftForWork(cycle);
    return !left.isNegative() && !left.isZero();
  }

  /** How long a task may still start in this cycle: its budget less the least a task needs. */
  private Duration timeLeftForWork(CycleContext cycle) {
    Duration left = Duration.between(now(), cycle.deadline());
    Duration minimum = Duration.ofSeconds(Math.min(300, config.timeBudgetSec() / 10));
    return left.minus(minimum);
  }

  /** How long an idle cycle waits for work: while a task may start, and not past the window. */
  private Duration timeLeftToWait(CycleContext cycle) {
    Duration untilWindowEnds = Duration.between(now(), NightEnd.after(config.schedule(), now()));
    Duration left = timeLeftForWork(cycle);
    return left.compareTo(untilWindowEnds) < 0 ? left : untilWindowEnds;
  }

  /**
   * An idle cycle's wait for work ({@link TaskQueue#awaitWork}), which the cycle's cancellation
   * ends at once. The cancel interrupts the waiting thread only while it waits, never after.
   */
  private static final class WorkWait {
    private Thread waiter; // guarded by this
    private boolean cancelled; // guarded by this

    /**
     * Whether work may be ready; false when the time is up, the queue cannot tell, or cancelled.
     */
    boolean awaitWork(TaskQueue queue, Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        return false;
      }
      synchronized (this) {
        if (cancelled) {
          return false;
        }
        waiter = Thread.currentThread();
      }
      try {
        return queue.awaitWork(timeout);
      } catch (InterruptedException e) {
        synchronized (this) {
          if (!cancelled) {
            // Not ours: whoever interrupted the cycle's thread must still see it.
            Thread.currentThread().interrupt();
          }
        }
        return false;
      } finally {
        synchronized (this) {
          waiter = null;
        }
      }
    }

    synchronized void cancel() {
      cancelled = true;
      if (waiter != null) {
        waiter.interrupt();
      }
    }
  }

  /** Why no task may start for the rest of the night, when its spending limit is reached. */
  private Optional<String> nightLimitReached() {
    SpendingLimit limit = config.limits().perNight();
    Optional<String> reached = night.reached(limit).map(r -> "night limit reached (" + r + ")");
    if (reached.isPresent()) {
      emit(new CoordinatorEvent.LimitWarning(now(), reached.get() + ": no new task starts"));
      return reached;
    }
    night.nearing(limit).ifPresent(msg -> emit(new CoordinatorEvent.LimitWarning(now(), msg)));
    return Optional.empty();
  }

  /** The default decision input: git and session history of the workspace, read now. */
  private DecisionContext historyContext(
      Map<String, Availability> agents, Set<String> finished, Instant now) {
    return DecisionInputs.builder(config, time)
        .historySources(historySources)
        .candidateSources(engine.usesCandidates() ? candidateSources : List.of())
        .takenLookup(queue::takenOpHashes)
        .agents(agents)
        .finishedOpHashes(finished)
        .build()
        .gather()
        .context();
  }

  // Package-private collaborators for TaskRun.

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
    return followUps
        .filter(f -> PullRequestFollowUps.isFollowUp(task))
        .<PullRequestPublisher>map(f -> f)
        .orElse(publisher);
  }

  /**
   * Brings a finished task's branch up to date with its base before its pull request is opened,
   * when a base sync is set and the task is no follow-up (whose branch is its pull request's).
   */
  Optional<SyncBeforeOpening.Synced> syncBeforeOpening(Worktree worktree, Task task) {
    if (PullRequestFollowUps.isFollowUp(task)) {
      return Optional.empty();
    }
    return syncBeforeOpening.flatMap(
        s -> s.sync(worktree, queue.get(task.id()).orElse(task), now()));
  }

  /** Tells of a sync done before {@code task}'s pull request opened, with the task as completed. */
  void toldOfSync(Task task, SyncResult result) {
    syncBeforeOpening.ifPresent(s -> s.tell(task, result));
  }

  /** Brings a follow-up's branch to its pull request's head, before its worktree is made. */
  void prepareBranch(Task task) {
    if (PullRequestFollowUps.isFollowUp(task)) {
      followUps.ifPresent(f -> f.prepareBranch(task));
    }
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

  void parkForLogin(String agentId, Instant until, String error) {
    roster.park(
        agentId,
        until,
        "needs a login: " + redactor.redact(error),
        "log the agent in or set its key, then restart Overnight");
    emit(new CoordinatorEvent.AgentParked(now(), agentId, until, redactor.redact(error)));
  }

  void parkForLimit(String agentId, UsageLimitException e) {
    Instant until =
        e.resetAt().filter(r -> r.isAfter(now())).orElse(now().plus(Duration.ofMinutes(30)));
    roster.park(agentId, until, "hit a usage limit", "wait for the reset");
    quota.exhausted(agentId, e.resetAt(), now());
    emit(new CoordinatorEvent.AgentParked(now(), agentId, until, redactor.redact(e.getMessage())));
  }

  /**
   * The agent said how much of its usage window is used, at the end of an attempt that used {@code
   * attemptTokens} not yet counted.
   */
  void quotaRead(String agentId, QuotaReading reading, long attemptTokens) {
    quota.reported(agentId, reading, attemptTokens, now());
  }

  /** The agent started a session: its run of start failures is over. */
  void agentStarted(String agentId) {
    startFailures.remove(agentId);
  }

  /**
   * The agent failed to start (not the task's fault). After {@code
   * limits.start_failures_before_park} failures in a row it is parked for the rest of the night,
   * with its own error as the reason.
   *
   * @return until when it is parked, if this failure parked it
   */
  Optional<Instant> agentFailedToStart(String agentId, String error) {
    int limit = config.limits().startFailuresBeforePark();
    int inARow = startFailures.merge(agentId, 1, Integer::sum);
    if (inARow < limit) {
      return Optional.empty();
    }
    startFailures.remove(agentId);
    Instant until = NightEnd.after(config.schedule(), now());
    String why =
        "failed to start "
            + inARow
            + (inARow == 1 ? " time" : " times in a row")
            + ": "
            + redactor.redact(error);
    roster.park(
        agentId,
        until,
        why,
        "try it by hand with overnight agent try --agent " + agentId + ", fix it, then restart");
    emit(new CoordinatorEvent.AgentParked(now(), agentId, until, why));
    return Optional.of(until);
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

  /** What a night has spent so far. */
  private static final class Night {
    private Instant lastCycle;
    private long tokens;
    private double cost;
    private long seconds;
    private boolean warned;

    synchronized void startCycle(Instant now) {
      if (lastCycle == null || Duration.between(lastCycle, now).compareTo(NIGHT_GAP) > 0) {
        tokens = 0;
        cost = 0;
        seconds = 0;
        warned = false;
      }
      lastCycle = now;
    }

    synchronized void add(Usage usage, Duration agentTime) {
      tokens += usage.totalTokens();
      cost += usage.costUsd().orElse(0.0);
      seconds += agentTime.toSeconds();
    }

    synchronized Optional<String> reached(SpendingLimit limit) {
      if (limit.tokens().filter(t -> tokens >= t).isPresent()) {
        return Optional.of(tokens + " tokens of " + limit.tokens().get());
      }
      if (limit.costUsd().filter(c -> cost >= c).isPresent()) {
        return Optional.of(dollars(cost) + " of " + dollars(limit.costUsd().get()));
      }
      if (limit.agentSeconds().filter(s -> seconds >= s).isPresent()) {
        return Optional.of(seconds + " agent seconds of " + limit.agentSeconds().get());
      }
      return Optional.empty();
    }

    /** Dollars to the tenth of a cent, so a limit of $0.025 does not read as $0.03. */
    private static String dollars(double amount) {
      return "$"
          + BigDecimal.valueOf(amount)
              .setScale(3, RoundingMode.HALF_UP)
              .stripTrailingZeros()
              .toPlainString();
    }

    synchronized Optional<String> nearing(SpendingLimit limit) {
      if (warned) {
        return Optional.empty();
      }
      boolean near =
          limit.tokens().filter(t -> tokens >= t * 0.8).isPresent()
              || limit.costUsd().filter(c -> cost >= c * 0.8).isPresent()
              || limit.agentSeconds().filter(s -> seconds >= s * 0.8).isPresent();
      if (near) {
        warned = true;
        return Optional.of("over 80% of the night's spending limit used");
      }
      return Optional.empty();
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
