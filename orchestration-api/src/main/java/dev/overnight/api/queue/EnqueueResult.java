package dev.overnight.api.queue;

import java.util.Objects;

/**
 * The outcome of {@link TaskQueue#enqueue}: the task, and whether it is new or a live duplicate.
 *
 * @param task the new task, or the pending / in-progress task with the same op hash
 * @param created {@code true} if a new task was added
 * @since 0.1.0
 */
public record EnqueueResult(Task task, boolean created) {

  /** Validates the components. */
  public EnqueueResult {
    Objects.requireNonNull(task, "task");
  }
}
