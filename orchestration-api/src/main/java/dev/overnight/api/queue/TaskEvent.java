package dev.overnight.api.queue;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change to a task: who did what, when and why. The queue records one for every change, so a
 * task's history can be read back with {@link TaskQueue#events(TaskId)}.
 *
 * @param sequence position in the queue's global history, increasing
 * @param taskId the task
 * @param at when
 * @param actor who: a worker id, {@code "queue"} for lease recovery, {@code "cli"}, {@code "api"}
 * @param type what happened
 * @param from the status before, if the task existed
 * @param to the status after
 * @param reason why, in words
 * @since 0.1.0
 */
public record TaskEvent(
    long sequence,
    TaskId taskId,
    Instant at,
    String actor,
    TaskEventType type,
    Optional<TaskStatus> from,
    TaskStatus to,
    String reason) {

  /** Validates the components. */
  public TaskEvent {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
  }
}
