package dev.overnight.core.queue;

import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskQueue;
import java.util.HashSet;
import java.util.Set;

/**
 * The op hashes a queue has seen: what a decision must move past.
 *
 * @since 0.1.0
 */
public final class OpHashes {
  private OpHashes() {}

  /**
   * Every op hash in the queue's history — done, under way, waiting or cancelled by the user: a
   * decision never repeats work that is taken. Blocks on the queue's reads.
   */
  public static Set<String> taken(TaskQueue queue) {
    Set<String> hashes = new HashSet<>();
    int offset = 0;
    while (true) {
      Page<Task> page = queue.list(TaskFilter.all().page(offset, TaskFilter.MAX_LIMIT));
      page.items().forEach(t -> hashes.add(t.opHash()));
      if (!page.hasMore()) {
        return hashes;
      }
      offset += page.items().size();
    }
  }
}
