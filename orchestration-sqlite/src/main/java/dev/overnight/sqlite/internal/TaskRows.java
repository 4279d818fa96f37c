package dev.overnight.sqlite.internal;

import static dev.overnight.sqlite.internal.schema.Tables.TASKS;
import static dev.overnight.sqlite.internal.schema.Tables.TASK_EVENTS;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.store.MetadataJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jooq.Field;
import org.jooq.Table;

/**
 * Rows of {@code tasks} and {@code task_events} to API records. Rows come from statements that
 * select the generated table's fields in order ({@code selectFrom}, {@code returning()}), so
 * columns are read by position.
 */
public final class TaskRows {
  private static final TaskPriority[] BY_RANK = TaskPriority.values();

  private static final int ID = column(TASKS, TASKS.ID);
  private static final int TITLE = column(TASKS, TASKS.TITLE);
  private static final int PROMPT = column(TASKS, TASKS.PROMPT);
  private static final int AGENT_ID = column(TASKS, TASKS.AGENT_ID);
  private static final int PRIORITY = column(TASKS, TASKS.PRIORITY);
  private static final int OP_HASH = column(TASKS, TASKS.OP_HASH);
  private static final int STATUS = column(TASKS, TASKS.STATUS);
  private static final int ATTEMPTS = column(TASKS, TASKS.ATTEMPTS);
  private static final int MAX_ATTEMPTS = column(TASKS, TASKS.MAX_ATTEMPTS);
  private static final int WORKER_ID = column(TASKS, TASKS.WORKER_ID);
  private static final int LEASE_EXPIRES_AT = column(TASKS, TASKS.LEASE_EXPIRES_AT);
  private static final int CREATED_AT = column(TASKS, TASKS.CREATED_AT);
  private static final int UPDATED_AT = column(TASKS, TASKS.UPDATED_AT);
  private static final int STARTED_AT = column(TASKS, TASKS.STARTED_AT);
  private static final int FINISHED_AT = column(TASKS, TASKS.FINISHED_AT);
  private static final int LAST_ERROR = column(TASKS, TASKS.LAST_ERROR);
  private static final int METADATA = column(TASKS, TASKS.METADATA);

  private static final int E_SEQ = column(TASK_EVENTS, TASK_EVENTS.SEQ);
  private static final int E_TASK_ID = column(TASK_EVENTS, TASK_EVENTS.TASK_ID);
  private static final int E_AT = column(TASK_EVENTS, TASK_EVENTS.AT);
  private static final int E_ACTOR = column(TASK_EVENTS, TASK_EVENTS.ACTOR);
  private static final int E_TYPE = column(TASK_EVENTS, TASK_EVENTS.TYPE);
  private static final int E_FROM = column(TASK_EVENTS, TASK_EVENTS.FROM_STATUS);
  private static final int E_TO = column(TASK_EVENTS, TASK_EVENTS.TO_STATUS);
  private static final int E_REASON = column(TASK_EVENTS, TASK_EVENTS.REASON);

  private TaskRows() {}

  /** The task in the current row of a {@code tasks} result. */
  public static Task task(ResultSet r) throws SQLException {
    return Task.builder()
        .id(TaskId.of(r.getString(ID)))
        .title(r.getString(TITLE))
        .prompt(r.getString(PROMPT))
        .agentId(Optional.ofNullable(r.getString(AGENT_ID)))
        .priority(priority(r.getInt(PRIORITY)))
        .opHash(r.getString(OP_HASH))
        .status(TaskStatus.valueOf(r.getString(STATUS)))
        .attempts(r.getInt(ATTEMPTS))
        .maxAttempts(r.getInt(MAX_ATTEMPTS))
        .workerId(Optional.ofNullable(r.getString(WORKER_ID)))
        .leaseExpiresAt(instant(r, LEASE_EXPIRES_AT))
        .createdAt(Instant.ofEpochMilli(r.getLong(CREATED_AT)))
        .updatedAt(Instant.ofEpochMilli(r.getLong(UPDATED_AT)))
        .startedAt(instant(r, STARTED_AT))
        .finishedAt(instant(r, FINISHED_AT))
        .lastError(Optional.ofNullable(r.getString(LAST_ERROR)))
        .metadata(MetadataJson.read(r.getString(METADATA)))
        .build();
  }

  /** The event in the current row of a {@code task_events} result. */
  public static TaskEvent event(ResultSet r) throws SQLException {
    String from = r.getString(E_FROM);
    return new TaskEvent(
        r.getLong(E_SEQ),
        TaskId.of(r.getString(E_TASK_ID)),
        Instant.ofEpochMilli(r.getLong(E_AT)),
        r.getString(E_ACTOR),
        TaskEventType.valueOf(r.getString(E_TYPE)),
        Optional.ofNullable(from).map(TaskStatus::valueOf),
        TaskStatus.valueOf(r.getString(E_TO)),
        r.getString(E_REASON));
  }

  /** A priority from its stored rank. */
  public static TaskPriority priority(int rank) {
    return BY_RANK[rank - 1];
  }

  /** Epoch milliseconds, or null. */
  public static Long millis(Optional<Instant> instant) {
    return instant.isPresent() ? instant.get().toEpochMilli() : null;
  }

  private static Optional<Instant> instant(ResultSet r, int column) throws SQLException {
    long millis = r.getLong(column);
    return r.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  private static int column(Table<?> table, Field<?> field) {
    return table.indexOf(field) + 1;
  }
}
