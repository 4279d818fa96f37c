package dev.overnight.core.schedule;

import dev.overnight.api.Subscription;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerListener;
import dev.overnight.api.schedule.SchedulerMetrics;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import dev.overnight.core.event.Listeners;
import dev.overnight.core.schedule.MissedRuns.Missed;
import dev.overnight.core.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a scheduler tells the world, and the counts behind its metrics: events to its listeners, its
 * snapshot and cycle records to its state store, and log lines. A listener or store that fails is
 * logged and never stops the night.
 *
 * <p>Not thread-safe: the scheduler calls it with its lock held. Only {@link #subscribe} may be
 * called from any thread. Listeners and the store run on the calling thread, so they block it.
 */
final class SchedulerJournal {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerJournal.class);

  /**
   * Missed occurrences reported one by one (event, record, log line) per batch; more are summed.
   */
  static final int MAX_REPORTED = 100;

  private final String schedulerId;
  private final SchedulerStateStore store;
  private final Listeners<SchedulerEvent> listeners = new Listeners<>("scheduler");
  private long cycleCount;
  private Instant lastRunAt;
  private final EnumMap<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
  private Duration totalCycleTime = Duration.ZERO;
  private int reportedInBatch;

  SchedulerJournal(
      String schedulerId, SchedulerStateStore store, List<SchedulerListener> listeners) {
    this.schedulerId = schedulerId;
    this.store = store;
    listeners.forEach(this::subscribe);
  }

  Subscription subscribe(SchedulerListener listener) {
    return this.listeners.subscribe(listener::onEvent);
  }

  void emit(SchedulerEvent event) {
    listeners.publish(event);
  }

  /** The snapshot an earlier run saved, taking over its counts; empty if none or unreadable. */
  Optional<SchedulerSnapshot> restore() {
    Optional<SchedulerSnapshot> snapshot;
    try {
      snapshot = store.load(schedulerId);
    } catch (RuntimeException e) {
      LOG.error("Scheduler {} could not read its saved state; starting fresh", schedulerId, e);
      return Optional.empty();
    }
    snapshot.ifPresent(
        s -> {
          cycleCount = s.cycleCount();
          lastRunAt = s.lastRunAt().orElse(null);
        });
    return snapshot;
  }

  void save(Instant cursor, Optional<Instant> nextWake, boolean catchUpOwed, Instant now) {
    try {
      store.save(
          new SchedulerSnapshot(
              schedulerId,
              Optional.ofNullable(lastRunAt),
              Optional.ofNullable(cursor),
              nextWake,
              catchUpOwed,
              cycleCount,
              now));
    } catch (RuntimeException e) {
      LOG.error("Scheduler {} could not save its state", schedulerId, e);
    }
  }

  /** Starts a new batch of missed occurrences: the next {@value #MAX_REPORTED} are reported. */
  void newBatch() {
    reportedInBatch = 0;
  }

  /**
   * Counts a missed occurrence and, within the batch's limit, reports it; its receipt reads
   * deferred when a catch-up cycle makes up for it ({@code owed}), skipped otherwise. {@code
   * receipt}, when given, says more than the skip reason (a system wake that failed).
   */
  void missed(Missed missed, boolean owed, Optional<WakeReceipt> receipt, Instant now) {
    skipped.merge(missed.reason(), 1L, Long::sum);
    reportedInBatch++;
    if (reportedInBatch > MAX_REPORTED) {
      if (reportedInBatch == MAX_REPORTED + 1) {
        LOG.info("Scheduler {}: more occurrences skipped; only counting them now", schedulerId);
      }
      return;
    }
    Instant plannedAt = missed.occurrence().at();
    LOG.info(
        "Scheduler {} skipped the cycle planned at {}: {} ({})",
        schedulerId,
        plannedAt,
        missed.reason().key(),
        missed.detail());
    record(
        new CycleRecord(
            "skip-" + plannedAt,
            schedulerId,
            plannedAt,
            Optional.empty(),
            Optional.empty(),
            CycleOutcome.SKIPPED,
            Optional.of(missed.reason()),
            List.of(missed.detail()),
            false,
            receipt.orElseGet(
                () ->
                    owed
                        ? WakeReceipt.deferred(WakeReason.of(missed.reason()), missed.detail())
                        : WakeReceipt.skipped(WakeReason.of(missed.reason()), missed.detail()))));
    // After the record, so a listener reading the history sees the skip.
    emit(new SchedulerEvent.CycleSkipped(now, plannedAt, missed.reason(), missed.detail()));
  }

  /**
   * Records that the due wake for the occurrence at {@code plannedAt} was deferred, because sleep
   * would cut it; {@code deferral} names why. The occurrence stays due and runs when the reason
   * clears inside its window.
   */
  void deferred(Instant plannedAt, WakeReceipt deferral, Instant now) {
    String reason = deferral.reason().map(WakeReason::key).orElse("deferred");
    LOG.info(
        "Scheduler {} deferred the cycle planned at {}: {} ({})",
        schedulerId,
        plannedAt,
        reason,
        deferral.detail());
    record(
        new CycleRecord(
            "defer-" + plannedAt + "-" + reason,
            schedulerId,
            plannedAt,
            Optional.empty(),
            Optional.empty(),
            CycleOutcome.SKIPPED,
            Optional.of(SkipReason.CONSTRAINTS_UNSATISFIED),
            List.of(deferral.detail()),
            false,
            deferral));
  }

  /** Counts a cycle starting now and returns its id. */
  String cycleStarting(Instant now) {
    cycleCount++;
    lastRunAt = now;
    return "cycle-" + cycleCount;
  }

  /** Accounts for a cycle that ended now: its time, its record, its event. */
  void cycleFinished(
      RunningCycle cycle, Optional<Throwable> failure, Duration budget, Instant now) {
    Duration took = Duration.between(cycle.startedAt(), now);
    if (took.isNegative()) {
      took = Duration.ZERO;
    }
    totalCycleTime = totalCycleTime.plus(took);
    CycleOutcome outcome =
        cycle.isCancelled()
            ? CycleOutcome.CANCELLED
            : failure.isPresent() ? CycleOutcome.FAILED : CycleOutcome.COMPLETED;
    Optional<String> error = failure.map(SchedulerJournal::describe);
    // The outcome and the times say the rest; the notes say what they cannot.
    List<String> notes = new ArrayList<>();
    switch (outcome) {
      case CANCELLED -> notes.add("the scheduler stopped");
      case FAILED -> notes.add(error.orElse("failed"));
      default -> {}
    }
    notes.addAll(cycle.notes());
    if (failure.isPresent() && outcome == CycleOutcome.FAILED) {
      LOG.warn("Scheduler {}: {} failed", schedulerId, cycle, failure.get());
    } else {
      LOG.info("Scheduler {}: {} {} after {}", schedulerId, cycle, outcome, Durations.human(took));
    }
    if (now.isAfter(cycle.deadline())) {
      LOG.warn(
          "Scheduler {}: {} overran its time budget of {}",
          schedulerId,
          cycle,
          Durations.human(budget));
    }
    record(
        new CycleRecord(
            cycle.cycleId(),
            schedulerId,
            cycle.plannedAt(),
            Optional.of(cycle.startedAt()),
            Optional.of(now),
            outcome,
            Optional.empty(),
            notes,
            cycle.catchUp(),
            outcome == CycleOutcome.COMPLETED
                ? cycle.nothingStarted().orElseGet(WakeReceipt::fired)
                : WakeReceipt.fired()));
    emit(new SchedulerEvent.CycleFinished(now, cycle.cycleId(), took, error));
  }

  SchedulerMetrics metrics(SchedulerState state, Instant now) {
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
  }

  private void record(CycleRecord cycle) {
    try {
      store.record(cycle);
    } catch (RuntimeException e) {
      LOG.error("Scheduler {} could not record {}", schedulerId, cycle.cycleId(), e);
    }
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank()
        ? t.getClass().getName()
        : t.getClass().getSimpleName() + ": " + message;
  }
}
