package dev.overnight.api.queue;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the items on this page
 * @param total how many items match in all
 * @param offset the offset this page starts at
 * @param <T> item type
 * @since 0.1.0
 */
public record Page<T>(List<T> items, long total, int offset) {

  /** Copies the items. */
  public Page {
    items = List.copyOf(items);
  }

  /** Whether more items follow this page. */
  public boolean hasMore() {
    return offset + items.size() < total;
  }
}
