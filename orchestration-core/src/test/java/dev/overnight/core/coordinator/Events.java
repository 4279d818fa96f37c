package dev.overnight.core.coordinator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every coordinator event, in the order they came. Thread-safe. */
final class Events implements CoordinatorListener {
  private final List<CoordinatorEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(CoordinatorEvent event) {
    events.add(event);
  }

  /** Every event so far. */
  List<CoordinatorEvent> all() {
    return List.copyOf(events);
  }

  /** The events of one kind so far, in order. */
  <T extends CoordinatorEvent> List<T> all(Class<T> kind) {
    return events.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** The simple names of the events' kinds, in order. */
  List<String> kinds() {
    return events.stream().map(e -> e.getClass().getSimpleName()).toList();
  }
}
