package dev.overnight.core.schedule;

import dev.overnight.api.TimeSource;
import dev.overnight.api.schedule.CycleRunner;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import dev.overnight.core.schedule.MissedRuns.Candidate;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a scheduler's cycles one at a time on its cycle executor: checks the constraints, begins the
 * cycle on the {@link Agenda} (or holds it back), runs it, reports its end, and goes on while more
 * may run. At most one worker is active; claiming it is what keeps two cycles from overlapping.
 *
 * <p>Shares the scheduler's lock, which guards the agenda and whether a worker is active. The
 * constraint check and the cycle itself run without it. When the scheduler has stopped and the
 * worker ends, {@code onIdleAfterStop} releases the scheduler's resources.
 */
final class CycleWorker {
  private static final Logger LOG = LoggerFactory.getLogger(CycleWorker.class);

  private final String id;
  private final ReentrantLock lock;
  private final Agenda agenda;
  private final SchedulerJournal journal;
  private final ConstraintGate gate;
  private final CycleRunner runner;
  private final Executor executor;
  private final TimeSource time;
  private final Runnable onIdleAfterStop;
  private boolean active; // guarded by lock
  private Instant deferredAt; // guarded by lock: the occurrence last deferred
  private Optional<WakeReason> deferredFor = Optional.empty(); // guarded by lock

  CycleWorker(
      SchedulerParts parts,
      ReentrantLock lock,
      Agenda agenda,
      SchedulerJournal journal,
      Runnable onIdleAfterStop) {
    this.id = parts.id();
    this.lock = lock;
    this.agenda = agenda;
    this.journal = journal;
    this.gate = parts.gate();
    this.runner = parts.runner();
    this.executor = parts.cycleExecutor();
    this.time = parts.time();
    this.onIdleAfterStop = onIdleAfterStop;
  }

  /** Whether a worker is active. Called with the lock held. */
  boolean active() {
    return active;
  }

  /**
   * Claims the worker for a scheduled cycle if one should be tried now; the caller then {@link
   * #launch}es it, after releasing the lock. Called with the lock held.
   */
  boolean claim(Instant now) {
    if (active || !agenda.claimCycle(now)) {
      return false;
    }
    active = true;
    return true;
  }

  /**
   * Checks the constraints on the calling thread and, if they pass, launches one cycle now, outside
   * the schedule. False if stopped, a cycle runs, or the constraints fail.
   */
  boolean runNow() {
    boolean claimed =
        locked(
            () -> {
              if (agenda.stopped() || active) {
                return false;
              }
              active = true;
              return true;
            });
    if (!claimed) {
      return false;
    }
    ConstraintGateResult result;
    try {
      result = gate.check();
    } catch (RuntimeException | Error e) {
      end();
      throw e;
    }
    RunningCycle cycle =
        locked(
            () -> {
              Instant now = time.instant();
              journal.emit(
                  new SchedulerEvent.ConstraintsChecked(now, result.results(), result.satisfied()));
              if (!result.satisfied()) {
                LOG.info("Not running a cycle now: {}", result.reason());
                return null;
              }
              return agenda.stopped() ? null : agenda.beginNow(now);
            });
    if (cycle == null) {
      end();
      return false;
    }
    launch(cycle);
    return true;
  }

  /** Hands the claimed worker to the executor: {@code first} if given, then what may run. */
  void launch(RunningCycle first) {
    try {
      executor.execute(() -> work(first));
    } catch (RejectedExecutionException e) {
      LOG.error("Scheduler {} could not hand a cycle to its executor", id, e);
      if (first != null) {
        finish(first, e);
      }
      end();
    }
  }

  private void work(RunningCycle first) {
    RunningCycle cycle = first;
    try {
      while (true) {
        if (cycle == null) {
          ConstraintGateResult result = gate.check();
          Optional<WakeReceipt> deferral = agenda.systemWakes().deferral();
          cycle = locked(() -> admit(result, deferral, time.instant()));
          if (cycle == null) {
            return;
          }
        }
        run(cycle);
        cycle = null;
        if (!locked(this::goOn)) {
          return;
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.error("Scheduler {} worker failed", id, e);
      end();
      throw e;
    } finally {
      if (locked(() -> agenda.stopped() && !active)) {
        onIdleAfterStop.run();
      }
    }
  }

  /**
   * After a constraint check: begins the next cycle, or ends the worker (holding back what may run
   * when the constraints fail, or when sleep would cut it: {@code deferral}). Called with the lock
   * held.
   */
  private RunningCycle admit(
      ConstraintGateResult result, Optional<WakeReceipt> deferral, Instant now) {
    journal.emit(new SchedulerEvent.ConstraintsChecked(now, result.results(), result.satisfied()));
    Optional<Candidate> next = agenda.nextCycle(now);
    if (next.isEmpty()) {
      active = false;
      agenda.settle(now);
      return null;
    }
    if (deferral.isPresent()) {
      Instant plannedAt = next.get().occurrence().at();
      WakeReceipt receipt = deferral.get();
      // One receipt per occurrence and reason, not one per re-check.
      if (!plannedAt.equals(deferredAt) || !receipt.reason().equals(deferredFor)) {
        deferredAt = plannedAt;
        deferredFor = receipt.reason();
        journal.deferred(plannedAt, receipt, now);
      }
      agenda.holdBack(receipt.words() + " (" + receipt.detail() + ")", now);
      active = false;
      return null;
    }
    if (!result.satisfied()) {
      agenda.holdBack(result.reason(), now);
      active = false;
      return null;
    }
    return agenda.begin(next.get(), now);
  }

  /** After a cycle: whether another may run; ends the worker if not. Called with the lock held. */
  private boolean goOn() {
    if (agenda.nextCycle(time.instant()).isEmpty()) {
      active = false;
      return false;
    }
    return true;
  }

  private void run(RunningCycle cycle) {
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
      finish(cycle, failure);
    }
  }

  private void finish(RunningCycle cycle, Throwable failure) {
    lock.lock();
    try {
      agenda.finished(cycle, Optional.ofNullable(failure), time.instant());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends a worker that stopped early; releases the resources if the scheduler stopped meanwhile.
   */
  private void end() {
    boolean stopped =
        locked(
            () -> {
              active = false;
              return agenda.stopped();
            });
    if (stopped) {
      onIdleAfterStop.run();
    }
  }

  private <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }
}
