package dev.overnight.core.queue;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * One change a queue is about to make: the task after it, and the event that records it. A store
 * writes {@link #after()} and the event in one transaction, then hands {@link #toEvent(long)} to
 * its listeners.
 *
 * @param after the task in its new state
 * @param from the status before, empty for a new task
 * @param actor who made the change
 * @param type what happened
 * @param reason why, in words
 * @since 0.1.0
 */
public record TaskChange(
    Task after, Optional<TaskStatus> from, String actor, TaskEventType type, String reason) {

  /** Validates the components. */
  public TaskChange {
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(reason, "reason");
  }

  /** The event recording this change, at the sequence number the store gave it. */
  public TaskEvent toEvent(long sequence) {
    return new TaskEvent(
        sequence, after.id(), after.updatedAt(), actor, type, from, after.status(), reason);
  }
}
