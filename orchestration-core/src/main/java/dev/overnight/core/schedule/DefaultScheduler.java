package dev.overnight.core.schedule;

import dev.overnight.api.Cancellable;
import dev.overnight.api.KeepAwake;
import dev.overnight.api.TimeSource;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.MissedRunPolicy;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.CycleRunner;
import dev.overnight.api.schedule.Scheduler;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerListener;
import dev.overnight.api.schedule.SchedulerMetrics;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.time.SystemTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Scheduler}: wakes at each cron occurrence inside the window (plus jitter), asks the
 * constraint gate, and runs one cycle at a time on a thread of its own.
 *
 * <p><b>Waking.</b> The next wake is one timer on the {@link TimeSource}; nothing polls. Timer
 * actions only update state and hand work to the cycle executor, so a long cycle never delays a
 * timer. With a manual time source and a direct executor ({@code Runnable::run}) everything runs on
 * the thread that advances time, which makes a whole night deterministic.
 *
 * <p><b>Missed runs.</b> An occurrence is missed when the process was down ({@link
 * SkipReason#PROCESS_DOWN}, found from the persisted snapshot at start), when the wall clock passed
 * it by more than the late tolerance ({@link SkipReason#MACHINE_ASLEEP}), when a cycle was still
 * running ({@link SkipReason#CYCLE_STILL_RUNNING}), or when constraints held it back until its
 * window closed or the next occurrence came ({@link SkipReason#CONSTRAINTS_UNSATISFIED}). With
 * {@code skip} it is dropped. With {@code run_once_at_next_opportunity} one catch-up cycle is owed,
 * however many were missed; it runs as soon as no cycle runs, the window is open and the
 * constraints allow. When that moment is the next occurrence itself, that one cycle serves both.
 * Occurrences skipped while paused by the user, or because jitter would start them after the
 * window, are not owed.
 *
 * <p><b>Constraints.</b> Unsatisfied constraints hold the occurrence and pause the scheduler; they
 * are checked again every {@code recheck_interval} until they pass (the cycle then runs), the
 * window closes or the next occurrence comes.
 *
 * <p><b>Keep-awake</b> is held from the start of each cycle to its end, and released on {@link
 * #stop()}, on an exception and by a shutdown hook.
 *
 * <p>Thread-safe. Listeners are called in order while the scheduler's lock is held: they must be
 * quick and must not wait for another thread that uses the scheduler.
 */
public final class DefaultScheduler implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultScheduler.class);
  private static final AtomicBoolean NO_KEEP_AWAKE_LOGGED = new AtomicBoolean();

  /** Default for how late a wake may be before its occurrence counts as missed. */
  public static final Duration DEFAULT_LATE_TOLERANCE = Duration.ofMinutes(2);

  /**
   * Missed occurrences reported one by one (event, record, log line) per batch; more are summed.
   */
  static final int MAX_REPORTED = 100;

  /** Missed occurrences enumerated per batch (after a long sleep with a per-minute schedule). */
  static final int MAX_ENUMERATED = 20_000;

  private final String id;
  private final ScheduleTimes times;
  private final MissedRunPolicy policy;
  private final long jitterMs;
  private final Duration budget;
  private final Duration lateTolerance;
  private final Duration recheckInterval;
  private final CycleRunner runner;
  private final TimeSource time;
  private final RandomGenerator random;
  private final KeepAwake keepAwake;
  private final SchedulerStateStore store;
  private final ConstraintGate gate;
  private final Executor cycleExecutor;
  private final List<AutoCloseable> owned;
  private final boolean useShutdownHook;
  private final List<SchedulerListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean resourcesClosed = new AtomicBoolean();

  private final ReentrantLock lock = new ReentrantLock();
  // Everything below is guarded by lock.
  private SchedulerState state = new SchedulerState.Idle();
  private boolean started;
  private boolean stopped;
  private Instant cursor;
  private Plan plan;
  private Cancellable wakeTimer;
  private Cancellable retryTimer;
  private Occurrence due;
  private boolean recheckDue;
  private Hold hold;
  private String userPause;
  private boolean catchUpPending;
  private Instant catchUpFor;
  private boolean workerActive;
  private RunningCycle running;
  private long cycleCount;
  private Instant lastRunAt;
  private final EnumMap<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
  private Duration totalCycleTime = Duration.ZERO;
  private int reportedInBatch;
  private Thread shutdownHook;
  private volatile KeepAwake.Handle awake;

  /** The next wake: the occurrence, and when to wake for it (its time plus jitter). */
  private record Plan(Occurrence occurrence, Instant wakeAt, long jitterMs, boolean pastWindow) {}

  /** Constraints hold the due occurrence back until {@code retryAt}. */
  private record Hold(String reason, Instant retryAt) {}

  private DefaultScheduler(Builder b, ScheduleTimes times, ConstraintGate gate, TimeSource time) {
    this.id = b.id;
    this.times = times;
    this.policy = b.schedule.onMissed();
    this.jitterMs = b.schedule.jitterMs();
    this.budget = b.timeBudget;
    this.lateTolerance = b.lateTolerance;
    this.recheckInterval = b.constraints.recheckInterval();
    this.runner = b.runner;
    this.time = time;
    this.random = b.random != null ? b.random : RandomGenerator.getDefault();
    this.keepAwake = b.keepAwake;
    this.store = b.store != null ? b.store : new TransientSchedulerStateStore();
    this.gate = gate;
    this.useShutdownHook = b.shutdownHook;
    this.listeners.addAll(b.listeners);
    List<AutoCloseable> resources = new ArrayList<>(b.ownedResources);
    if (b.cycleExecutor != null) {
      this.cycleExecutor = b.cycleExecutor;
    } else {
      ExecutorService executor =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "overnight-cycle-" + b.id);
                t.setDaemon(true);
                return t;
              });
      this.cycleExecutor = executor;
      resources.add(executor::shutdown);
    }
    this.owned = List.copyOf(resources);
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------------------------------------
  // Scheduler

  @Override
  public void start() {
    boolean launch;
    lock.lock();
    try {
      if (started || stopped) {
        return;
      }
      started = true;
      Instant now = time.instant();
      logMissingKeepAwakeOnce();
      restore(now);
      installShutdownHook();
      planNext();
      settle(now);
      LOG.info(
          "Scheduler {} started: {}, jitter up to {} ms, missed runs: {}; next wake {}",
          id,
          times,
          jitterMs,
          policy.jsonName(),
          plan == null ? "none" : plan.wakeAt());
      launch = claimWorker(now);
    } finally {
      lock.unlock();
    }
    if (launch) {
      launchWorker(null);
    }
  }

  @Override
  public void stop() {
    RunningCycle toCancel;
    boolean closeNow;
    lock.lock();
    try {
      if (stopped) {
        return;
      }
      Instant now = time.instant();
      stopped = true;
      cancelTimers();
      toCancel = running;
      releaseKeepAwake();
      removeShutdownHook();
      if (started) {
        persist(now);
      }
      refreshState(now);
      closeNow = !workerActive;
      LOG.info("Scheduler {} stopped{}", id, toCancel == null ? "" : "; cancelling " + toCancel);
    } finally {
      lock.unlock();
    }
    if (toCancel != null) {
      toCancel.cancel();
    }
    if (closeNow) {
      closeOwnedResources();
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public SchedulerState state() {
    lock.lock();
    try {
      return state;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public SchedulerMetrics metrics() {
    lock.lock();
    try {
      Instant now = time.instant();
      OptionalLong since =
          lastRunAt == null
              ? OptionalLong.empty()
              : OptionalLong.of(Math.max(0, Duration.between(lastRunAt, now).getSeconds()));
      return new SchedulerMetrics(
          cycleCount,
          state.name(),
          Optional.ofNullable(lastRunAt),
          since,
          new EnumMap<>(skipped),
          totalCycleTime);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Instant> nextWake() {
    lock.lock();
    try {
      return started && !stopped && plan != null ? Optional.of(plan.wakeAt()) : Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Checks the constraints on the calling thread (blocking for at most the check timeout) and
   * runs the cycle on the cycle executor. Works before {@link #start()} and while paused by a user;
   * an occurrence held back by constraints, or an owed catch-up, is served by this cycle.
   */
  @Override
  public boolean runNow() {
    lock.lock();
    try {
      if (stopped || workerActive) {
        return false;
      }
      workerActive = true;
    } finally {
      lock.unlock();
    }
    ConstraintGateResult result;
    try {
      result = gate.check();
    } catch (RuntimeException | Error e) {
      endWorker();
      throw e;
    }
    RunningCycle cycle;
    lock.lock();
    try {
      Instant now = time.instant();
      emit(new SchedulerEvent.ConstraintsChecked(now, result.results(), result.satisfied()));
      if (stopped || !result.satisfied()) {
        if (!result.satisfied()) {
          LOG.info("Not running a cycle now: {}", result.reason());
        }
        cycle = null;
      } else {
        Occurrence occurrence =
            due != null ? due : new Occurrence(LocalDateTime.ofInstant(now, times.zone()), now);
        cycle = begin(occurrence, false, now);
      }
    } finally {
      lock.unlock();
    }
    if (cycle == null) {
      endWorker();
      return false;
    }
    launchWorker(cycle);
    return true;
  }

  @Override
  public void pause(String reason) {
    Objects.requireNonNull(reason, "reason");
    lock.lock();
    try {
      if (stopped) {
        return;
      }
      Instant now = time.instant();
      boolean already = userPause != null;
      userPause = reason;
      if (due != null) {
        miss(due, SkipReason.PAUSED_BY_USER, "paused: " + reason, now);
        due = null;
      }
      hold = null;
      if (started && !already) {
        emit(new SchedulerEvent.Paused(now, reason, pausedRetryAt(now)));
      }
      settle(now);
      LOG.info("Scheduler {} paused: {}", id, reason);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void resume() {
    boolean launch;
    lock.lock();
    try {
      if (stopped || userPause == null) {
        return;
      }
      Instant now = time.instant();
      userPause = null;
      if (started) {
        emit(new SchedulerEvent.Resumed(now));
      }
      settle(now);
      LOG.info("Scheduler {} resumed", id);
      launch = started && claimWorker(now);
    } finally {
      lock.unlock();
    }
    if (launch) {
      launchWorker(null);
    }
  }

  @Override
  public Cancellable addListener(SchedulerListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  // ---------------------------------------------------------------------------------------------
  // Timers

  private void onWake(Plan fired) {
    boolean launch;
    lock.lock();
    try {
      if (stopped || plan != fired) {
        return;
      }
      Instant now = time.instant();
      wakeTimer = null;
      reportedInBatch = 0;
      takeDueOccurrences(now, SkipReason.MACHINE_ASLEEP);
      planNext();
      launch = claimWorker(now);
      // A claimed worker saves the state before its cycle starts: keep one store write, not
      // two, between the wake and the cycle.
      settle(now, !launch);
    } finally {
      lock.unlock();
    }
    if (launch) {
      launchWorker(null);
    }
  }

  private void onRetry() {
    boolean launch;
    lock.lock();
    try {
      if (stopped) {
        return;
      }
      Instant now = time.instant();
      retryTimer = null;
      if (due != null) {
        Optional<Instant> end = times.windowEnd(due);
        if (end.isPresent() && !now.isBefore(end.get())) {
          miss(
              due,
              SkipReason.CONSTRAINTS_UNSATISFIED,
              "constraints held it back until the window closed"
                  + (hold == null ? "" : ": " + hold.reason()),
              now);
          due = null;
        }
      }
      recheckDue = true;
      settle(now);
      launch = claimWorker(now);
    } finally {
      lock.unlock();
    }
    if (launch) {
      launchWorker(null);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The cycle worker: one at a time, on the cycle executor.

  private void launchWorker(RunningCycle first) {
    try {
      cycleExecutor.execute(() -> work(first));
    } catch (RejectedExecutionException e) {
      LOG.error("Scheduler {} could not hand a cycle to its executor", id, e);
      if (first != null) {
        finish(first, e);
      }
      endWorker();
    }
  }

  private void work(RunningCycle first) {
    RunningCycle cycle = first;
    try {
      while (true) {
        if (cycle == null) {
          ConstraintGateResult result = gate.check();
          lock.lock();
          try {
            Instant now = time.instant();
            emit(new SchedulerEvent.ConstraintsChecked(now, result.results(), result.satisfied()));
            if (stopped || userPause != null || !hasCandidate(now)) {
              workerActive = false;
              settle(now);
              return;
            }
            if (!result.satisfied()) {
              holdBack(result.reason(), now);
              workerActive = false;
              return;
            }
            boolean catchUp = due == null || catchUpPending;
            Occurrence occurrence = due != null ? due : catchUpOccurrence(now);
            cycle = begin(occurrence, catchUp, now);
          } finally {
            lock.unlock();
          }
        }
        runCycle(cycle);
        cycle = null;
        lock.lock();
        try {
          Instant now = time.instant();
          if (stopped || userPause != null || !hasCandidate(now)) {
            workerActive = false;
            return;
          }
        } finally {
          lock.unlock();
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.error("Scheduler {} worker failed", id, e);
      endWorker();
      throw e;
    } finally {
      boolean closeNow;
      lock.lock();
      try {
        closeNow = stopped && !workerActive;
      } finally {
        lock.unlock();
      }
      if (closeNow) {
        closeOwnedResources();
      }
    }
  }

  /**
   * Ends a worker that stopped early; releases the resources if the scheduler stopped meanwhile.
   */
  private void endWorker() {
    boolean closeNow;
    lock.lock();
    try {
      workerActive = false;
      closeNow = stopped;
    } finally {
      lock.unlock();
    }
    if (closeNow) {
      closeOwnedResources();
    }
  }

  /** Whether something may run now: a due occurrence, or an owed catch-up with the window open. */
  private boolean hasCandidate(Instant now) {
    return due != null || (catchUpPending && times.isWindowOpen(now));
  }

  private boolean claimWorker(Instant now) {
    if (!started || stopped || workerActive || userPause != null || !hasCandidate(now)) {
      return false;
    }
    if (hold != null && !recheckDue) {
      return false;
    }
    workerActive = true;
    recheckDue = false;
    return true;
  }

  private Occurrence catchUpOccurrence(Instant now) {
    Instant plannedAt = catchUpFor != null ? catchUpFor : now;
    return new Occurrence(LocalDateTime.ofInstant(plannedAt, times.zone()), plannedAt);
  }

  /** Starts the bookkeeping of a cycle that is about to run. Called with the lock held. */
  private RunningCycle begin(Occurrence occurrence, boolean catchUp, Instant now) {
    if (hold != null) {
      hold = null;
      emit(new SchedulerEvent.Resumed(now));
    }
    due = null;
    boolean servesCatchUp = catchUp || catchUpPending;
    catchUpPending = false;
    catchUpFor = null;
    cycleCount++;
    lastRunAt = now;
    RunningCycle cycle =
        new RunningCycle(
            "cycle-" + cycleCount, occurrence.at(), now, now.plus(budget), servesCatchUp);
    running = cycle;
    emit(new SchedulerEvent.CycleStarted(now, cycle.cycleId(), cycle.plannedAt(), servesCatchUp));
    LOG.info("Scheduler {} starting {}", id, cycle);
    settle(now);
    return cycle;
  }

  private void runCycle(RunningCycle cycle) {
    KeepAwake.Handle handle = acquireKeepAwake(cycle);
    Throwable failure = null;
    try {
      if (!cycle.isCancelled()) {
        runner.runCycle(cycle);
      }
    } catch (Exception | Error e) {
      failure = e;
      if (e instanceof VirtualMachineError vm) {
        throw vm;
      }
    } finally {
      releaseKeepAwake(handle);
      finish(cycle, failure);
    }
  }

  private KeepAwake.Handle acquireKeepAwake(RunningCycle cycle) {
    KeepAwake.Handle handle;
    try {
      handle = keepAwake.acquire("Overnight " + id + ": " + cycle.cycleId());
    } catch (RuntimeException e) {
      LOG.warn("Could not keep the machine awake for {}: {}", cycle.cycleId(), e.toString());
      return null;
    }
    lock.lock();
    try {
      if (stopped) {
        handle.close();
        return null;
      }
      awake = handle;
      return handle;
    } finally {
      lock.unlock();
    }
  }

  private void releaseKeepAwake(KeepAwake.Handle handle) {
    if (handle == null) {
      return;
    }
    handle.close();
    lock.lock();
    try {
      if (awake == handle) {
        awake = null;
      }
    } finally {
      lock.unlock();
    }
  }

  private void finish(RunningCycle cycle, Throwable failure) {
    lock.lock();
    try {
      Instant now = time.instant();
      if (running == cycle) {
        running = null;
      }
      Duration took = Duration.between(cycle.startedAt(), now);
      if (took.isNegative()) {
        took = Duration.ZERO;
      }
      totalCycleTime = totalCycleTime.plus(took);
      CycleOutcome outcome =
          cycle.isCancelled()
              ? CycleOutcome.CANCELLED
              : failure != null ? CycleOutcome.FAILED : CycleOutcome.COMPLETED;
      Optional<String> error = Optional.ofNullable(failure).map(DefaultScheduler::describe);
      String detail =
          switch (outcome) {
            case CANCELLED -> "cancelled: the scheduler stopped";
            case FAILED -> error.orElse("failed");
            default -> "completed in " + human(took);
          };
      for (String note : cycle.notes()) {
        detail += "; " + note;
      }
      if (failure != null && outcome == CycleOutcome.FAILED) {
        LOG.warn("Scheduler {}: {} failed", id, cycle, failure);
      } else {
        LOG.info("Scheduler {}: {} {} after {}", id, cycle, outcome, human(took));
      }
      if (now.isAfter(cycle.deadline())) {
        LOG.warn("Scheduler {}: {} overran its time budget of {}", id, cycle, human(budget));
      }
      record(
          new CycleRecord(
              cycle.cycleId(),
              id,
              cycle.plannedAt(),
              Optional.of(cycle.startedAt()),
              Optional.of(now),
              outcome,
              Optional.empty(),
              detail,
              cycle.catchUp()));
      emit(new SchedulerEvent.CycleFinished(now, cycle.cycleId(), took, error));
      settle(now);
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Occurrences. Called with the lock held.

  /**
   * Takes every occurrence that came due since the cursor: all but the latest are missed, and the
   * latest is missed too when it is late, a cycle runs (or is about to start) or a user paused;
   * otherwise it becomes due, replacing one that constraints were holding back.
   */
  private void takeDueOccurrences(Instant now, SkipReason lateReason) {
    if (!cursor.isBefore(now)) {
      return; // the wall clock went back, or nothing came due
    }
    List<Occurrence> came = times.between(cursor, now, MAX_ENUMERATED);
    if (came.isEmpty()) {
      return;
    }
    if (due != null && hold != null) {
      miss(
          due,
          SkipReason.CONSTRAINTS_UNSATISFIED,
          "constraints held it back until the next occurrence: " + hold.reason(),
          now);
      due = null;
    }
    boolean more =
        came.size() == MAX_ENUMERATED
            && times
                .next(came.get(came.size() - 1).at())
                .filter(o -> !o.at().isAfter(now))
                .isPresent();
    Occurrence latest = came.get(came.size() - 1);
    Plan planned = plan != null && plan.occurrence().equals(latest) ? plan : null;
    Instant wakeAt = planned != null ? planned.wakeAt() : latest.at();
    boolean late = more || now.isAfter(wakeAt.plus(lateTolerance));
    for (int i = 0; i < came.size() - 1; i++) {
      Occurrence o = came.get(i);
      miss(o, blockedReason(lateReason), blockedDetail(lateReason, o, now), now);
    }
    if (more) {
      LOG.warn(
          "Scheduler {}: more than {} occurrences were missed; counted up to {}",
          id,
          MAX_ENUMERATED,
          latest.at());
    }
    cursor = more ? now : latest.at();
    if (late) {
      miss(latest, blockedReason(lateReason), blockedDetail(lateReason, latest, now), now);
    } else if (planned != null && planned.pastWindow()) {
      miss(
          latest,
          SkipReason.JITTER_PAST_WINDOW_END,
          "a jitter of "
              + planned.jitterMs()
              + " ms would start it at "
              + latest.at().plusMillis(planned.jitterMs())
              + ", at or after the window end "
              + times.windowEnd(latest).map(Instant::toString).orElse("?"),
          now);
    } else if (busy()) {
      miss(latest, SkipReason.CYCLE_STILL_RUNNING, busyDetail(), now);
    } else if (userPause != null) {
      miss(latest, SkipReason.PAUSED_BY_USER, "paused: " + userPause, now);
    } else {
      due = latest;
      recheckDue = true;
    }
  }

  /**
   * Whether a cycle runs, or is about to: a due occurrence that constraints do not hold back has
   * been handed to the worker, which has not started it yet.
   */
  private boolean busy() {
    return running != null || (due != null && hold == null);
  }

  private String busyDetail() {
    return running != null
        ? running.cycleId() + " was still running"
        : "the cycle planned at " + due.at() + " was still starting";
  }

  private SkipReason blockedReason(SkipReason lateReason) {
    if (busy()) {
      return SkipReason.CYCLE_STILL_RUNNING;
    }
    if (userPause != null) {
      return SkipReason.PAUSED_BY_USER;
    }
    return lateReason;
  }

  private String blockedDetail(SkipReason lateReason, Occurrence o, Instant now) {
    return switch (blockedReason(lateReason)) {
      case CYCLE_STILL_RUNNING -> busyDetail();
      case PAUSED_BY_USER -> "paused: " + userPause;
      case PROCESS_DOWN -> "the scheduler was not running";
      default ->
          "the wall clock passed it by " + human(Duration.between(o.at(), now)) + " (asleep?)";
    };
  }

  private void miss(Occurrence o, SkipReason reason, String detail, Instant now) {
    skipped.merge(reason, 1L, Long::sum);
    boolean owed =
        reason != SkipReason.PAUSED_BY_USER && reason != SkipReason.JITTER_PAST_WINDOW_END;
    if (owed && policy == MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY) {
      catchUpPending = true;
      if (catchUpFor == null || o.at().isAfter(catchUpFor)) {
        catchUpFor = o.at();
      }
    }
    reportedInBatch++;
    if (reportedInBatch > MAX_REPORTED) {
      if (reportedInBatch == MAX_REPORTED + 1) {
        LOG.info("Scheduler {}: more occurrences skipped; only counting them now", id);
      }
      return;
    }
    LOG.info(
        "Scheduler {} skipped the cycle planned at {}: {} ({})", id, o.at(), reason.key(), detail);
    emit(new SchedulerEvent.CycleSkipped(now, o.at(), reason, detail));
    record(
        new CycleRecord(
            "skip-" + o.at(),
            id,
            o.at(),
            Optional.empty(),
            Optional.empty(),
            CycleOutcome.SKIPPED,
            Optional.of(reason),
            detail,
            false));
  }

  /** Plans the wake for the first occurrence after the cursor. */
  private void planNext() {
    if (wakeTimer != null) {
      wakeTimer.cancel();
      wakeTimer = null;
    }
    plan = null;
    Optional<Occurrence> next = times.next(cursor);
    if (next.isEmpty()) {
      LOG.warn("Scheduler {}: {} has no further occurrence", id, times);
      return;
    }
    Occurrence o = next.get();
    long jitter = jitterMs > 0 ? random.nextLong(0, jitterMs + 1) : 0;
    Instant wakeAt = o.at().plusMillis(jitter);
    boolean pastWindow = false;
    if (jitter > 0) {
      Optional<Instant> end = times.windowEnd(o);
      if (end.isPresent() && !wakeAt.isBefore(end.get())) {
        pastWindow = true;
        wakeAt = o.at(); // wake at the cron time to report the skip then
      }
    }
    Plan p = new Plan(o, wakeAt, jitter, pastWindow);
    plan = p;
    wakeTimer = time.schedule(wakeAt, () -> onWake(p));
  }

  /** Reads the snapshot left by an earlier run and accounts for what came due meanwhile. */
  private void restore(Instant now) {
    Optional<SchedulerSnapshot> snapshot;
    try {
      snapshot = store.load(id);
    } catch (RuntimeException e) {
      LOG.error("Scheduler {} could not read its saved state; starting fresh", id, e);
      snapshot = Optional.empty();
    }
    if (snapshot.isEmpty()) {
      cursor = now;
      return;
    }
    SchedulerSnapshot s = snapshot.get();
    cycleCount = s.cycleCount();
    lastRunAt = s.lastRunAt().orElse(null);
    catchUpPending = policy == MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY && s.catchUpPending();
    cursor = s.lastPlannedAt().orElse(s.savedAt());
    reportedInBatch = 0;
    takeDueOccurrences(now, SkipReason.PROCESS_DOWN);
  }

  // ---------------------------------------------------------------------------------------------
  // State. Called with the lock held.

  /**
   * After any change: drops a pause with nothing left to hold, arms the retry, saves, and publishes
   * the state.
   */
  private void settle(Instant now) {
    settle(now, true);
  }

  private void settle(Instant now, boolean save) {
    if (hold != null && !hasCandidate(now)) {
      hold = null;
      emit(new SchedulerEvent.Resumed(now));
    }
    armRetry(now);
    if (started && save) {
      persist(now);
    }
    refreshState(now);
  }

  private void holdBack(String reason, Instant now) {
    Instant retryAt = now.plus(recheckInterval);
    Optional<Instant> end = due != null ? times.windowEnd(due) : times.windowEndAt(now);
    if (end.isPresent() && end.get().isBefore(retryAt)) {
      retryAt = end.get();
    }
    boolean entering = hold == null;
    hold = new Hold(reason, retryAt);
    if (entering) {
      emit(new SchedulerEvent.Paused(now, reason, retryAt));
      LOG.info("Scheduler {} paused: {}; checking again at {}", id, reason, retryAt);
    }
    settle(now);
  }

  private void armRetry(Instant now) {
    if (retryTimer != null) {
      retryTimer.cancel();
      retryTimer = null;
    }
    if (!started || stopped || userPause != null) {
      return;
    }
    Instant at = null;
    if (hold != null) {
      at = hold.retryAt();
    } else if (catchUpPending && due == null && !times.isWindowOpen(now)) {
      Instant opens = times.nextWindowStart(now);
      if (plan == null || opens.isBefore(plan.occurrence().at())) {
        at = opens; // otherwise the next occurrence serves the catch-up
      }
    }
    if (at != null) {
      retryTimer = time.schedule(at, this::onRetry);
    }
  }

  private void refreshState(Instant now) {
    SchedulerState next;
    if (stopped) {
      next = new SchedulerState.Stopped();
    } else if (!started) {
      next = new SchedulerState.Idle();
    } else if (userPause != null) {
      next = new SchedulerState.Paused(userPause, pausedRetryAt(now));
    } else if (hold != null) {
      next = new SchedulerState.Paused(hold.reason(), hold.retryAt());
    } else if (plan != null) {
      next = new SchedulerState.Running(plan.wakeAt());
    } else {
      next = new SchedulerState.Paused("the schedule has no further occurrence", now);
    }
    if (!next.equals(state)) {
      SchedulerState previous = state;
      state = next;
      emit(new SchedulerEvent.StateChanged(now, previous, next));
    }
  }

  private Instant pausedRetryAt(Instant now) {
    return plan != null ? plan.wakeAt() : now;
  }

  private void persist(Instant now) {
    try {
      store.save(
          new SchedulerSnapshot(
              id,
              Optional.ofNullable(lastRunAt),
              Optional.ofNullable(cursor),
              plan == null ? Optional.empty() : Optional.of(plan.wakeAt()),
              catchUpPending,
              cycleCount,
              now));
    } catch (RuntimeException e) {
      LOG.error("Scheduler {} could not save its state", id, e);
    }
  }

  private void record(CycleRecord cycle) {
    try {
      store.record(cycle);
    } catch (RuntimeException e) {
      LOG.error("Scheduler {} could not record {}", id, cycle.cycleId(), e);
    }
  }

  private void emit(SchedulerEvent event) {
    for (SchedulerListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("A scheduler listener failed on {}", event, e);
      }
    }
  }

  private void cancelTimers() {
    if (wakeTimer != null) {
      wakeTimer.cancel();
      wakeTimer = null;
    }
    if (retryTimer != null) {
      retryTimer.cancel();
      retryTimer = null;
    }
  }

  private void releaseKeepAwake() {
    KeepAwake.Handle handle = awake;
    awake = null;
    if (handle != null) {
      handle.close();
    }
  }

  private void installShutdownHook() {
    if (!useShutdownHook) {
      return;
    }
    Thread hook =
        new Thread(
            () -> {
              KeepAwake.Handle handle = awake;
              if (handle != null) {
                handle.close();
              }
            },
            "overnight-keep-awake-release-" + id);
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      shutdownHook = hook;
    } catch (IllegalStateException e) {
      LOG.debug("The JVM is shutting down; no keep-awake release hook installed");
    }
  }

  private void removeShutdownHook() {
    if (shutdownHook == null) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      LOG.debug("The JVM is shutting down; the keep-awake release hook stays");
    }
    shutdownHook = null;
  }

  private void logMissingKeepAwakeOnce() {
    if (keepAwake == KeepAwake.noop() && NO_KEEP_AWAKE_LOGGED.compareAndSet(false, true)) {
      LOG.info(
          "No platform keep-awake ({}): the machine may sleep during a cycle. Add"
              + " dev.overnight:orchestration-macos or dev.overnight:orchestration-linux to keep it"
              + " awake.",
          keepAwake.describe());
    }
  }

  private void closeOwnedResources() {
    if (!resourcesClosed.compareAndSet(false, true)) {
      return;
    }
    for (AutoCloseable resource : owned) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("Scheduler {} could not close {}", id, resource, e);
      }
    }
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank()
        ? t.getClass().getName()
        : t.getClass().getSimpleName() + ": " + message;
  }

  /** {@code 2 h 10 min}, {@code 45 s}, {@code 120 ms}. */
  static String human(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 1) {
      return d.toMillis() + " ms";
    }
    if (seconds < 60) {
      return seconds + " s";
    }
    long hours = seconds / 3600;
    long minutes = (seconds % 3600) / 60;
    if (hours == 0) {
      return minutes + " min";
    }
    return minutes == 0 ? hours + " h" : hours + " h " + minutes + " min";
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Builds a {@link DefaultScheduler}. Not thread-safe. Only the schedule (or a config) and the
   * cycle runner are required.
   */
  public static final class Builder {
    private String id = "default";
    private Schedule schedule;
    private Constraints constraints = Constraints.none();
    private Duration timeBudget = Duration.ofSeconds(OrchestrationConfig.DEFAULT_TIME_BUDGET_SEC);
    private CycleRunner runner;
    private TimeSource time;
    private RandomGenerator random;
    private KeepAwake keepAwake = KeepAwake.noop();
    private SchedulerStateStore store;
    private ConstraintGate gate;
    private final List<ConstraintCheckerProvider> providers = new ArrayList<>();
    private ProviderLoader providerLoader = ProviderLoader.standard();
    private Executor cycleExecutor;
    private Duration lateTolerance = DEFAULT_LATE_TOLERANCE;
    private boolean shutdownHook = true;
    private final List<SchedulerListener> listeners = new ArrayList<>();
    private final List<AutoCloseable> ownedResources = new ArrayList<>();

    private Builder() {}

    /** Takes the id, schedule, constraints and time budget from a configuration. */
    public Builder config(OrchestrationConfig config) {
      id = config.id();
      schedule = config.schedule();
      constraints = config.constraints();
      timeBudget = Duration.ofSeconds(config.timeBudgetSec());
      return this;
    }

    /** The scheduler's id (the config's id): names its state in the store and its threads. */
    public Builder id(String value) {
      id = Objects.requireNonNull(value, "id");
      return this;
    }

    /** When cycles run. Required unless {@link #config} is given. */
    public Builder schedule(Schedule value) {
      schedule = Objects.requireNonNull(value, "schedule");
      return this;
    }

    /** What the machine must satisfy before a cycle; none by default. */
    public Builder constraints(Constraints value) {
      constraints = Objects.requireNonNull(value, "constraints");
      return this;
    }

    /** How long a cycle may run (its context's deadline); 30 minutes by default. */
    public Builder timeBudget(Duration value) {
      timeBudget = Objects.requireNonNull(value, "timeBudget");
      return this;
    }

    /** The work each cycle does. Required. */
    public Builder cycleRunner(CycleRunner value) {
      runner = Objects.requireNonNull(value, "cycleRunner");
      return this;
    }

    /**
     * The clock and timer. By default a {@link SystemTimeSource} of the scheduler's own, closed
     * when it stops.
     */
    public Builder timeSource(TimeSource value) {
      time = Objects.requireNonNull(value, "timeSource");
      return this;
    }

    /** Where jitter comes from; {@link RandomGenerator#getDefault()} by default. */
    public Builder random(RandomGenerator value) {
      random = Objects.requireNonNull(value, "random");
      return this;
    }

    /** What keeps the machine awake during a cycle; {@link KeepAwake#noop()} by default. */
    public Builder keepAwake(KeepAwake value) {
      keepAwake = Objects.requireNonNull(value, "keepAwake");
      return this;
    }

    /**
     * Where the snapshot and cycle history are kept. By default in this process only, which does
     * not survive a restart.
     */
    public Builder stateStore(SchedulerStateStore value) {
      store = Objects.requireNonNull(value, "stateStore");
      return this;
    }

    /**
     * A ready gate, instead of one built from the constraints; the caller closes it. For control
     * over where checkers run. The re-check interval still comes from {@link #constraints}.
     */
    public Builder constraintGate(ConstraintGate value) {
      gate = Objects.requireNonNull(value, "constraintGate");
      return this;
    }

    /** Registers a constraint checker provider; it wins over discovered ones of its name. */
    public Builder constraintProvider(ConstraintCheckerProvider value) {
      providers.add(Objects.requireNonNull(value, "constraintProvider"));
      return this;
    }

    /** Where constraint checker providers are discovered; {@link ProviderLoader#standard()}. */
    public Builder providerLoader(ProviderLoader value) {
      providerLoader = Objects.requireNonNull(value, "providerLoader");
      return this;
    }

    /**
     * Where cycles (and the constraint checks before them) run. By default one daemon thread of the
     * scheduler's own. {@code Runnable::run} runs them on the thread that fires the timer: with a
     * manual time source, fully deterministic.
     */
    public Builder cycleExecutor(Executor value) {
      cycleExecutor = Objects.requireNonNull(value, "cycleExecutor");
      return this;
    }

    /**
     * How late a wake may be before its occurrence counts as missed (the machine slept through it);
     * 2 minutes by default, more than the system time source's wake-up re-check.
     */
    public Builder lateTolerance(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("lateTolerance < 0");
      }
      lateTolerance = value;
      return this;
    }

    /** Whether to release keep-awake from a JVM shutdown hook; on by default. */
    public Builder shutdownHook(boolean value) {
      shutdownHook = value;
      return this;
    }

    /** Subscribes a listener from the start, so it sees the first events. */
    public Builder listener(SchedulerListener value) {
      listeners.add(Objects.requireNonNull(value, "listener"));
      return this;
    }

    /**
     * Builds the scheduler; it does nothing until {@link DefaultScheduler#start()}.
     *
     * @throws ConfigException if the cron expression is invalid or never fires inside the window,
     *     or a configured constraint has no provider
     */
    public DefaultScheduler build() {
      Objects.requireNonNull(schedule, "schedule (or config) is required");
      Objects.requireNonNull(runner, "cycleRunner is required");
      ScheduleTimes times = ScheduleTimes.of(schedule);
      ownedResources.clear();
      TimeSource clock = time;
      if (clock == null) {
        SystemTimeSource system = SystemTimeSource.create();
        ownedResources.add(system);
        clock = system;
      }
      try {
        Instant now = clock.instant();
        Optional<Occurrence> first = times.next(now);
        if (first.isEmpty()) {
          throw new ConfigException(
              null,
              List.of(
                  new ConfigProblem(
                      "/schedule/expression",
                      "'"
                          + schedule.expression()
                          + "' never fires inside the window "
                          + times.windowStart().map(Object::toString).orElse("")
                          + "-"
                          + times.windowEnd().map(Object::toString).orElse(""))));
        }
        warnIfJitterSpansOccurrences(times, first.get());
        ConstraintGate checkGate = gate;
        if (checkGate == null) {
          checkGate =
              ConstraintGate.builder(constraints)
                  .register(providers)
                  .providerLoader(providerLoader)
                  .timeSource(clock)
                  .build();
          ownedResources.add(checkGate);
        }
        return new DefaultScheduler(this, times, checkGate, clock);
      } catch (RuntimeException e) {
        for (AutoCloseable r : ownedResources) {
          try {
            r.close();
          } catch (Exception suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw e;
      }
    }

    private void warnIfJitterSpansOccurrences(ScheduleTimes times, Occurrence first) {
      if (schedule.jitterMs() <= 0) {
        return;
      }
      times
          .next(first.at())
          .map(second -> Duration.between(first.at(), second.at()))
          .filter(gap -> gap.toMillis() <= schedule.jitterMs())
          .ifPresent(
              gap ->
                  LOG.warn(
                      "Scheduler {}: a jitter of up to {} ms is not shorter than the {} between"
                          + " occurrences; a late wake can overtake the next occurrence",
                      id,
                      schedule.jitterMs(),
                      human(gap)));
    }
  }
}
