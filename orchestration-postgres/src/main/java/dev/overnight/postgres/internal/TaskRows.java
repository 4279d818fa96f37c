package dev.overnight.postgres.internal;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.store.MetadataJson;
import dev.overnight.postgres.internal.schema.tables.records.TaskEventsRecord;
import dev.overnight.postgres.internal.schema.tables.records.TasksRecord;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Rows of {@code tasks} and {@code task_events} to API records, and back. */
public final class TaskRows {
  private static final TaskPriority[] BY_RANK = TaskPriority.values();

  private TaskRows() {}

  /** The task a row holds. */
  public static Task task(TasksRecord r) {
    return new Task(
        TaskId.of(r.getId()),
        r.getTitle(),
        r.getPrompt(),
        Optional.ofNullable(r.getAgentId()),
        BY_RANK[r.getPriority() - 1],
        r.getOpHash(),
        TaskStatus.valueOf(r.getStatus()),
        r.getAttempts(),
        r.getMaxAttempts(),
        Optional.ofNullable(r.getWorkerId()),
        instant(r.getLeaseExpiresAt()),
        Instant.ofEpochMilli(r.getCreatedAt()),
        Instant.ofEpochMilli(r.getUpdatedAt()),
        instant(r.getStartedAt()),
        instant(r.getFinishedAt()),
        Optional.ofNullable(r.getLastError()),
        MetadataJson.read(r.getMetadata()));
  }

  /** The row of a new task (its sequence number left to the database). */
  public static TasksRecord row(Task task) {
    TasksRecord r = new TasksRecord();
    r.setId(task.id().value());
    r.setTitle(task.title());
    r.setPrompt(task.prompt());
    r.setAgentId(task.agentId().orElse(null));
    r.setPriority(task.priority().rank());
    r.setOpHash(task.opHash());
    r.setStatus(task.status().name());
    r.setAttempts(task.attempts());
    r.setMaxAttempts(task.maxAttempts());
    r.setWorkerId(task.workerId().orElse(null));
    r.setLeaseExpiresAt(millis(task.leaseExpiresAt()));
    r.setCreatedAt(task.createdAt().toEpochMilli());
    r.setUpdatedAt(task.updatedAt().toEpochMilli());
    r.setStartedAt(millis(task.startedAt()));
    r.setFinishedAt(millis(task.finishedAt()));
    r.setLastError(task.lastError().orElse(null));
    r.setMetadata(MetadataJson.write(task.metadata()));
    r.setRequiredLabels(
        TaskFacts.REQUIRED_LABELS.from(task).orElse(Set.of()).toArray(String[]::new));
    return r;
  }

  /** The event a row holds. */
  public static TaskEvent event(TaskEventsRecord r) {
    String from = r.getFromStatus();
    return new TaskEvent(
        r.getSeq(),
        TaskId.of(r.getTaskId()),
        Instant.ofEpochMilli(r.getAt()),
        r.getActor(),
        TaskEventType.valueOf(r.getType()),
        Optional.ofNullable(from).map(TaskStatus::valueOf),
        TaskStatus.valueOf(r.getToStatus()),
        r.getReason());
  }

  /** Epoch milliseconds, or null. */
  public static Long millis(Optional<Instant> instant) {
    return instant.isPresent() ? instant.get().toEpochMilli() : null;
  }

  /** An instant from epoch milliseconds, or empty for null. */
  public static Optional<Instant> instant(Long millis) {
    return millis == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
