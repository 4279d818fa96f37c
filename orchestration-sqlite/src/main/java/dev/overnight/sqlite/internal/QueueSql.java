package dev.overnight.sqlite.internal;

import static dev.overnight.sqlite.internal.schema.Tables.TASKS;
import static dev.overnight.sqlite.internal.schema.Tables.TASK_EVENTS;

import dev.overnight.api.queue.TaskStatus;
import dev.overnight.sqlite.internal.schema.tables.Tasks;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.impl.DSL;

/**
 * The queue's hot statements, built with jOOQ once, and their parameters. Column lists are the
 * generated tables' field lists, so {@link TaskRows} reads rows by position.
 */
public final class QueueSql {

  /** The live statuses, for deduplication. */
  public static final List<String> LIVE =
      List.of(TaskStatus.PENDING.name(), TaskStatus.IN_PROGRESS.name());

  /**
   * {@code status IN ('PENDING', 'IN_PROGRESS')}, with inline values: the predicate of the partial
   * index {@code tasks_live}, which SQLite uses only for a query that states it word for word.
   */
  public static final Condition IS_LIVE = isLive(TASKS);

  /**
   * 0 while a task is live, NULL once it is finished: the second column of the unique index {@code
   * tasks_op_hash}, so the database keeps one live task per op hash (a unique index counts NULLs as
   * distinct) and any number of finished ones. Written as in the index, which SQLite matches by its
   * expression.
   */
  public static final Field<Integer> LIVE_MARKER =
      DSL.field(
          "case when {0} in ('PENDING', 'IN_PROGRESS') then 0 end",
          Integer.class, DSL.field(DSL.name(TASKS.STATUS.getName())));

  public static final Param<String> ID = param(TASKS.ID);
  public static final Param<String> TITLE = param(TASKS.TITLE);
  public static final Param<String> PROMPT = param(TASKS.PROMPT);
  public static final Param<String> AGENT_ID = param(TASKS.AGENT_ID);
  public static final Param<Integer> PRIORITY = param(TASKS.PRIORITY);
  public static final Param<String> OP_HASH = param(TASKS.OP_HASH);
  public static final Param<String> STATUS = param(TASKS.STATUS);
  public static final Param<Integer> ATTEMPTS = param(TASKS.ATTEMPTS);
  public static final Param<Integer> MAX_ATTEMPTS = param(TASKS.MAX_ATTEMPTS);
  public static final Param<String> WORKER_ID = param(TASKS.WORKER_ID);
  public static final Param<Long> LEASE_EXPIRES_AT = param(TASKS.LEASE_EXPIRES_AT);
  public static final Param<Long> CREATED_AT = param(TASKS.CREATED_AT);
  public static final Param<Long> UPDATED_AT = param(TASKS.UPDATED_AT);
  public static final Param<Long> STARTED_AT = param(TASKS.STARTED_AT);
  public static final Param<Long> FINISHED_AT = param(TASKS.FINISHED_AT);
  public static final Param<String> LAST_ERROR = param(TASKS.LAST_ERROR);
  public static final Param<String> METADATA = param(TASKS.METADATA);
  public static final Param<String> REQUIRED_LABELS = param(TASKS.REQUIRED_LABELS);

  /** The claiming worker's labels, a JSON array of strings. */
  public static final Param<String> WORKER_LABELS = DSL.param("worker_labels", String.class);

  /**
   * The JSON path of the metadata key a claim requires ({@code $."follow_up_of"}), for {@link
   * #CLAIM_CARRYING} and {@link #CLAIM_WITH_LABELS_CARRYING}.
   */
  public static final Param<String> REQUIRED_FACT_PATH =
      DSL.param("required_fact_path", String.class);

  /** The instant of a claim. */
  public static final Param<Long> NOW = DSL.param("now", Long.class);

  public static final Param<String> EVENT_TASK_ID = param(TASK_EVENTS.TASK_ID);
  public static final Param<Long> EVENT_AT = param(TASK_EVENTS.AT);
  public static final Param<String> EVENT_ACTOR = param(TASK_EVENTS.ACTOR);
  public static final Param<String> EVENT_TYPE = param(TASK_EVENTS.TYPE);
  public static final Param<String> EVENT_FROM = param(TASK_EVENTS.FROM_STATUS);
  public static final Param<String> EVENT_TO = param(TASK_EVENTS.TO_STATUS);
  public static final Param<String> EVENT_REASON = param(TASK_EVENTS.REASON);

