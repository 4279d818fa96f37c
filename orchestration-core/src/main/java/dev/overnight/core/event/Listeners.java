package dev.overnight.core.event;

import dev.overnight.api.Subscription;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one event source — a queue, a scheduler, a coordinator: subscribe, close, and
 * deliver on the caller's thread, an exception from one listener logged and kept from the others.
 * Every {@code subscribe} in Overnight is built on it, so every subscription is undone the same
 * way.
 *
 * <p>Thread-safe; delivery never blocks beyond what the listeners themselves do.
 *
 * @param <T> the event type
 * @since 0.1.0
 */
public final class Listeners<T> {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private final String source;
  private final List<Consumer<? super T>> listeners = new CopyOnWriteArrayList<>();

  /**
   * Creates an empty set of listeners.
   *
   * @param source what the events come from, for the log line of a failing listener
   */
  public Listeners(String source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  /** Adds a listener; closing the subscription removes it. */
  public Subscription subscribe(Consumer<? super T> listener) {
    Objects.requireNonNull(listener, "listener");
    // A wrapper gives each subscription its own identity, so subscribing one listener twice and
    // closing once removes exactly one subscription.
    Consumer<T> subscription = listener::accept;
    listeners.add(subscription);
    AtomicBoolean live = new AtomicBoolean(true);
    return () -> {
      if (live.compareAndSet(true, false)) {
        listeners.remove(subscription);
      }
    };
  }

  /** Delivers one event to every listener. */
  public void publish(T event) {
    for (Consumer<? super T> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("A {} listener failed on {}; ignored", source, event, e);
      }
    }
  }

  /** Delivers the events, in order, to every listener. */
  public void publishAll(List<? extends T> events) {
    if (events.isEmpty() || listeners.isEmpty()) {
      return;
    }
    events.forEach(this::publish);
  }

  /** Whether anyone listens. */
  public boolean isEmpty() {
    return listeners.isEmpty();
  }
}
