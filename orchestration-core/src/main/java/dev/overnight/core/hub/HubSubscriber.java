package dev.overnight.core.hub;

/**
 * Receives the hub's items, one at a time and in order, on a delivery thread of the hub.
 *
 * <p>Items of one subscriber are never delivered concurrently. A subscriber may be slow or even
 * block: it only delays itself, and when its buffer is full the hub drops its oldest items and
 * tells it with a {@link HubItem.Gap}. An exception thrown here is logged and the next item is
 * still delivered.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface HubSubscriber {

  /** Receives the next item. */
  void onItem(HubItem item);
}
