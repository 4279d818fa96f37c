package dev.overnight.core.schedule;

import dev.overnight.api.Cancellable;
import dev.overnight.api.TimeSource;
import dev.overnight.api.config.MissedRunPolicy;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.api.schedule.WakeReceipt;
import dev.overnight.core.schedule.MissedRuns.Candidate;
import dev.overnight.core.schedule.MissedRuns.CatchUp;
import dev.overnight.core.schedule.MissedRuns.Outcome;
import dev.overnight.core.schedule.MissedRuns.Situation;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a scheduler has planned and what it owes, and the {@link SchedulerState} that follows: the
 * next wake and its timer, the occurrence due, constraints holding it back and the re-check timer,
 * a user's pause, an owed catch-up, the running cycle. It applies the {@link MissedRuns} rules,
 * tells the {@link SchedulerJournal} what happened, and saves the snapshot after every change.
 *
 * <p>Not thread-safe: {@link DefaultScheduler} calls every method with its lock held. The timers'
 * actions call back into the scheduler, which takes the lock before coming back here.
 */
final class Agenda {
  private static final Logger LOG = LoggerFactory.getLogger(Agenda.class);

  /** Missed occurrences enumerated per batch (after a long sleep with a per-minute schedule). */
  static final int MAX_ENUMERATED = 20_000;

  private final String id;
  private final ScheduleTimes times;
  private final MissedRuns missedRuns;
  private final long jitterMs;
  private final Duration budget;
  private final Duration recheckInterval;
  private final TimeSource time;
  private final RandomGenerator random;
  private final SchedulerJournal journal;
  private final Consumer<WakePlan> onWake;
  private final Runnable onRetry;

  private SchedulerState state = new SchedulerState.Idle();
  private boolean started;
  private boolean stopped;
  private Instant cursor;
  private WakePlan plan;
  private Cancellable wakeTimer;
  private Cancellable retryTimer;
  private Occurrence due;
  private boolean recheckDue;
  private Hold hold;
  private String userPause;
  private CatchUp catchUp;
  private RunningCycle running;
  private final SystemWakes systemWakes;

  /** Constraints hold the due occurrence (or an owed catch-up) back until {@code retryAt}. */
  private record Hold(String reason, Instant retryAt) {}

  /**
   * An agenda on {@code parts}' schedule and clock, telling {@code journal}.
   *
   * @param onWake called by the wake timer with the plan it was armed for
   * @param onRetry called by the re-check timer
   */
  Agenda(
      SchedulerParts parts, SchedulerJournal journal, Consumer<WakePlan> onWake, Runnable onRetry) {
    this.id = parts.id();
    this.times = parts.times();
    this.missedRuns = parts.missedRuns();
    this.jitterMs = parts.jitterMs();
    this.budget = parts.timeBudget();
    this.recheckInterval = parts.recheckInterval();
    this.time = parts.time();
    this.random = parts.random();
    this.journal = journal;
    this.onWake = onWake;
    this.onRetry = onRetry;
    this.systemWakes = parts.systemWakes();
  }

  SchedulerState state() {
    return state;
  }

  boolean started() {
    return started;
  }

  boolean stopped() {
    return stopped;
  }

  Optional<Instant> nextWake() {
    return started && !stopped && plan != null ? Optional.of(plan.wakeAt()) : Optional.empty();
  }

  // ---------------------------------------------------------------------------------------------
  // Transitions

  /** Reads what an earlier run left, accounts for what came due meanwhile, and plans a wake. */
  void start(Instant now) {
    started = true;
    restore(now);
    planNext();
    settle(now);
    LOG.info(
        "Scheduler {} started: {}, jitter up to {} ms, missed runs: {}; next wake {}",
        id,
        times,
        jitterMs,
        missedRuns.policy().jsonName(),
        plan == null ? "none" : plan.wakeAt());
  }

  /** Stops for good: no more timers. Returns the cycle still running, which the caller cancels. */
  Optional<RunningCycle> stop(Instant now) {
    stopped = true;
    cancelTimers();
    if (started) {
      persist(now);
    }
    refreshState(now);
    return Optional.ofNullable(running);
  }

