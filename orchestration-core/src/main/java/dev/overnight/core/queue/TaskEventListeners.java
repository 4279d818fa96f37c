package dev.overnight.core.queue;

import dev.overnight.api.Cancellable;
import dev.overnight.api.queue.TaskEvent;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one queue: subscribe, cancel, and deliver events on the caller's thread, an
 * exception from one listener logged and kept from the others. Thread-safe.
 */
public final class TaskEventListeners {
  private static final Logger LOG = LoggerFactory.getLogger(TaskEventListeners.class);

  private final List<Consumer<TaskEvent>> listeners = new CopyOnWriteArrayList<>();

  /** Adds a listener; the handle removes it. */
  public Cancellable subscribe(Consumer<TaskEvent> listener) {
    Objects.requireNonNull(listener, "listener");
    // A wrapper gives each subscription its own identity, so subscribing one listener twice and
    // cancelling once removes exactly one subscription.
    Consumer<TaskEvent> subscription = listener::accept;
    listeners.add(subscription);
    AtomicBoolean live = new AtomicBoolean(true);
    return () -> live.compareAndSet(true, false) && listeners.remove(subscription);
  }

  /** Delivers the events, in order, to every listener. Call once the change is durable. */
  public void publish(List<TaskEvent> events) {
    if (events.isEmpty() || listeners.isEmpty()) {
      return;
    }
    for (TaskEvent event : events) {
      for (Consumer<TaskEvent> listener : listeners) {
        try {
          listener.accept(event);
        } catch (RuntimeException e) {
          LOG.warn("A task event listener failed on {}; ignored", event, e);
        }
      }
    }
  }
}