  /**
   * Adds a task unless a live task has its op hash: the conflict target is the unique index {@code
   * tasks_op_hash} on the op hash and {@link #LIVE_MARKER}, so the database itself keeps one live
   * task per op hash.
   */
  public static final PreparedSql INSERT_TASK =
      PreparedSql.of(
          DSL.insertInto(TASKS)
              .set(TASKS.ID, ID)
              .set(TASKS.TITLE, TITLE)
              .set(TASKS.PROMPT, PROMPT)
              .set(TASKS.AGENT_ID, AGENT_ID)
              .set(TASKS.PRIORITY, PRIORITY)
              .set(TASKS.OP_HASH, OP_HASH)
              .set(TASKS.STATUS, STATUS)
              .set(TASKS.ATTEMPTS, ATTEMPTS)
              .set(TASKS.MAX_ATTEMPTS, MAX_ATTEMPTS)
              .set(TASKS.WORKER_ID, WORKER_ID)
              .set(TASKS.LEASE_EXPIRES_AT, LEASE_EXPIRES_AT)
              .set(TASKS.CREATED_AT, CREATED_AT)
              .set(TASKS.UPDATED_AT, UPDATED_AT)
              .set(TASKS.STARTED_AT, STARTED_AT)
              .set(TASKS.FINISHED_AT, FINISHED_AT)
              .set(TASKS.LAST_ERROR, LAST_ERROR)
              .set(TASKS.METADATA, METADATA)
              .set(TASKS.REQUIRED_LABELS, REQUIRED_LABELS)
              .onConflict(TASKS.OP_HASH, LIVE_MARKER)
              .doNothing());

  /**
   * The claim, in one statement: take the first pending task in claim order (priority, then tasks
   * that have run before, then oldest; an index probe of {@code tasks_live}) and put it in progress
   * under the worker; returns the task.
   */
  public static final PreparedSql CLAIM = claim(DSL.noCondition());

  /**
   * The claim of a worker with labels ({@link #WORKER_LABELS}): as {@link #CLAIM}, passing over the
   * tasks that require a label the worker lacks; a task requiring none ({@code '[]'}) costs no JSON
   * parsing.
   */
  public static final PreparedSql CLAIM_WITH_LABELS;

  static {
    CLAIM_WITH_LABELS = claim(labelsMatch());
  }

  /**
   * The claim of tasks carrying a metadata key ({@link #REQUIRED_FACT_PATH}), such as follow-ups
   * only: as {@link #CLAIM}, passing over the tasks without it.
   */
  public static final PreparedSql CLAIM_CARRYING = claim(carrying());

  /** {@link #CLAIM_WITH_LABELS} and {@link #CLAIM_CARRYING} together. */
  public static final PreparedSql CLAIM_WITH_LABELS_CARRYING;

  static {
    CLAIM_WITH_LABELS_CARRYING = claim(labelsMatch().and(carrying()));
  }

  /**
   * The worker ({@link #WORKER_LABELS}) has every label the next task requires; a task requiring
   * none ({@code '[]'}) costs no JSON parsing.
   */
  private static Condition labelsMatch() {
    var next = TASKS.as("next");
    return next.REQUIRED_LABELS
        .eq(DSL.inline("[]"))
        .or(
            DSL.condition(
                "not exists (select 1 from json_each({0}) as need"
                    + " where need.value not in (select have.value from json_each({1}) as"
                    + " have))",
                next.REQUIRED_LABELS, WORKER_LABELS));
  }

  private static Condition carrying() {
    var next = TASKS.as("next");
    return DSL.condition("json_type({0}, {1}) is not null", next.METADATA, REQUIRED_FACT_PATH);
  }

