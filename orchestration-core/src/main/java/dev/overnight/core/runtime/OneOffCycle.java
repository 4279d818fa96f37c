package dev.overnight.core.runtime;

import dev.overnight.api.schedule.CycleContext;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The context of a cycle outside the schedule: run by hand ({@code overnight once}), or a round of
 * follow-ups in the day. Thread-safe.
 */
final class OneOffCycle implements CycleContext {
  private final String id;
  private final Instant startedAt;
  private final Instant deadline;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
  private final List<String> notes = new CopyOnWriteArrayList<>();
  private final AtomicReference<WakeReceipt> idle = new AtomicReference<>();

  OneOffCycle(String id, Instant startedAt, Instant deadline) {
    this.id = id;
    this.startedAt = startedAt;
    this.deadline = deadline;
  }

  @Override
  public String cycleId() {
    return id;
  }

  @Override
  public Instant plannedAt() {
    return startedAt;
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public boolean catchUp() {
    return false;
  }

  @Override
  public boolean isCancelled() {
    return cancelled.get();
  }

  @Override
  public void onCancel(Runnable action) {
    onCancel.add(action);
    if (cancelled.get()) {
      action.run();
    }
  }

  @Override
  public void note(String text) {
    notes.add(text.replace('\n', ' ').strip());
  }

  @Override
  public void nothingStarted(WakeReason reason, String detail) {
    idle.set(WakeReceipt.skipped(reason, detail.replace('\n', ' ').strip()));
  }

  /**
   * This cycle as the cycle history keeps it, ended at {@code endedAt} ({@code failure} if it
   * threw), under {@code schedulerId}.
   */
  CycleRecord record(String schedulerId, Instant endedAt, Optional<Throwable> failure) {
    CycleOutcome outcome =
        failure.isPresent()
            ? CycleOutcome.FAILED
            : isCancelled() ? CycleOutcome.CANCELLED : CycleOutcome.COMPLETED;
    List<String> all = new ArrayList<>();
    failure.ifPresent(e -> all.add(String.valueOf(e.getMessage())));
    all.addAll(notes);
    return new CycleRecord(
        id,
        schedulerId,
        startedAt,
        Optional.of(startedAt),
        Optional.of(endedAt),
        outcome,
        Optional.empty(),
        all,
        false,
        outcome == CycleOutcome.COMPLETED
            ? Optional.ofNullable(idle.get()).orElseGet(WakeReceipt::fired)
            : WakeReceipt.fired());
  }

  void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      onCancel.forEach(Runnable::run);
    }
  }
}
