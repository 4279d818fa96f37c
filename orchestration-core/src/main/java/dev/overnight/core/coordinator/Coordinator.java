package dev.overnight.core.coordinator;

import dev.overnight.api.Availability;
import dev.overnight.api.Subscription;
import java.util.Map;

/**
 * The coordinator as monitoring code sees it: which agents can work, what has been done so far, and
 * its events as they happen. The runtime's coordinator runs each cycle's tasks; this view never
 * starts or stops anything.
 *
 * <p>Thread-safe; nothing here blocks except {@link #agentAvailability()}, which asks each agent.
 *
 * @since 0.1.0
 */
public interface Coordinator {

  /** The worker id tasks are claimed under. */
  String workerId();

  /** Every agent's availability now, as the coordinator sees it (allow list, parking). */
  Map<String, Availability> agentAvailability();

  /** Counters since the coordinator was created. */
  CoordinatorMetrics metrics();

  /**
   * Subscribes to events from now on; closing the subscription stops them. The listener is called
   * on the coordinator's threads, several at once when tasks run concurrently.
   */
  Subscription subscribe(CoordinatorListener listener);

  /**
   * Shows every attempt that starts from now on to {@code observer}, with its turns, gate runs and
   * end; closing the subscription stops it for attempts that start afterwards. See {@link
   * AttemptObserver} for the threads it is called on.
   */
  Subscription observe(AttemptObserver observer);
}
