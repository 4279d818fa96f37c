package dev.overnight.core.coordinator;

/**
 * Receives {@link CoordinatorEvent}s. Called on the coordinator's threads (several at once when
 * tasks run concurrently): must be thread-safe and must not block. Exceptions are logged and
 * ignored.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CoordinatorListener {
  /** Handles one event. */
  void onEvent(CoordinatorEvent event);
}