  /** A user paused: what is due is missed, and nothing runs on schedule until {@link #resume}. */
  void pause(String reason, Instant now) {
    boolean already = userPause != null;
    if (due != null) {
      apply(missedRuns.paused(situation(), reason), now);
    }
    userPause = reason;
    hold = null;
    if (started && !already) {
      journal.emit(new SchedulerEvent.Paused(now, reason, pausedRetryAt(now)));
    }
    settle(now);
    LOG.info("Scheduler {} paused: {}", id, reason);
  }

  /** Ends a user's pause; false if there was none. */
  boolean resume(Instant now) {
    if (userPause == null) {
      return false;
    }
    userPause = null;
    if (started) {
      journal.emit(new SchedulerEvent.Resumed(now));
    }
    settle(now);
    LOG.info("Scheduler {} resumed", id);
    return true;
  }

  /**
   * The wake timer fired for {@code fired}: accounts for what came due and plans the next wake.
   * False if that plan is no longer current. The caller settles afterwards.
   */
  boolean wake(WakePlan fired, Instant now) {
    if (stopped || plan != fired) {
      return false;
    }
    wakeTimer = null;
    journal.newBatch();
    comeDue(now, SkipReason.MACHINE_ASLEEP);
    planNext();
    return true;
  }

  /** The re-check timer fired: drops a held occurrence whose window closed; checks again. */
  void retry(Instant now) {
    retryTimer = null;
    if (due != null) {
      apply(missedRuns.recheck(situation(), times.windowEnd(due), now), now);
    }
    recheckDue = true;
    settle(now);
  }

  /**
   * Whether a scheduled cycle should be tried now (its constraints checked): something may run and
   * constraints are not holding it back, or their re-check is due.
   */
  boolean claimCycle(Instant now) {
    if (!started || stopped || userPause != null || candidate(now).isEmpty()) {
      return false;
    }
    if (hold != null && !recheckDue) {
      return false;
    }
    recheckDue = false;
    return true;
  }

  /** What a scheduled cycle would run now, unless stopped or paused by a user. */
  Optional<Candidate> nextCycle(Instant now) {
    return stopped || userPause != null ? Optional.empty() : candidate(now);
  }

  /** Systems wakes, for the scheduler's worker: what may defer a due wake. */
  SystemWakes systemWakes() {
    return systemWakes;
  }

  /** Constraints failed: holds what may run back and re-checks later. */
  void holdBack(String reason, Instant now) {
    Instant retryAt = now.plus(recheckInterval);
    Optional<Instant> end = due != null ? times.windowEnd(due) : times.windowEndAt(now);
    if (end.isPresent() && end.get().isBefore(retryAt)) {
      retryAt = end.get();
    }
    boolean entering = hold == null;
    hold = new Hold(reason, retryAt);
    if (entering) {
      journal.emit(new SchedulerEvent.Paused(now, reason, retryAt));
      LOG.info("Scheduler {} paused: {}; checking again at {}", id, reason, retryAt);
    }
    settle(now);
  }

  /** A cycle a caller asked for now: it serves what is due, or runs as of now. */
  RunningCycle beginNow(Instant now) {
    Occurrence occurrence =
        due != null ? due : new Occurrence(LocalDateTime.ofInstant(now, times.zone()), now);
    return begin(new Candidate(occurrence, catchUp != null), now);
  }

  /** Starts the bookkeeping of a cycle that is about to run. */
  RunningCycle begin(Candidate next, Instant now) {
    if (hold != null) {
      hold = null;
      journal.emit(new SchedulerEvent.Resumed(now));
    }
    due = null;
    catchUp = null;
    RunningCycle cycle =
        new RunningCycle(
            journal.cycleStarting(now),
            next.occurrence().at(),
            now,
            now.plus(budget),
            next.catchUp());
    running = cycle;
    journal.emit(
        new SchedulerEvent.CycleStarted(now, cycle.cycleId(), cycle.plannedAt(), cycle.catchUp()));
    LOG.info("Scheduler {} starting {}", id, cycle);
    settle(now);
    return cycle;
  }

  /** A cycle ended, {@code failure} if it threw. */
  void finished(RunningCycle cycle, Optional<Throwable> failure, Instant now) {
    if (running == cycle) {
      running = null;
    }
    journal.cycleFinished(cycle, failure, budget, now);
    settle(now);
  }

