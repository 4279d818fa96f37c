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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Rows of {@code tasks} and {@code task_events} to API records, and back. */
public final class TaskRows {
  private static final TaskPriority[] BY_RANK = TaskPriority.values();

  private TaskRows() {}

  /** The task a row holds. */
  public static Task task(TasksRecord r) {
    return Task.builder()
        .id(TaskId.of(r.getId()))
        .title(r.getTitle())
        .prompt(r.getPrompt())
        .agentId(Optional.ofNullable(r.getAgentId()))
        .priority(BY_RANK[r.getPriority() - 1])
        .opHash(r.getOpHash())
        .status(TaskStatus.valueOf(r.getStatus()))
        .attempts(r.getAttempts())
        .maxAttempts(r.getMaxAttempts())
        .workerId(Optional.ofNullable(r.getWorkerId()))
        .leaseExpiresAt(instant(r.getLeaseExpiresAt()))
        .createdAt(Instant.ofEpochMilli(r.getCreatedAt()))
        .updatedAt(Instant.ofEpochMilli(r.getUpdatedAt()))
        .startedAt(instant(r.getStartedAt()))
        .finishedAt(instant(r.getFinishedAt()))
        .lastError(Optional.ofNullable(r.getLastError()))
        .metadata(MetadataJson.read(r.getMetadata()))
        .build();
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

  /**
   * The task in the current row of a plain JDBC result holding every column of {@code tasks} by
   * name, read through the same mapping as {@link #task(TasksRecord)}.
   */
  public static Task task(ResultSet r) throws SQLException {
    TasksRecord row = new TasksRecord();
    row.setSeq(r.getLong("seq"));
    row.setId(r.getString("id"));
    row.setTitle(r.getString("title"));
    row.setPrompt(r.getString("prompt"));
    row.setAgentId(r.getString("agent_id"));
    row.setPriority(r.getInt("priority"));
    row.setOpHash(r.getString("op_hash"));
    row.setStatus(r.getString("status"));
    row.setAttempts(r.getInt("attempts"));
    row.setMaxAttempts(r.getInt("max_attempts"));
    row.setWorkerId(r.getString("worker_id"));
    row.setLeaseExpiresAt(longOrNull(r, "lease_expires_at"));
    row.setCreatedAt(r.getLong("created_at"));
    row.setUpdatedAt(r.getLong("updated_at"));
    row.setStartedAt(longOrNull(r, "started_at"));
    row.setFinishedAt(longOrNull(r, "finished_at"));
    row.setLastError(r.getString("last_error"));
    row.setMetadata(r.getString("metadata"));
    return task(row);
  }

  private static Long longOrNull(ResultSet r, String column) throws SQLException {
    long value = r.getLong(column);
    return r.wasNull() ? null : value;
  }
}
