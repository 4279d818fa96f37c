package dev.overnight.postgres;

import static dev.overnight.postgres.internal.schema.Tables.TASKS;
import static dev.overnight.postgres.internal.schema.Tables.TASK_EVENTS;

import dev.overnight.api.Subscription;
import dev.overnight.api.fleet.Labels;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskNotFoundException;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.event.Listeners;
import dev.overnight.core.queue.TaskChange;
import dev.overnight.core.queue.TaskTransitions;
import dev.overnight.core.store.MetadataJson;
import dev.overnight.postgres.internal.Database;
import dev.overnight.postgres.internal.TaskRows;
import dev.overnight.postgres.internal.WorkSignal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * The {@link TaskQueue} on PostgreSQL: one queue shared by every machine of a fleet, with the
 * schema and the guarantees of the SQLite queue.
 *
 * <p>Every change is one transaction that writes the task and its event together. A claim takes the
 * next task in one {@code UPDATE … WHERE seq = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING}
 * statement, so workers on many machines claim at once without waiting on each other and no task is
 * handed out twice; every other change reads its task {@code FOR UPDATE} first, so two processes
 * never both act on the same state of it. Deduplication rests on a unique index over the op hash of
 * live tasks. The status rules are those of {@link TaskTransitions}, shared with the other queues.
 * Listeners hear of a change made through this instance after it commits, on the calling thread;
 * {@link #awaitWork(Duration)} hears of work made claimable by any process, through {@code
 * LISTEN}/{@code NOTIFY}.
 *
 * <p>Times (task times and leases) come from this process's clocks, never the server's: a lease
 * runs out by the clock of the process that recovers it, so the machines of a fleet must keep their
 * clocks in step (NTP), as they must for any lease.
 *
 * <p>Take one from {@link PostgresStore#taskQueue()}. Thread-safe.
 *
 * @since 0.1.0
 */
public final class PostgresTaskQueue implements TaskQueue {

  private static final List<String> TERMINAL =
      List.of(TaskStatus.COMPLETED.name(), TaskStatus.FAILED.name(), TaskStatus.CANCELLED.name());

  /** {@code status IN ('PENDING', 'IN_PROGRESS')}, inline: the partial unique index's own. */
  private static final Condition IS_LIVE =
      TASKS.STATUS.in(
          DSL.inline(TaskStatus.PENDING.name()), DSL.inline(TaskStatus.IN_PROGRESS.name()));

  /*
   * The hot paths (enqueue, claim, a change to one task) write a task and its event in one
   * statement each, so a transaction costs one round trip plus its commit; the casts type the
   * parameters PostgreSQL cannot infer inside a SELECT list.
   */

  /** Every column of {@code tasks}, named: a cached plan survives a column added later. */
  private static final String TASK_COLUMNS =
      "seq, id, title, prompt, agent_id, priority, op_hash, status, attempts, max_attempts,"
          + " worker_id, lease_expires_at, created_at, updated_at, started_at, finished_at,"
          + " last_error, metadata";

  /** A new task, its event and the wake-up notice; no row when a live twin holds the op hash. */
  private static final String ENQUEUE =
      "WITH t AS (INSERT INTO tasks (id, title, prompt, agent_id, priority, op_hash, status,"
          + " attempts, max_attempts, created_at, updated_at, metadata, required_labels)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[])"
          + " ON CONFLICT (op_hash) WHERE status IN ('PENDING', 'IN_PROGRESS') DO NOTHING"
          + " RETURNING id),"
          + " e AS (INSERT INTO task_events (task_id, at, actor, type, from_status, to_status,"
          + " reason) SELECT id, ?::bigint, ?::varchar, ?::varchar, ?::varchar, ?::varchar,"
          + " ?::text FROM t RETURNING seq)"
          + " SELECT seq, pg_notify(?::text, '') FROM e";

  /**
   * The next pending task (priority, then tasks that have run, then FIFO: the claim-order index),
   * skipping rows other workers hold, claimed; with its event, whose reason is {@link
   * TaskTransitions#claimed}'s.
   */
  private static final String CLAIM = claimStatement("");

  /** {@link #CLAIM} for a worker with labels: only tasks whose required labels it all carries. */
  private static final String CLAIM_WITH_LABELS =
      claimStatement(" AND required_labels <@ ?::text[]");

  private static String claimStatement(String canRun) {
    return "WITH c AS (UPDATE tasks SET status = 'IN_PROGRESS', worker_id = ?, lease_expires_at = ?,"
        + " attempts = attempts + 1, started_at = coalesce(started_at, ?), updated_at = ?"
        + " WHERE seq = (SELECT seq FROM tasks WHERE status = 'PENDING'"
        + canRun
        + " ORDER BY priority, (started_at IS NULL), seq LIMIT 1 FOR UPDATE SKIP LOCKED)"
        + " RETURNING "
        + TASK_COLUMNS
        + "),"
        + " e AS (INSERT INTO task_events (task_id, at, actor, type, from_status, to_status,"
        + " reason) SELECT id, updated_at, worker_id, ?::varchar, 'PENDING', 'IN_PROGRESS',"
        + " 'attempt ' || attempts || ' of ' || max_attempts || ', lease until ' || ?::text"
        + " FROM c RETURNING seq)"
        + " SELECT c.*, e.seq AS event_seq FROM c CROSS JOIN e";
  }

  /** A task, locked until the transaction ends. */
  private static final String FIND_FOR_UPDATE =
      "SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = ? FOR UPDATE";

  /** A task's new state and its event. */
  private static final String RECORD =
      "WITH u AS (UPDATE tasks SET status = ?, attempts = ?, worker_id = ?, lease_expires_at = ?,"
          + " updated_at = ?, started_at = ?, finished_at = ?, last_error = ?, metadata = ?"
          + " WHERE id = ? RETURNING id)"
          + " INSERT INTO task_events (task_id, at, actor, type, from_status, to_status, reason)"
          + " SELECT id, ?::bigint, ?::varchar, ?::varchar, ?::varchar, ?::varchar, ?::text"
          + " FROM u RETURNING seq";

  private final Database db;
  private final WorkSignal signal;
  private final InstantSource clock;
  private final InstantSource leaseClock;
  private final int defaultMaxAttempts;
  private final Listeners<TaskEvent> listeners = new Listeners<>("task event");
  private volatile boolean closed;

  PostgresTaskQueue(
      Database db,
      WorkSignal signal,
      InstantSource clock,
      InstantSource leaseClock,
      int defaultMaxAttempts) {
    this.db = db;
    this.signal = signal;
    this.clock = clock;
    this.leaseClock = leaseClock;
    this.defaultMaxAttempts = defaultMaxAttempts;
  }

  @Override
  public EnqueueResult enqueue(TaskSpec spec) {
    Objects.requireNonNull(spec, "spec");
    return enqueueAll(List.of(spec)).get(0);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here all in one transaction: the whole list or, if the database fails, none of it.
   */
  @Override
  public List<EnqueueResult> enqueueAll(List<TaskSpec> specs) {
    List<TaskSpec> copy = List.copyOf(specs);
    ensureOpen();
    if (copy.isEmpty()) {
      return List.of();
    }
    List<TaskEvent> events = new ArrayList<>();
    List<EnqueueResult> results =
        db.write(
            "enqueue",
            tx -> {
              events.clear();
              Instant now = TaskTransitions.now(clock);
              List<EnqueueResult> out = new ArrayList<>(copy.size());
              for (TaskSpec spec : copy) {
                out.add(enqueueOne(tx, spec, now, events));
              }
              return out;
            });
    listeners.publishAll(events);
    return List.copyOf(results);
  }

  private EnqueueResult enqueueOne(
      Database.Tx tx, TaskSpec spec, Instant now, List<TaskEvent> events) throws SQLException {
    while (true) {
      TaskChange change = TaskTransitions.enqueue(TaskId.random(), spec, defaultMaxAttempts, now);
      Task task = change.after();
      // One round trip: the task, its event and the notice, or nothing when a live twin exists.
      PreparedStatement insert = tx.prepare(ENQUEUE);
      insert.setString(1, task.id().value());
      insert.setString(2, task.title());
      insert.setString(3, task.prompt());
      setString(insert, 4, task.agentId());
      insert.setInt(5, task.priority().rank());
      insert.setString(6, task.opHash());
      insert.setString(7, task.status().name());
      insert.setInt(8, task.attempts());
      insert.setInt(9, task.maxAttempts());
      insert.setLong(10, task.createdAt().toEpochMilli());
      insert.setLong(11, task.updatedAt().toEpochMilli());
      insert.setString(12, MetadataJson.write(task.metadata()));
      insert.setArray(
          13,
          insert
              .getConnection()
              .createArrayOf(
                  "text",
                  TaskFacts.REQUIRED_LABELS.from(task).orElse(Set.of()).toArray(String[]::new)));
      insert.setLong(14, task.updatedAt().toEpochMilli());
      insert.setString(15, change.actor());
      insert.setString(16, change.type().name());
      setString(insert, 17, change.from().map(Enum::name));
      insert.setString(18, task.status().name());
      insert.setString(19, change.reason());
      insert.setString(20, tx.channel());
      try (ResultSet row = insert.executeQuery()) {
        if (row.next()) {
          events.add(change.toEvent(row.getLong(1)));
          return new EnqueueResult(task, true);
        }
      }
      Optional<Task> live =
          tx.dsl()
              .selectFrom(TASKS)
              .where(TASKS.OP_HASH.eq(spec.opHash()))
              .and(IS_LIVE)
              .fetchOptional()
              .map(TaskRows::task);
      if (live.isPresent()) {
        return new EnqueueResult(live.get(), false);
      }
      // The live twin finished between the two statements: this work may be queued now.
    }
  }

  @Override
  public Optional<Task> claimNext(String workerId, Duration lease) {
    return claim(workerId, Optional.empty(), lease);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here in the claim statement itself: the task's required labels (an array column filled at
   * enqueue) must be contained in the worker's ({@code required_labels <@ ARRAY[…]}), inside the
   * same {@code SKIP LOCKED} pick.
   */
  @Override
  public Optional<Task> claimNext(String workerId, Set<String> labels, Duration lease) {
    return claim(workerId, Optional.of(Labels.of(labels).toArray(String[]::new)), lease);
  }

  private Optional<Task> claim(String workerId, Optional<String[]> labels, Duration lease) {
    TaskTransitions.requireWorker(workerId);
    TaskTransitions.requireLease(lease);
    ensureOpen();
    Optional<Changed> changed =
        db.write(
            "claim a task",
            tx -> {
              Instant now = TaskTransitions.now(clock);
              Instant leaseNow = TaskTransitions.now(leaseClock);
              Instant leaseUntil = TaskTransitions.stored(leaseNow.plus(lease));
              // One round trip: the claim and its event.
              PreparedStatement claim = tx.prepare(labels.isPresent() ? CLAIM_WITH_LABELS : CLAIM);
              claim.setString(1, workerId);
              claim.setLong(2, leaseUntil.toEpochMilli());
              claim.setLong(3, now.toEpochMilli());
              claim.setLong(4, now.toEpochMilli());
              int next = 5;
              if (labels.isPresent()) {
                // The subselect's, after the four SET values and before the event's two.
                claim.setArray(next++, claim.getConnection().createArrayOf("text", labels.get()));
              }
              claim.setString(next++, TaskEventType.CLAIMED.name());
              claim.setString(next, leaseUntil.toString());
              try (ResultSet row = claim.executeQuery()) {
                if (!row.next()) {
                  return Optional.empty();
                }
                TaskChange change = TaskTransitions.claimed(TaskRows.task(row));
                return Optional.of(
                    new Changed(change.after(), change.toEvent(row.getLong("event_seq"))));
              }
            });
    changed.ifPresent(c -> listeners.publish(c.event));
    return changed.map(Changed::task);
  }

  @Override
  public Task heartbeat(TaskId id, String workerId, Duration lease) {
    Objects.requireNonNull(id, "id");
    TaskTransitions.requireLease(lease);
    ensureOpen();
    return db.write(
        "heartbeat task",
        id,
        tx -> {
          Task after =
              TaskTransitions.heartbeatUntil(
                  find(tx, id),
                  workerId,
                  TaskTransitions.now(leaseClock).plus(lease),
                  TaskTransitions.now(clock));
          update(tx.dsl(), after);
          return after;
        });
  }

  @Override
  public Task annotate(TaskId id, String workerId, Map<String, String> metadata) {
    return change(
        id, "annotate task", (dsl, t, now) -> TaskTransitions.annotate(t, workerId, metadata, now));
  }

  @Override
  public Task complete(TaskId id, String workerId, String summary, Map<String, String> metadata) {
    return change(
        id,
        "complete task",
        (dsl, t, now) -> TaskTransitions.complete(t, workerId, summary, metadata, now));
  }

  @Override
  public Task fail(TaskId id, String workerId, String reason, Retry retry) {
    return change(
        id, "fail task", (dsl, t, now) -> TaskTransitions.fail(t, workerId, reason, retry, now));
  }

  @Override
  public Task note(TaskId id, String actor, Map<String, String> metadata) {
    return change(id, "note task", (dsl, t, now) -> TaskTransitions.note(t, actor, metadata, now));
  }

  @Override
  public Task cancel(TaskId id, String actor, String reason) {
    return change(
        id, "cancel task", (dsl, t, now) -> TaskTransitions.cancel(t, actor, reason, now));
  }

  @Override
  public Task retry(TaskId id, String actor, String reason) {
    return change(
        id,
        "retry task",
        (dsl, t, now) -> {
          Optional<Task> twin =
              dsl.selectFrom(TASKS)
                  .where(TASKS.OP_HASH.eq(t.opHash()))
                  .and(IS_LIVE)
                  .fetchOptional()
                  .map(TaskRows::task);
          return TaskTransitions.retry(t, actor, reason, twin, now);
        });
  }

  @Override
  public List<Task> recoverExpiredLeases() {
    ensureOpen();
    // A read first: the usual answer is "none", and it should lock nothing.
    boolean any =
        db.read(
            "look for expired leases",
            tx -> tx.dsl().fetchExists(TASKS, expiredBy(TaskTransitions.now(leaseClock))));
    if (!any) {
      return List.of();
    }
    List<TaskEvent> events = new ArrayList<>();
    List<Task> recovered =
        db.write(
            "recover expired leases",
            tx -> {
              events.clear();
              Instant now = TaskTransitions.now(clock);
              Instant leaseNow = TaskTransitions.now(leaseClock);
              // SKIP LOCKED: a task another process is changing right now is not expired for it.
              List<Task> expired =
                  tx.dsl()
                      .selectFrom(TASKS)
                      .where(expiredBy(leaseNow))
                      .orderBy(TASKS.PRIORITY, TASKS.SEQ)
                      .forUpdate()
                      .skipLocked()
                      .fetch()
                      .map(TaskRows::task);
              return recoverAll(
                  tx, expired, t -> TaskTransitions.expireLease(t, leaseNow, now), events);
            });
    listeners.publishAll(events);
    return List.copyOf(recovered);
  }

  @Override
  public List<Task> recoverLeasesOf(String workerId, String reason) {
    TaskTransitions.requireWorker(workerId);
    Objects.requireNonNull(reason, "reason");
    ensureOpen();
    List<TaskEvent> events = new ArrayList<>();
    List<Task> recovered =
        db.write(
            "recover the tasks of worker",
            workerId,
            tx -> {
              events.clear();
              Instant now = TaskTransitions.now(clock);
              List<Task> held =
                  tx.dsl()
                      .selectFrom(TASKS)
                      .where(TASKS.STATUS.eq(TaskStatus.IN_PROGRESS.name()))
                      .and(TASKS.WORKER_ID.eq(workerId))
                      .orderBy(TASKS.PRIORITY, TASKS.SEQ)
                      .forUpdate()
                      .fetch()
                      .map(TaskRows::task);
              return recoverAll(
                  tx,
                  held,
                  t -> TaskTransitions.recoverFromDeadWorker(t, workerId, reason, now),
                  events);
            });
    listeners.publishAll(events);
    return List.copyOf(recovered);
  }

  private interface Recovery {
    TaskChange apply(Task task);
  }

  private static List<Task> recoverAll(
      Database.Tx tx, List<Task> tasks, Recovery recovery, List<TaskEvent> events)
      throws SQLException {
    List<Task> out = new ArrayList<>();
    for (Task task : tasks) {
      TaskChange change = recovery.apply(task);
      events.add(record(tx, change));
      out.add(change.after());
    }
    if (out.stream().anyMatch(t -> t.status() == TaskStatus.PENDING)) {
      tx.announceWork();
    }
    return out;
  }

  @Override
  public boolean awaitWork(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    ensureOpen();
    return signal.await(timeout);
  }

  @Override
  public Optional<Task> get(TaskId id) {
    Objects.requireNonNull(id, "id");
    ensureOpen();
    return db.read(
        "read task",
        id,
        tx ->
            tx.dsl()
                .selectFrom(TASKS)
                .where(TASKS.ID.eq(id.value()))
                .fetchOptional()
                .map(TaskRows::task));
  }

  @Override
  public Page<Task> list(TaskFilter filter) {
    Objects.requireNonNull(filter, "filter");
    ensureOpen();
    Condition where = DSL.noCondition();
    if (!filter.statuses().isEmpty()) {
      where = where.and(TASKS.STATUS.in(filter.statuses().stream().map(Enum::name).toList()));
    }
    if (filter.agentId().isPresent()) {
      where = where.and(TASKS.AGENT_ID.eq(filter.agentId().get()));
    }
    Condition matching = where;
    Field<Integer> liveFirst = DSL.when(IS_LIVE, DSL.inline(0)).otherwise(DSL.inline(1));
    return db.read(
        "list tasks",
        tx -> {
          int total = tx.dsl().fetchCount(TASKS, matching);
          List<Task> items =
              tx.dsl()
                  .selectFrom(TASKS)
                  .where(matching)
                  .orderBy(
                      liveFirst.asc(),
                      DSL.when(IS_LIVE, TASKS.PRIORITY).asc(),
                      DSL.when(IS_LIVE, DSL.field(TASKS.STARTED_AT.isNull())).asc(),
                      DSL.when(IS_LIVE, TASKS.SEQ).asc(),
                      TASKS.FINISHED_AT.desc().nullsLast(),
                      TASKS.SEQ.desc())
                  .limit(filter.limit())
                  .offset(filter.offset())
                  .fetch()
                  .map(TaskRows::task);
          return new Page<>(items, total, filter.offset());
        });
  }

  @Override
  public List<TaskEvent> events(TaskId id) {
    Objects.requireNonNull(id, "id");
    ensureOpen();
    return db.read(
        "read the events of task",
        id,
        tx ->
            tx.dsl()
                .selectFrom(TASK_EVENTS)
                .where(TASK_EVENTS.TASK_ID.eq(id.value()))
                .orderBy(TASK_EVENTS.SEQ)
                .fetch()
                .map(TaskRows::event));
  }

  @Override
  public int purge(Instant finishedBefore) {
    Objects.requireNonNull(finishedBefore, "finishedBefore");
    ensureOpen();
    // The events go with their task (ON DELETE CASCADE).
    return db.write(
        "purge finished tasks",
        tx ->
            tx.dsl()
                .deleteFrom(TASKS)
                .where(TASKS.STATUS.in(TERMINAL))
                .and(TASKS.FINISHED_AT.lt(millisRoundedUp(finishedBefore)))
                .execute());
  }

  @Override
  public Subscription subscribe(Consumer<TaskEvent> listener) {
    return listeners.subscribe(listener);
  }

  /** Closes the queue; the store stays open for its other users. */
  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "PostgresTaskQueue[" + db.endpoint().safeUrl() + "]";
  }

  private interface Transition {
    TaskChange apply(DSLContext dsl, Task task, Instant now);
  }

  private record Changed(Task task, TaskEvent event) {}

  private Task change(TaskId id, String action, Transition transition) {
    Objects.requireNonNull(id, "id");
    ensureOpen();
    Changed changed =
        db.write(
            action,
            id,
            tx -> {
              Task task = find(tx, id);
              TaskChange change = transition.apply(tx.dsl(), task, TaskTransitions.now(clock));
              if (change.after().status() == TaskStatus.PENDING) {
                tx.announceWork();
              }
              return new Changed(change.after(), record(tx, change));
            });
    listeners.publish(changed.event);
    return changed.task;
  }

  private void ensureOpen() {
    if (closed || db.isClosed()) {
      throw new TaskQueueException(
          "The task queue on PostgreSQL at " + db.endpoint().safeUrl() + " is closed");
    }
  }

  /**
   * Finish times are whole milliseconds: "before 10.5 ms" includes 10 ms, as it does for the
   * in-memory queue, which compares instants.
   */
  private static long millisRoundedUp(Instant instant) {
    long millis = instant.toEpochMilli();
    return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
  }

  private static Condition expiredBy(Instant now) {
    return TASKS
        .STATUS
        .eq(TaskStatus.IN_PROGRESS.name())
        .and(TASKS.LEASE_EXPIRES_AT.le(now.toEpochMilli()));
  }

  /** The task, locked until the transaction ends. */
  private static Task find(Database.Tx tx, TaskId id) throws SQLException {
    PreparedStatement find = tx.prepare(FIND_FOR_UPDATE);
    find.setString(1, id.value());
    try (ResultSet row = find.executeQuery()) {
      if (!row.next()) {
        throw new TaskNotFoundException(id);
      }
      return TaskRows.task(row);
    }
  }

  private static void update(DSLContext dsl, Task after) {
    dsl.update(TASKS)
        .set(TASKS.STATUS, after.status().name())
        .set(TASKS.ATTEMPTS, after.attempts())
        .set(TASKS.WORKER_ID, after.workerId().orElse(null))
        .set(TASKS.LEASE_EXPIRES_AT, TaskRows.millis(after.leaseExpiresAt()))
        .set(TASKS.UPDATED_AT, after.updatedAt().toEpochMilli())
        .set(TASKS.STARTED_AT, TaskRows.millis(after.startedAt()))
        .set(TASKS.FINISHED_AT, TaskRows.millis(after.finishedAt()))
        .set(TASKS.LAST_ERROR, after.lastError().orElse(null))
        .set(TASKS.METADATA, MetadataJson.write(after.metadata()))
        .where(TASKS.ID.eq(after.id().value()))
        .execute();
  }

  /** Writes a change to a task and its event in one statement (one round trip). */
  private static TaskEvent record(Database.Tx tx, TaskChange change) throws SQLException {
    Task after = change.after();
    PreparedStatement record = tx.prepare(RECORD);
    record.setString(1, after.status().name());
    record.setInt(2, after.attempts());
    setString(record, 3, after.workerId());
    setLong(record, 4, after.leaseExpiresAt());
    record.setLong(5, after.updatedAt().toEpochMilli());
    setLong(record, 6, after.startedAt());
    setLong(record, 7, after.finishedAt());
    setString(record, 8, after.lastError());
    record.setString(9, MetadataJson.write(after.metadata()));
    record.setString(10, after.id().value());
    record.setLong(11, after.updatedAt().toEpochMilli());
    record.setString(12, change.actor());
    record.setString(13, change.type().name());
    setString(record, 14, change.from().map(Enum::name));
    record.setString(15, after.status().name());
    record.setString(16, change.reason());
    try (ResultSet row = record.executeQuery()) {
      row.next();
      return change.toEvent(row.getLong(1));
    }
  }

  private static void setString(PreparedStatement s, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      s.setString(index, value.get());
    } else {
      s.setNull(index, Types.VARCHAR);
    }
  }

  private static void setLong(PreparedStatement s, int index, Optional<Instant> value)
      throws SQLException {
    if (value.isPresent()) {
      s.setLong(index, value.get().toEpochMilli());
    } else {
      s.setNull(index, Types.BIGINT);
    }
  }
}
