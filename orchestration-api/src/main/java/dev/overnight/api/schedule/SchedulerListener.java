package dev.overnight.api.schedule;

/**
 * Receives {@link SchedulerEvent}s.
 *
 * <p>Called synchronously on the scheduler's thread, in order: it must not block or do I/O beyond a
 * log line. An exception is logged and ignored.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface SchedulerListener {

  /** Handles one event. */
  void onEvent(SchedulerEvent event);
}