  private static PreparedSql claim(Condition canRun) {
    var next = TASKS.as("next");
    return PreparedSql.of(
        DSL.update(TASKS)
            .set(TASKS.STATUS, DSL.inline(TaskStatus.IN_PROGRESS.name()))
            .set(TASKS.WORKER_ID, WORKER_ID)
            .set(TASKS.LEASE_EXPIRES_AT, LEASE_EXPIRES_AT)
            .set(TASKS.ATTEMPTS, TASKS.ATTEMPTS.plus(DSL.inline(1)))
            .set(TASKS.STARTED_AT, DSL.coalesce(TASKS.STARTED_AT, NOW))
            .set(TASKS.UPDATED_AT, NOW)
            .where(
                TASKS.SEQ.eq(
                    DSL.select(next.SEQ)
                        .from(next)
                        .where(isLive(next))
                        .and(next.STATUS.eq(DSL.inline(TaskStatus.PENDING.name())))
                        .and(canRun)
                        .orderBy(next.PRIORITY, DSL.field(next.STARTED_AT.isNull()), next.SEQ)
                        .limit(DSL.inline(1))))
            .returning(TASKS.fields()));
  }

  /** The task with an id. */
  public static final PreparedSql SELECT_BY_ID =
      PreparedSql.of(DSL.selectFrom(TASKS).where(TASKS.ID.eq(ID)));

  /**
   * The numbers of a task's events, a JSON array kept by the trigger {@code task_events_listed}
   * (migration V12); not among the generated columns, since no task is read with it.
   */
  public static final Field<String> EVENT_SEQS =
      DSL.field(DSL.name(TASKS.getName(), "event_seqs"), String.class);

  /**
   * A task's events, oldest first: read by the numbers its row lists ({@code tasks.event_seqs},
   * kept by the trigger {@code task_events_listed} as each event is written), so no index of events
   * by task is written with every event (migration V12).
   */
  public static final PreparedSql SELECT_EVENTS_OF =
      PreparedSql.of(
          DSL.selectFrom(TASK_EVENTS)
              .where(
                  listedIn(
                      TASK_EVENTS.SEQ,
                      DSL.field("(select event_seqs from tasks where id = {0})", String.class, ID)))
              .orderBy(TASK_EVENTS.SEQ));

  /** The live task with an op hash: one probe of {@code tasks_op_hash}, past its finished ones. */
  public static final PreparedSql SELECT_LIVE_BY_OP_HASH =
      PreparedSql.of(
          DSL.selectFrom(TASKS)
              .where(TASKS.OP_HASH.eq(OP_HASH))
              .and(LIVE_MARKER.eq(DSL.inline(0))));

  /** Writes what a transition may change. */
  public static final PreparedSql UPDATE_TASK =
      PreparedSql.of(
          DSL.update(TASKS)
              .set(TASKS.STATUS, STATUS)
              .set(TASKS.ATTEMPTS, ATTEMPTS)
              .set(TASKS.WORKER_ID, WORKER_ID)
              .set(TASKS.LEASE_EXPIRES_AT, LEASE_EXPIRES_AT)
              .set(TASKS.UPDATED_AT, UPDATED_AT)
              .set(TASKS.STARTED_AT, STARTED_AT)
              .set(TASKS.FINISHED_AT, FINISHED_AT)
              .set(TASKS.LAST_ERROR, LAST_ERROR)
              .set(TASKS.METADATA, METADATA)
              .where(TASKS.ID.eq(ID)));

  /**
   * The next event's sequence number: one past the largest ever handed out, which is the larger of
   * the largest in the table and the high-water mark purge leaves when it deletes the newest events
   * (see migration V10: the table keeps no counter row of its own, which would be one more page
   * written with every event). Only inside a write transaction, which keeps the two reads and the
   * insert together.
   */
  private static final Field<Long> NEXT_EVENT_SEQ =
      DSL.field(
          "(select max(coalesce((select max(seq) from task_events), 0), high_water) + 1"
              + " from task_event_sequence)",
          TASK_EVENTS.SEQ.getDataType());

  /**
   * Raises the high-water mark of event numbers to the largest in the table: run by purge before it
   * deletes events, so that no number it deletes is handed out again.
   */
  public static final PreparedSql KEEP_EVENT_HIGH_WATER =
      PreparedSql.of(
          DSL.query(
              "update task_event_sequence set high_water ="
                  + " max(high_water, coalesce((select max(seq) from task_events), 0))"));

