package dev.overnight.core.coordinator;

import dev.overnight.api.queue.Task;
import java.util.List;

/**
 * Brings work from outside into the queue at the start of each cycle, and withdraws what is no
 * longer wanted: a forge's labelled issues, say. The coordinator calls {@link #refresh} before it
 * claims anything, so a cycle runs what the outside world asks for now.
 *
 * <p>Called on the cycle's thread, one cycle at a time; it may block on the network, bounded by its
 * own timeouts. A feed that throws is logged and the cycle goes on with the queue as it is.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TaskFeed {

  /**
   * Enqueues what is new and cancels the pending tasks no longer wanted.
   *
   * @return the tasks it cancelled, each with why, for the report and the night's notification
   */
  List<Withdrawn> refresh();

  /**
   * A pending task the feed cancelled, and why in words.
   *
   * @param task the task as cancelled
   * @param reason why, e.g. {@code the label was removed}
   * @since 0.1.0
   */
  record Withdrawn(Task task, String reason) {}
}
