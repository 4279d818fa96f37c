package dev.overnight.core.fleet;

import dev.overnight.api.Cancellable;
import dev.overnight.api.TimeSource;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.fleet.WorkerState;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.core.coordinator.CoordinatorEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this worker's record in the fleet's {@link WorkerRegistry} current: what it is doing (from
 * the scheduler's and the coordinator's events), which tasks it runs, and a heartbeat every {@link
 * #HEARTBEAT} on the runtime's clock, so the other machines see it alive, and see it offline once
 * it stops for longer than {@link #OFFLINE_AFTER}.
 *
 * <p>A registry that fails is logged, never thrown: the fleet's view of a worker must not stop its
 * work. Thread-safe: events arrive on scheduler, coordinator and task threads.
 *
 * @since 0.1.0
 */
public final class WorkerPresence implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPresence.class);

  /** How often a worker records itself while nothing changes. */
  public static final Duration HEARTBEAT = Duration.ofMinutes(1);

  /**
   * How long a worker may stay silent before it is shown offline: the lease its tasks are claimed
   * with, after which they go back to the queue anyway.
   */
  public static final Duration OFFLINE_AFTER = Duration.ofMinutes(5);

  private final WorkerRegistry registry;
  private final Supplier<WorkerIdentity> identity;
  private final TimeSource time;
  private final Object lock = new Object();
  private final Set<TaskId> running = new LinkedHashSet<>(); // guarded by lock
  private WorkerState outsideTasks = WorkerState.waitingForWindow(); // guarded by lock
  private List<String> lastUnmet = List.of(); // guarded by lock
  private boolean inCycle; // guarded by lock
  private Instant startedAt; // guarded by lock; null until started
  private Cancellable nextBeat; // guarded by lock
  private boolean closed; // guarded by lock

  /**
   * A presence for the identity {@code identity} gives (asked when first recorded) in {@code
   * registry}, on {@code time}. Records nothing yet.
   */
  public WorkerPresence(
      WorkerRegistry registry, Supplier<WorkerIdentity> identity, TimeSource time) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.time = Objects.requireNonNull(time, "time");
  }

  /** Records the worker and starts its heartbeat; later calls do nothing. */
  public void start() {
    synchronized (lock) {
      if (startedAt != null || closed) {
        return;
      }
      startedAt = time.instant();
      recordLocked();
      scheduleLocked();
    }
  }

  /** Follows the scheduler: its window, its pauses for constraints, its cycles. */
  public void onSchedulerEvent(SchedulerEvent event) {
    synchronized (lock) {
      if (event instanceof SchedulerEvent.ConstraintsChecked c) {
        lastUnmet = unmet(c.results());
        return;
      }
      WorkerState next = outsideTasks;
      if (event instanceof SchedulerEvent.StateChanged s) {
        // A wake skipped because a cycle still runs plans the next one: the worker stays in its
        // cycle, idle or running, rather than waiting for its window.
        boolean replanned = inCycle && s.to() instanceof SchedulerState.Running;
        next = replanned ? outsideTasks : fromScheduler(s.to());
      } else if (event instanceof SchedulerEvent.Paused) {
        next = constraintsUnmet();
      } else if (event instanceof SchedulerEvent.Resumed) {
        next = WorkerState.waitingForWindow();
      } else if (event instanceof SchedulerEvent.CycleFinished) {
        inCycle = false;
        next = WorkerState.waitingForWindow();
      } else if (event instanceof SchedulerEvent.CycleStarted) {
        inCycle = true;
        next = WorkerState.idle();
      }
      change(next);
    }
  }

  /** Follows the coordinator: the tasks this worker runs, its cycles. */
  public void onCoordinatorEvent(CoordinatorEvent event) {
    synchronized (lock) {
      if (event instanceof CoordinatorEvent.TaskStarted t) {
        running.add(t.task().id());
        recordIfStarted();
      } else if (event instanceof CoordinatorEvent.TaskEnded t) {
        running.remove(t.task().id());
        recordIfStarted();
      } else if (event instanceof CoordinatorEvent.CycleBegan) {
        inCycle = true;
        change(WorkerState.idle());
      } else if (event instanceof CoordinatorEvent.CycleEnded) {
        inCycle = false;
        running.clear();
        change(WorkerState.waitingForWindow());
      }
    }
  }

  /** The worker as it would be recorded now. */
  public WorkerInfo current() {
    synchronized (lock) {
      return infoLocked(time.instant());
    }
  }

  /** The identity this presence records. */
  public WorkerIdentity identity() {
    return identity.get();
  }

  /** Records the worker as stopping and ends the heartbeat. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (nextBeat != null) {
        nextBeat.cancel();
      }
      if (startedAt != null) {
        outsideTasks = WorkerState.stopping();
        running.clear();
        recordLocked();
      }
    }
  }

  private void change(WorkerState next) {
    if (!next.equals(outsideTasks)) {
      outsideTasks = next;
      recordIfStarted();
    }
  }

  private WorkerState fromScheduler(SchedulerState state) {
    if (state instanceof SchedulerState.Paused) {
      return constraintsUnmet();
    }
    if (state instanceof SchedulerState.Stopped) {
      return WorkerState.stopping();
    }
    return WorkerState.waitingForWindow();
  }

  private WorkerState constraintsUnmet() {
    return WorkerState.constraintsUnmet(lastUnmet);
  }

  private static List<String> unmet(Map<String, ConstraintResult> results) {
    List<String> out = new ArrayList<>();
    results.forEach(
        (name, r) -> {
          if (!r.isSatisfied()) {
            out.add(name + ": " + r.reason());
          }
        });
    out.sort(null);
    return out;
  }

  private void recordIfStarted() {
    if (startedAt != null && !closed) {
      recordLocked();
    }
  }

  private WorkerInfo infoLocked(Instant now) {
    WorkerState state = running.isEmpty() ? outsideTasks : WorkerState.running();
    WorkerIdentity me = identity.get();
    return new WorkerInfo(
        me.id(),
        me.name(),
        me.labels(),
        state,
        List.copyOf(running),
        now,
        startedAt != null ? startedAt : now);
  }

  private void recordLocked() {
    try {
      registry.record(infoLocked(time.instant()));
    } catch (RuntimeException e) {
      LOG.warn("Could not record this worker for the fleet: {}", e.toString());
    }
  }

  private void scheduleLocked() {
    nextBeat =
        time.schedule(
            time.instant().plus(HEARTBEAT),
            () -> {
              synchronized (lock) {
                if (closed) {
                  return;
                }
                recordLocked();
                scheduleLocked();
              }
            });
  }
}