  /** Records an event; returns its sequence number. */
  public static final PreparedSql INSERT_EVENT =
      PreparedSql.of(
          DSL.resultQuery(
              "{0} returning {1}",
              DSL.insertInto(TASK_EVENTS)
                  .set(TASK_EVENTS.SEQ, NEXT_EVENT_SEQ)
                  .set(TASK_EVENTS.TASK_ID, EVENT_TASK_ID)
                  .set(TASK_EVENTS.AT, EVENT_AT)
                  .set(TASK_EVENTS.ACTOR, EVENT_ACTOR)
                  .set(TASK_EVENTS.TYPE, EVENT_TYPE)
                  .set(TASK_EVENTS.FROM_STATUS, EVENT_FROM)
                  .set(TASK_EVENTS.TO_STATUS, EVENT_TO)
                  .set(TASK_EVENTS.REASON, EVENT_REASON),
              DSL.field(DSL.name(TASK_EVENTS.SEQ.getName()))));

  /** A task's state as a change was worked out from it, for {@link #UPDATE_TASK_IF_UNCHANGED}. */
  public static final Param<String> WAS_STATUS = DSL.param("was_status", String.class);

  public static final Param<Integer> WAS_ATTEMPTS = DSL.param("was_attempts", Integer.class);
  public static final Param<String> WAS_WORKER_ID = DSL.param("was_worker_id", String.class);
  public static final Param<Long> WAS_LEASE_EXPIRES_AT =
      DSL.param("was_lease_expires_at", Long.class);
  public static final Param<Long> WAS_UPDATED_AT = DSL.param("was_updated_at", Long.class);
  public static final Param<Long> WAS_STARTED_AT = DSL.param("was_started_at", Long.class);
  public static final Param<Long> WAS_FINISHED_AT = DSL.param("was_finished_at", Long.class);
  public static final Param<String> WAS_LAST_ERROR = DSL.param("was_last_error", String.class);
  public static final Param<String> WAS_METADATA = DSL.param("was_metadata", String.class);

  /**
   * {@link #UPDATE_TASK} only where every column a change writes still holds the state the change
   * was worked out from ({@code WAS_…}); no row otherwise.
   */
  public static final PreparedSql UPDATE_TASK_IF_UNCHANGED =
      PreparedSql.of(
          DSL.update(TASKS)
              .set(TASKS.STATUS, STATUS)
              .set(TASKS.ATTEMPTS, ATTEMPTS)
              .set(TASKS.WORKER_ID, WORKER_ID)
              .set(TASKS.LEASE_EXPIRES_AT, LEASE_EXPIRES_AT)
              .set(TASKS.UPDATED_AT, UPDATED_AT)
              .set(TASKS.STARTED_AT, STARTED_AT)
              .set(TASKS.FINISHED_AT, FINISHED_AT)
              .set(TASKS.LAST_ERROR, LAST_ERROR)
              .set(TASKS.METADATA, METADATA)
              .where(TASKS.ID.eq(ID))
              .and(TASKS.STATUS.eq(WAS_STATUS))
              .and(TASKS.ATTEMPTS.eq(WAS_ATTEMPTS))
              .and(TASKS.WORKER_ID.isNotDistinctFrom(WAS_WORKER_ID))
              .and(TASKS.LEASE_EXPIRES_AT.isNotDistinctFrom(WAS_LEASE_EXPIRES_AT))
              .and(TASKS.UPDATED_AT.eq(WAS_UPDATED_AT))
              .and(TASKS.STARTED_AT.isNotDistinctFrom(WAS_STARTED_AT))
              .and(TASKS.FINISHED_AT.isNotDistinctFrom(WAS_FINISHED_AT))
              .and(TASKS.LAST_ERROR.isNotDistinctFrom(WAS_LAST_ERROR))
              .and(TASKS.METADATA.eq(WAS_METADATA)));

  private QueueSql() {}

  /**
   * The event numbered {@code seq} is among those {@code eventSeqs} lists (a task's {@link
   * #EVENT_SEQS}, or a query for them): each a rowid look-up of {@code task_events}.
   */
  public static Condition listedIn(Field<Long> seq, Field<String> eventSeqs) {
    return DSL.condition("{0} in (select value from json_each({1}))", seq, eventSeqs);
  }

  /** {@link #IS_LIVE} of a table or its alias. */
  public static Condition isLive(Tasks tasks) {
    return tasks.STATUS.in(LIVE.stream().map(DSL::inline).toList());
  }

  private static <T> Param<T> param(Field<T> column) {
    return DSL.param(column.getName(), column.getDataType());
  }
}
