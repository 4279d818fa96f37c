package dev.overnight.core.coordinator;

import dev.overnight.api.Cancellable;
import dev.overnight.api.TimeSource;
import dev.overnight.api.queue.IllegalTransitionException;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskNotFoundException;
import dev.overnight.api.queue.TaskQueue;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks a cycle claimed but holds back because they are predicted to touch a running task's files
 * ({@code conflicts.overlap}). They stay claimed, their leases kept alive, until the task they
 * overlap has ended: giving one back and claiming it again at every check would write its history
 * full of claims and releases. What is still held when the cycle stops starting tasks is given back
 * once, its attempt not counted.
 *
 * <p>Thread-safe: heartbeats run on the time source's thread, the rest on the cycle's.
 */
final class HeldTasks {
  private static final Logger LOG = LoggerFactory.getLogger(HeldTasks.class);

  private final TaskQueue queue;
  private final String workerId;
  private final TimeSource time;
  private final Duration lease;
  private final Duration beat;
  private final Map<Task, Held> held = new LinkedHashMap<>(); // guarded by this

  private record Held(String reason, Cancellable heartbeat) {}

  HeldTasks(TaskQueue queue, String workerId, TimeSource time, Duration lease, Duration beat) {
    this.queue = queue;
    this.workerId = workerId;
    this.time = time;
    this.lease = lease;
    this.beat = beat;
  }

  /** Holds {@code task}, claimed by this worker, for {@code reason}. */
  synchronized void hold(Task task, String reason) {
    held.put(task, new Held(reason, heartbeat(task)));
  }

  private Cancellable heartbeat(Task task) {
    return time.schedule(
        time.instant().plus(beat),
        () -> {
          synchronized (this) {
            Held h = held.get(task);
            if (h == null) {
              return;
            }
            try {
              queue.heartbeat(task.id(), workerId, lease);
              held.put(task, new Held(h.reason(), heartbeat(task)));
            } catch (IllegalTransitionException | TaskNotFoundException e) {
              // Cancelled meanwhile, or its lease lost: no longer this worker's to start.
              LOG.info("Task {}: no longer held ({})", task.id().shortId(), e.getMessage());
              held.remove(task);
            } catch (RuntimeException e) {
              LOG.warn("Task {}: lease heartbeat failed: {}", task.id().shortId(), e.getMessage());
              held.put(task, new Held(h.reason(), heartbeat(task)));
            }
          }
        });
  }

  /** Whether no task is held. */
  synchronized boolean isEmpty() {
    return held.isEmpty();
  }

  /**
   * The first held task that may start now ({@code free} says so), no longer held; empty when each
   * still waits.
   */
  synchronized Optional<Task> nextReady(Predicate<Task> free) {
    for (Iterator<Map.Entry<Task, Held>> it = held.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Task, Held> e = it.next();
      if (free.test(e.getKey())) {
        e.getValue().heartbeat().cancel();
        it.remove();
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  /** Gives every held task back to the queue with why it waited, its attempt not counted. */
  synchronized void giveBack() {
    held.forEach(
        (task, h) -> {
          h.heartbeat().cancel();
          try {
            queue.fail(task.id(), workerId, h.reason(), Retry.RELEASE);
          } catch (RuntimeException e) {
            LOG.debug("Task {} was not given back: {}", task.id().shortId(), e.toString());
          }
        });
    held.clear();
  }
}
