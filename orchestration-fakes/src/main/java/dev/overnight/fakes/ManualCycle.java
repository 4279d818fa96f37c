package dev.overnight.fakes;

import dev.overnight.api.schedule.CycleContext;
import dev.overnight.api.schedule.CycleRunner;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cycle run by hand, as a scheduler would hand it to a {@link CycleRunner} (the coordinator): on
 * the calling thread when its agents never hang, or on a thread of its own so a test can move
 * virtual time while it works, then cancel it as a stopping scheduler does. Records the runner's
 * notes.
 *
 * <p>Thread-safe. {@link #awaitEnd()} blocks up to {@link #SAFETY_NET}, a bound against a hung test
 * rather than a speed check, and reports a failure as an {@link AssertionError}.
 *
 * @since 0.1.0
 */
public final class ManualCycle implements CycleContext {
  /** How long {@link #awaitEnd()} waits for a cycle at most. */
  public static final Duration SAFETY_NET = Duration.ofSeconds(60);

  private final String id;
  private final Instant startedAt;
  private final Instant deadline;
  private final List<Runnable> onCancel = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private boolean cancelled;
  private WakeReceipt idle;

  /** A cycle planned and started at {@code startedAt}, to end by {@code deadline}. */
  public ManualCycle(String id, Instant startedAt, Instant deadline) {
    this.id = id;
    this.startedAt = startedAt;
    this.deadline = deadline;
  }

  /** Runs {@code runner} on the calling thread; returns when the cycle has. */
  public ManualCycle runOn(CycleRunner runner) {
    try {
      runner.runCycle(this);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(id + " failed", e);
    }
    done.complete(null);
    return this;
  }

  /** Runs {@code runner} on a new thread; {@link #awaitEnd()} waits for it. */
  public ManualCycle start(CycleRunner runner) {
    Thread t =
        new Thread(
            () -> {
              try {
                runner.runCycle(this);
                done.complete(null);
              } catch (Throwable e) {
                done.completeExceptionally(e);
              }
            },
            "cycle-runner-" + id);
    t.setDaemon(true);
    t.start();
    return this;
  }

  /** Waits until the cycle has returned, rethrowing its failure. */
  public void awaitEnd() {
    try {
      done.get(SAFETY_NET.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(id + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(id + " did not end within " + SAFETY_NET, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Whether the cycle has returned. */
  public boolean ended() {
    return done.isDone();
  }

  /** Cancels the cycle, as a stopping scheduler does. */
  public void cancel() {
    List<Runnable> actions;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      actions = List.copyOf(onCancel);
    }
    actions.forEach(Runnable::run);
  }

  @Override
  public synchronized void note(String text) {
    notes.add(text);
  }

  @Override
  public synchronized void nothingStarted(WakeReason reason, String detail) {
    idle = WakeReceipt.skipped(reason, detail);
  }

  /** The receipt the runner asked for when it started no work; empty when it said nothing. */
  public synchronized Optional<WakeReceipt> nothingStarted() {
    return Optional.ofNullable(idle);
  }

  /** The notes the runner left on the cycle. */
  public synchronized List<String> notes() {
    return List.copyOf(notes);
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
    action.run();
  }
}
