package dev.overnight.cli.e2e;

import dev.overnight.api.schedule.CycleContext;
import dev.overnight.api.schedule.CycleRunner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cycle run by hand: what the scheduler would hand the coordinator, on a thread of its own, so
 * the test thread stays free to move virtual time while the cycle works.
 */
final class TestCycle implements CycleContext {
  private final String id;
  private final Instant startedAt;
  private final Instant deadline;
  private final List<Runnable> onCancel = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private boolean cancelled;
  private CompletableFuture<Void> done;

  TestCycle(String id, Instant startedAt, Instant deadline) {
    this.id = id;
    this.startedAt = startedAt;
    this.deadline = deadline;
  }

  /** Runs {@code runner} on a new thread with this context. */
  TestCycle start(CycleRunner runner) {
    done = new CompletableFuture<>();
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
            "test-" + id);
    t.setDaemon(true);
    t.start();
    return this;
  }

  @Override
  public synchronized void note(String text) {
    notes.add(text);
  }

  /** The notes the runner left on the cycle. */
  synchronized List<String> notes() {
    return List.copyOf(notes);
  }

  /** Waits until the cycle has returned (a safety net of a minute), rethrowing its failure. */
  void awaitEnd() {
    try {
      done.get(Recorder.SAFETY_NET.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(id + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(id + " did not end within " + Recorder.SAFETY_NET, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
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
