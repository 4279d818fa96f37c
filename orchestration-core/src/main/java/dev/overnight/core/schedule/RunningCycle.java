package dev.overnight.core.schedule;

import dev.overnight.api.schedule.CycleContext;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The context of one cycle: its times, and the cancellation the scheduler signals on stop. */
final class RunningCycle implements CycleContext {
  private static final Logger LOG = LoggerFactory.getLogger(RunningCycle.class);

  private final String cycleId;
  private final Instant plannedAt;
  private final Instant startedAt;
  private final Instant deadline;
  private final boolean catchUp;
  private final List<Runnable> onCancel = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private boolean cancelled;
  private WakeReceipt idle; // guarded by this

  RunningCycle(
      String cycleId, Instant plannedAt, Instant startedAt, Instant deadline, boolean catchUp) {
    this.cycleId = cycleId;
    this.plannedAt = plannedAt;
    this.startedAt = startedAt;
    this.deadline = deadline;
    this.catchUp = catchUp;
  }

  @Override
  public String cycleId() {
    return cycleId;
  }

  @Override
  public Instant plannedAt() {
    return plannedAt;
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
    return catchUp;
  }

  @Override
  public synchronized boolean isCancelled() {
    return cancelled;
  }

  @Override
  public void onCancel(Runnable action) {
    synchronized (this) {
      if (!cancelled) {
        onCancel.add(action);
        return;
      }
    }
    runQuietly(action);
  }

  @Override
  public synchronized void note(String text) {
    notes.add(Objects.requireNonNull(text, "text").replace('\n', ' ').strip());
  }

  @Override
  public synchronized void nothingStarted(WakeReason reason, String detail) {
    idle =
        WakeReceipt.skipped(
            Objects.requireNonNull(reason, "reason"),
            Objects.requireNonNull(detail, "detail").replace('\n', ' ').strip());
  }

  /** The receipt of a cycle that started no work, if the runner said so. */
  synchronized Optional<WakeReceipt> nothingStarted() {
    return Optional.ofNullable(idle);
  }

  /** The notes the runner added, in order. */
  synchronized List<String> notes() {
    return List.copyOf(notes);
  }

  /** Cancels the cycle and runs the registered actions on this thread. Idempotent. */
  void cancel() {
    List<Runnable> actions;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      actions = List.copyOf(onCancel);
      onCancel.clear();
    }
    actions.forEach(RunningCycle::runQuietly);
  }

  private static void runQuietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("A cycle's cancel action failed", e);
    }
  }

  @Override
  public String toString() {
    return cycleId + " (planned " + plannedAt + (catchUp ? ", catch-up)" : ")");
  }
}
