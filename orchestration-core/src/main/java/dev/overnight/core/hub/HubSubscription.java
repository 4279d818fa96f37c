package dev.overnight.core.hub;

import dev.overnight.api.Subscription;

/**
 * A live subscription to the hub. Thread-safe; {@link #close()} is idempotent and never blocks (an
 * item being delivered right now still completes).
 *
 * @since 0.1.0
 */
public interface HubSubscription extends Subscription {

  /** How many items were dropped for this subscriber so far because it fell behind. */
  long dropped();

  /** How many items wait in this subscriber's buffer now. */
  int buffered();
}
