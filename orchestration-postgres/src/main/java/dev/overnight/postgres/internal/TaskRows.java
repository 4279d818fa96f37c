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

  /**
   * Every column of {@code tasks}, named, in the order {@link #task(ResultSet)} reads them: a
   * statement's cached plan survives a column added later.
   */
  public static final String COLUMNS =
      "seq, id, title, prompt, agent_id, priority, op_hash, status, attempts, max_attempts,"
          + " worker_id, lease_expires_at, created_at, updated_at, started_at, finished_at,"
          + " last_error, metadata";

  /** How many columns {@link #COLUMNS} names: a result's next column is the first after them. */
  public static final int COLUMN_COUNT = 18;

  private static final int METADATA = 18;

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
   * The task in the current row of a plain JDBC result whose first columns are {@link #COLUMNS}, in
   * that order, read by position (a lookup by name makes the driver build a map of the result's
   * columns, anew for every result) through the same mapping as {@link #task(TasksRecord)}.
   */
  public static Task task(ResultSet r) throws SQLException {
    return Task.builder()
        .id(TaskId.of(r.getString(2)))
        .title(r.getString(3))
        .prompt(r.getString(4))
        .agentId(Optional.ofNullable(r.getString(5)))
        .priority(BY_RANK[r.getInt(6) - 1])
        .opHash(r.getString(7))
        .status(TaskStatus.valueOf(r.getString(8)))
        .attempts(r.getInt(9))
        .maxAttempts(r.getInt(10))
        .workerId(Optional.ofNullable(r.getString(11)))
        .leaseExpiresAt(instant(longOrNull(r, 12)))
        .createdAt(Instant.ofEpochMilli(r.getLong(13)))
        .updatedAt(Instant.ofEpochMilli(r.getLong(14)))
        .startedAt(instant(longOrNull(r, 15)))
        .finishedAt(instant(longOrNull(r, 16)))
        .lastError(Optional.ofNullable(r.getString(17)))
        .metadata(MetadataJson.read(metadataJson(r)))
        .build();
  }

  /**
   * The metadata JSON, as stored, of the current row of a result read by {@link #task(ResultSet)}.
   */
  public static String metadataJson(ResultSet r) throws SQLException {
    return r.getString(METADATA);
  }

  private static Long longOrNull(ResultSet r, int column) throws SQLException {
    long value = r.getLong(column);
    return r.wasNull() ? null : value;
  }
}