  /**
   * After any change: drops a hold with nothing left to hold, arms the re-check, saves (unless told
   * not to), and publishes the state.
   */
  void settle(Instant now) {
    settle(now, true);
  }

  void settle(Instant now, boolean save) {
    if (hold != null && candidate(now).isEmpty()) {
      hold = null;
      journal.emit(new SchedulerEvent.Resumed(now));
    }
    armRetry(now);
    if (started && save) {
      persist(now);
    }
    refreshState(now);
  }

  // ---------------------------------------------------------------------------------------------
  // Occurrences

  private void restore(Instant now) {
    Optional<SchedulerSnapshot> snapshot = journal.restore();
    if (snapshot.isEmpty()) {
      cursor = now;
      return;
    }
    SchedulerSnapshot s = snapshot.get();
    catchUp = missedRuns.restored(s.catchUpPending()).orElse(null);
    cursor = s.lastPlannedAt().orElse(s.savedAt());
    journal.newBatch();
    comeDue(now, SkipReason.PROCESS_DOWN);
  }

  /** Accounts for every occurrence that came due since the cursor. */
  private void comeDue(Instant now, SkipReason lateReason) {
    List<Occurrence> came = times.between(cursor, now, MAX_ENUMERATED);
    boolean more =
        came.size() == MAX_ENUMERATED
            && times
                .next(came.get(came.size() - 1).at())
                .filter(o -> !o.at().isAfter(now))
                .isPresent();
    if (more) {
      LOG.warn(
          "Scheduler {}: more than {} occurrences were missed; counted up to {}",
          id,
          MAX_ENUMERATED,
          came.get(came.size() - 1).at());
    }
    apply(
        missedRuns.comeDue(situation(), came, more, now, Optional.ofNullable(plan), lateReason),
        now);
  }

  private Situation situation() {
    return new Situation(
        cursor,
        Optional.ofNullable(due),
        Optional.ofNullable(hold).map(Hold::reason),
        Optional.ofNullable(running).map(RunningCycle::cycleId),
        Optional.ofNullable(userPause),
        Optional.ofNullable(catchUp));
  }

  private void apply(Outcome outcome, Instant now) {
    boolean catchUps = missedRuns.policy() == MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY;
    outcome
        .missed()
        .forEach(
            m -> {
              boolean owed = catchUps && m.owesCatchUp();
              Optional<WakeReceipt> sleptThrough =
                  m.reason() == SkipReason.MACHINE_ASLEEP
                      ? systemWakes.sleptThrough(m.occurrence().at(), owed)
                      : Optional.empty();
              journal.missed(m, owed, sleptThrough, now);
            });
    cursor = outcome.cursor();
    due = outcome.due().orElse(null);
    recheckDue |= outcome.freshlyDue();
    catchUp = outcome.catchUp().orElse(null);
  }

  private Optional<Candidate> candidate(Instant now) {
    return MissedRuns.next(
        Optional.ofNullable(due),
        Optional.ofNullable(catchUp),
        times.isWindowOpen(now),
        now,
        times.zone());
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
      systemWakes.planned(Optional.empty());
      return;
    }
    Occurrence o = next.get();
    long jitter = jitterMs > 0 ? random.nextLong(0, jitterMs + 1) : 0;
    WakePlan p = WakePlan.of(o, jitter, times.windowEnd(o));
    plan = p;
    wakeTimer = time.schedule(p.wakeAt(), () -> onWake.accept(p));
    systemWakes.planned(Optional.of(p));
  }

  // ---------------------------------------------------------------------------------------------
  // Timers and state

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
    } else if (catchUp != null && due == null && !times.isWindowOpen(now)) {
      Instant opens = times.nextWindowStart(now);
      if (plan == null || opens.isBefore(plan.occurrence().at())) {
        at = opens; // otherwise the next occurrence serves the catch-up
      }
    }
    if (at != null) {
      retryTimer = time.schedule(at, onRetry);
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
      journal.emit(new SchedulerEvent.StateChanged(now, previous, next));
    }
  }

  private Instant pausedRetryAt(Instant now) {
    return plan != null ? plan.wakeAt() : now;
  }

  private void persist(Instant now) {
    journal.save(cursor, Optional.ofNullable(plan).map(WakePlan::wakeAt), catchUp != null, now);
  }
}
