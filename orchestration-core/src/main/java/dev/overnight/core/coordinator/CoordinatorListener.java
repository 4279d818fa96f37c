package dev.overnight.core.coordinator;

/**
 * Receives {@link CoordinatorEvent}s. Called on the coordinator's threads (several at once when
 * tasks run concurrently): must be thread-safe and must not block. Exceptions are logged and
 * ignored.
 */
@FunctionalInterface
public interface CoordinatorListener {
  /** Handles one event. */
  void onEvent(CoordinatorEvent event);
}
