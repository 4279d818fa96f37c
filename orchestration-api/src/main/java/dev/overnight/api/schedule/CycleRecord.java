package dev.overnight.api.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One planned cycle in the history: ran or skipped, when, and why. The morning report and the
 * dashboard read these.
 *
 * @param cycleId the cycle's id (skipped cycles get one too)
 * @param schedulerId the scheduler (the config's id)
 * @param plannedAt the cron time it was planned for
 * @param startedAt when it started, if it ran
 * @param finishedAt when it ended, if it ran and ended
 * @param outcome how it ended
 * @param skipReason why it did not run, for {@link CycleOutcome#SKIPPED}
 * @param notes what else is worth knowing, in words, one note each: why it was skipped, the error
 *     that failed it, what stopped it, what the cycle runner said it did
 * @param catchUp whether it was a catch-up cycle
 * @param receipt what became of the wake: fired, skipped or deferred, and why. A cycle that ran can
 *     still be skipped, when it started no work (no work, the night's limit, every agent parked); a
 *     skipped occurrence is deferred when a catch-up makes up for it
 * @since 0.1.0
 */
public record CycleRecord(
    String cycleId,
    String schedulerId,
    Instant plannedAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    CycleOutcome outcome,
    Optional<SkipReason> skipReason,
    List<String> notes,
    boolean catchUp,
    WakeReceipt receipt) {

  /** Validates and copies the components. */
  public CycleRecord {
    Objects.requireNonNull(cycleId, "cycleId");
    Objects.requireNonNull(schedulerId, "schedulerId");
    Objects.requireNonNull(plannedAt, "plannedAt");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(skipReason, "skipReason");
    Objects.requireNonNull(receipt, "receipt");
    notes = List.copyOf(notes);
    if ((outcome == CycleOutcome.SKIPPED) != skipReason.isPresent()) {
      throw new IllegalArgumentException("a skip reason goes with, and only with, SKIPPED");
    }
    if (outcome == CycleOutcome.SKIPPED && receipt.isFired()) {
      throw new IllegalArgumentException("a cycle that did not run cannot have fired");
    }
  }

  /**
   * A record whose receipt follows from the rest: skipped with the skip reason (and the first note
   * as its detail) for {@link CycleOutcome#SKIPPED}, fired otherwise.
   */
  public CycleRecord(
      String cycleId,
      String schedulerId,
      Instant plannedAt,
      Optional<Instant> startedAt,
      Optional<Instant> finishedAt,
      CycleOutcome outcome,
      Optional<SkipReason> skipReason,
      List<String> notes,
      boolean catchUp) {
    this(
        cycleId,
        schedulerId,
        plannedAt,
        startedAt,
        finishedAt,
        outcome,
        skipReason,
        notes,
        catchUp,
        receiptOf(skipReason, notes));
  }

  /** This record with another receipt. */
  public CycleRecord withReceipt(WakeReceipt value) {
    return new CycleRecord(
        cycleId,
        schedulerId,
        plannedAt,
        startedAt,
        finishedAt,
        outcome,
        skipReason,
        notes,
        catchUp,
        value);
  }

  private static WakeReceipt receiptOf(Optional<SkipReason> skipReason, List<String> notes) {
    return skipReason
        .map(r -> WakeReceipt.skipped(WakeReason.of(r), notes.isEmpty() ? "" : notes.get(0)))
        .orElseGet(WakeReceipt::fired);
  }
}
