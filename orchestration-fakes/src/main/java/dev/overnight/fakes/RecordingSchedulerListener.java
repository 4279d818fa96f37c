package dev.overnight.fakes;

import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every {@link SchedulerEvent} it receives, for assertions. Thread-safe.
 *
 * @since 0.1.0
 */
public final class RecordingSchedulerListener implements SchedulerListener {
  private final List<SchedulerEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(SchedulerEvent event) {
    events.add(event);
  }

  /** Every event so far, oldest first. */
  public List<SchedulerEvent> events() {
    return List.copyOf(events);
  }

  /** The events of one kind so far, oldest first. */
  public <E extends SchedulerEvent> List<E> events(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Forgets every event so far. */
  public void clear() {
    events.clear();
  }
}
