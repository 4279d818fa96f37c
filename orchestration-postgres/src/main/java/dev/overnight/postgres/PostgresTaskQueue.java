package dev.overnight.postgres;

import static dev.overnight.postgres.internal.schema.Tables.TASKS;
import static dev.overnight.postgres.internal.schema.Tables.TASK_EVENTS;

import dev.overnight.api.Subscription;
import dev.overnight.api.fleet.Labels;
import dev.overnight.api.queue.ClaimFilter;
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
import dev.overnight.postgres.internal.OutcomeUnknownException;
import dev.overnight.postgres.internal.TaskRows;
import dev.overnight.postgres.internal.WorkSignal;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * <p>Every change writes the task and its event together, atomically. The hot path is one statement
 * per step, each its own transaction (autocommit: one round trip, no {@code BEGIN}/{@code COMMIT}):
 * an enqueue inserts the task, its event and (while some process waits for work) the wake-up notice
 * in one statement; a claim takes the next task in one {@code UPDATE … WHERE id = (SELECT … FOR
 * UPDATE SKIP LOCKED) RETURNING} statement, so workers on many machines claim at once without
 * waiting on each other and no task is handed out twice; a worker's change to a task it claimed or
 * changed through this instance is worked out from that remembered state and written by one
 * statement only where the stored task still is in exactly that state. Any other change reads its
 * task {@code FOR UPDATE} first, in a transaction; either way two processes never both act on the
 * same state of a task. Deduplication rests on a unique index over the op hash of live tasks. A
 * connection lost mid-statement is resolved by looking the write up where it can be identified, and
 * reported as unknown where not. The status rules are those of {@link TaskTransitions}, shared with
 * the other queues. Listeners hear of a change made through this instance after it commits, on the
 * calling thread; {@link #awaitWork(Duration)} hears of work made claimable by any process, through
 * {@code LISTEN}/{@code NOTIFY}.
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

  /** How many live tasks an instance remembers: a machine runs a handful at once. */
  private static final int KNOWN_TASKS = 256;

  /** {@code status IN ('PENDING', 'IN_PROGRESS')}, inline: the partial unique index's own. */
  private static final Condition IS_LIVE =
      TASKS.STATUS.in(
          DSL.inline(TaskStatus.PENDING.name()), DSL.inline(TaskStatus.IN_PROGRESS.name()));

  /*
   * The hot paths (enqueue, claim, a change to one task) write a task and its event in one
   * statement each, so a transaction costs one round trip plus its commit; the casts type the
   * parameters PostgreSQL cannot infer inside a SELECT list.
   */

  /** Every column of {@code tasks}, in the order {@link TaskRows#task(ResultSet)} reads them. */
  private static final String TASK_COLUMNS = TaskRows.COLUMNS;

  /**
   * A new task, its event and, when some process waits for work, the wake-up notice; no row when a
   * live twin holds the op hash. No process waits when the waiting lock is free: then this
   * transaction holds it, so a process about to wait looks at the queue after this commits (see
   * {@link WorkSignal}).
   */
  static final String ENQUEUE =
      "WITH t AS (INSERT INTO tasks (id, title, prompt, agent_id, priority, op_hash, status,"
          + " attempts, max_attempts, created_at, updated_at, metadata, required_labels)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[])"
          + " ON CONFLICT (op_hash) WHERE status IN ('PENDING', 'IN_PROGRESS') DO NOTHING"
          + " RETURNING id),"
          + " e AS (INSERT INTO task_events (task_id, at, actor, type, from_status, to_status,"
          + " reason) SELECT id, ?::bigint, ?::varchar, ?::varchar, ?::varchar, ?::varchar,"
          + " ?::text FROM t RETURNING seq)"
          + " SELECT seq, CASE WHEN pg_try_advisory_xact_lock(?, hashtext(?::text)) THEN NULL"
          + " ELSE pg_notify(?::text, '') END FROM e";

  /**
   * The next pending task (priority, then tasks that have run, then FIFO: the claim-order index),
   * skipping rows other workers hold, claimed; with its event, whose reason is {@link
   * TaskTransitions#claimed}'s.
   */
  static final String CLAIM = claimStatement("");

  /** {@link #CLAIM} for a worker with labels: only tasks whose required labels it all carries. */
  static final String CLAIM_WITH_LABELS = claimStatement(" AND required_labels <@ ?::text[]");

  /** {@link #CLAIM} of tasks whose metadata carries a key, such as follow-ups only. */
  private static final String CLAIM_CARRYING =
      claimStatement(" AND (metadata::jsonb -> ?::text) IS NOT NULL");

  /** {@link #CLAIM_WITH_LABELS} and {@link #CLAIM_CARRYING} together. */
  private static final String CLAIM_WITH_LABELS_CARRYING =
      claimStatement(
          " AND required_labels <@ ?::text[] AND (metadata::jsonb -> ?::text) IS NOT NULL");

  private static String claimStatement(String canRun) {
    return "WITH c AS (UPDATE tasks SET status = 'IN_PROGRESS', worker_id = ?, lease_expires_at = ?,"
        + " attempts = attempts + 1, started_at = coalesce(started_at, ?), updated_at = ?"
        + " WHERE id = (SELECT id FROM tasks WHERE status = 'PENDING'"
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

  /**
   * Which of the op hashes (an array parameter, given twice) a task carries: the live ones from the
   * unique live-op-hash index, the finished ones from the finished-op-hash index, so neither branch
   * reads the table's history.
   */
  static final String TAKEN_OP_HASHES =
      "SELECT op_hash FROM tasks WHERE op_hash = ANY (?::text[])"
          + " AND status IN ('PENDING', 'IN_PROGRESS')"
          + " UNION SELECT op_hash FROM tasks WHERE op_hash = ANY (?::text[])"
          + " AND status IN ('COMPLETED', 'FAILED', 'CANCELLED')";

  /** Finished tasks older than a time, with their events; how many tasks went. */
  static final String PURGE =
      "WITH gone AS (DELETE FROM tasks WHERE status IN ('COMPLETED', 'FAILED', 'CANCELLED')"
          + " AND finished_at < ? RETURNING id),"
          + " events AS (DELETE FROM task_events WHERE task_id IN (SELECT id FROM gone))"
          + " SELECT count(*) FROM gone";

  /** A task, locked until the transaction ends. */
  static final String FIND_FOR_UPDATE =
      "SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = ? FOR UPDATE";

  /** A task's new state and its event. */
  static final String RECORD =
      "WITH u AS (UPDATE tasks SET status = ?, attempts = ?, worker_id = ?, lease_expires_at = ?,"
          + " updated_at = ?, started_at = ?, finished_at = ?, last_error = ?, metadata = ?"
          + " WHERE id = ? RETURNING id)"
          + " INSERT INTO task_events (task_id, at, actor, type, from_status, to_status, reason)"
          + " SELECT id, ?::bigint, ?::varchar, ?::varchar, ?::varchar, ?::varchar, ?::text"
          + " FROM u RETURNING seq";

  /**
   * {@link #RECORD} only over the state a change was worked out from (the WHERE clause compares
   * every column a change writes), with the wake-up notice when {@code announce}.
   */
  private static String recordIfUnchanged(boolean announce) {
    return "WITH u AS (UPDATE tasks SET status = ?, attempts = ?, worker_id = ?,"
        + " lease_expires_at = ?, updated_at = ?, started_at = ?, finished_at = ?, last_error = ?,"
        + " metadata = ?"
        + " WHERE id = ? AND status = ? AND attempts = ? AND worker_id IS NOT DISTINCT FROM"
        + " ?::varchar AND lease_expires_at IS NOT DISTINCT FROM ?::bigint AND updated_at = ?"
        + " AND started_at IS NOT DISTINCT FROM ?::bigint AND finished_at IS NOT DISTINCT FROM"
        + " ?::bigint AND last_error IS NOT DISTINCT FROM ?::text AND metadata = ? RETURNING id),"
        + " e AS (INSERT INTO task_events (task_id, at, actor, type, from_status, to_status,"
        + " reason) SELECT id, ?::bigint, ?::varchar, ?::varchar, ?::varchar, ?::varchar, ?::text"
        + " FROM u RETURNING seq)"
        + (announce ? " SELECT seq, pg_notify(?::text, '') FROM e" : " SELECT seq FROM e");
  }

  static final String RECORD_IF_UNCHANGED = recordIfUnchanged(false);
  static final String RECORD_IF_UNCHANGED_AND_ANNOUNCE = recordIfUnchanged(true);

  private final Database db;
  private final WorkSignal signal;
  private final InstantSource clock;
  private final InstantSource leaseClock;
  private final int defaultMaxAttempts;
  private final Listeners<TaskEvent> listeners = new Listeners<>("task event");

  /**
   * The live tasks this instance last claimed or changed, as it wrote them (the most recent few):
   * what a worker's next change to its own task is worked out from without reading it first.
   */
  private final Map<TaskId, Known> known =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<TaskId, Known> eldest) {
              return size() > KNOWN_TASKS;
            }
          });

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

  /**
   * {@inheritDoc}
   *
   * <p>Here one statement in autocommit: the task, its event and the wake-up notice (sent only
   * while some process waits for work) are written together or not at all. If the connection is
   * lost while it runs, the task is looked up by the id this call chose: found, it was written; not
   * found, it is written now under the same id, so a statement that lands late meets the unique id
   * and cannot make a second task.
   */
  @Override
  public EnqueueResult enqueue(TaskSpec spec) {
    Objects.requireNonNull(spec, "spec");
    ensureOpen();
    Instant now = TaskTransitions.now(clock);
    while (true) {
      TaskChange change = TaskTransitions.enqueue(TaskId.random(), spec, defaultMaxAttempts, now);
      List<TaskEvent> events = new ArrayList<>();
      Optional<EnqueueResult> result =
          db.statement(
              "enqueue",
              change.after().id(),
              tx -> {
                events.clear();
                return tryEnqueue(tx, change, events);
              },
              tx -> {
                events.clear();
                Optional<Long> seq = firstEvent(tx, change.after().id());
                seq.ifPresent(n -> events.add(change.toEvent(n)));
                return seq.isPresent()
                    ? Database.Outcome.written(Optional.of(new EnqueueResult(change.after(), true)))
                    : Database.Outcome.notWritten();
              });
      if (result.isPresent()) {
        listeners.publishAll(events);
        return result.get();
      }
      // The live twin finished between the two statements: this work may be queued now.
    }
  }

  private static Optional<Long> firstEvent(Database.Tx tx, TaskId id) {
    return tx.dsl()
        .select(TASK_EVENTS.SEQ)
        .from(TASK_EVENTS)
        .where(TASK_EVENTS.TASK_ID.eq(id.value()))
        .orderBy(TASK_EVENTS.SEQ)
        .limit(1)
        .fetchOptional(TASK_EVENTS.SEQ);
  }

  private static Optional<Long> lastEvent(Database.Tx tx, TaskId id) {
    return tx.dsl()
        .select(TASK_EVENTS.SEQ)
        .from(TASK_EVENTS)
        .where(TASK_EVENTS.TASK_ID.eq(id.value()))
        .orderBy(TASK_EVENTS.SEQ.desc())
        .limit(1)
        .fetchOptional(TASK_EVENTS.SEQ);
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
    if (copy.size() == 1) {
      return List.of(enqueue(copy.get(0)));
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
      Optional<EnqueueResult> result = tryEnqueue(tx, change, events);
      if (result.isPresent()) {
        return result.get();
      }
      // The live twin finished between the two statements: this work may be queued now.
    }
  }

  /**
   * Writes the task, its event and the notice in one round trip; else the live twin that holds its
   * op hash; empty when that twin finished in between.
   */
  private Optional<EnqueueResult> tryEnqueue(
      Database.Tx tx, TaskChange change, List<TaskEvent> events) throws SQLException {
    Task task = change.after();
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
    insert.setInt(20, WorkSignal.WAITING_KEY);
    insert.setString(21, tx.channel());
    insert.setString(22, tx.channel());
    try (ResultSet row = insert.executeQuery()) {
      if (row.next()) {
        events.add(change.toEvent(row.getLong(1)));
        return Optional.of(new EnqueueResult(task, true));
      }
    }
    return tx.dsl()
        .selectFrom(TASKS)
        .where(TASKS.OP_HASH.eq(task.opHash()))
        .and(IS_LIVE)
        .fetchOptional()
        .map(r -> new EnqueueResult(TaskRows.task(r), false));
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

  /**
   * {@inheritDoc}
   *
   * <p>Here in the claim statement itself: labels as {@link #claimNext(String, Set, Duration)}
   * checks them, the required fact as a key of the metadata, inside the same {@code SKIP LOCKED}
   * pick.
   */
  @Override
  public Optional<Task> claimNext(String workerId, ClaimFilter filter, Duration lease) {
    Objects.requireNonNull(filter, "filter");
    return claim(
        workerId,
        filter.workerLabels().map(l -> l.toArray(String[]::new)),
        filter.requiredFact(),
        lease);
  }

  private Optional<Task> claim(String workerId, Optional<String[]> labels, Duration lease) {
    return claim(workerId, labels, Optional.empty(), lease);
  }

  private Optional<Task> claim(
      String workerId, Optional<String[]> labels, Optional<String> fact, Duration lease) {
    TaskTransitions.requireWorker(workerId);
    TaskTransitions.requireLease(lease);
    ensureOpen();
    Instant now = TaskTransitions.now(clock);
    Instant leaseUntil = TaskTransitions.stored(TaskTransitions.now(leaseClock).plus(lease));
    // One statement in autocommit: the claim and its event, or nothing. After a lost connection,
    // the task it would have claimed is the one in progress under this worker with this very
    // claim's times that this process does not hold yet; when that is not one task, the outcome
    // is reported unknown, and a claim that did land comes back when its lease runs out.
    Optional<Changed> changed =
        db.statement(
            "claim a task",
            null,
            tx -> {
              // One round trip: the claim and its event.
              PreparedStatement claim =
                  tx.prepare(
                      labels.isPresent()
                          ? fact.isPresent() ? CLAIM_WITH_LABELS_CARRYING : CLAIM_WITH_LABELS
                          : fact.isPresent() ? CLAIM_CARRYING : CLAIM);
              claim.setString(1, workerId);
              claim.setLong(2, leaseUntil.toEpochMilli());
              claim.setLong(3, now.toEpochMilli());
              claim.setLong(4, now.toEpochMilli());
              int next = 5;
              if (labels.isPresent()) {
                // The subselect's, after the four SET values and before the event's two.
                claim.setArray(next++, claim.getConnection().createArrayOf("text", labels.get()));
              }
              if (fact.isPresent()) {
                claim.setString(next++, fact.get());
              }
              claim.setString(next++, TaskEventType.CLAIMED.name());
              claim.setString(next, leaseUntil.toString());
              try (ResultSet row = claim.executeQuery()) {
                if (!row.next()) {
                  return Optional.empty();
                }
                TaskChange change = TaskTransitions.claimed(TaskRows.task(row));
                return Optional.of(
                    new Changed(
                        change.after(),
                        change.toEvent(row.getLong(TaskRows.COLUMN_COUNT + 1)),
                        TaskRows.metadataJson(row)));
              }
            },
            tx -> claimedBefore(tx, workerId, now, leaseUntil));
    changed.ifPresent(this::remember);
    changed.ifPresent(c -> listeners.publish(c.event));
    return changed.map(Changed::task);
  }

  /** What a claim whose connection was lost did: see {@link #claim}. */
  private Database.Outcome<Optional<Changed>> claimedBefore(
      Database.Tx tx, String workerId, Instant now, Instant leaseUntil) throws SQLException {
    List<Task> candidates =
        tx
            .dsl()
            .selectFrom(TASKS)
            .where(TASKS.STATUS.eq(TaskStatus.IN_PROGRESS.name()))
            .and(TASKS.WORKER_ID.eq(workerId))
            .and(TASKS.UPDATED_AT.eq(now.toEpochMilli()))
            .and(TASKS.LEASE_EXPIRES_AT.eq(leaseUntil.toEpochMilli()))
            .fetch()
            .map(TaskRows::task)
            .stream()
            .filter(t -> !known.containsKey(t.id()))
            .toList();
    if (candidates.isEmpty()) {
      return Database.Outcome.notWritten();
    }
    Optional<Long> seq = candidates.size() == 1 ? lastEvent(tx, candidates.get(0).id()) : null;
    if (seq == null || seq.isEmpty()) {
      return Database.Outcome.unknown();
    }
    TaskChange change = TaskTransitions.claimed(candidates.get(0));
    return Database.Outcome.written(
        Optional.of(new Changed(change.after(), change.toEvent(seq.get()))));
  }

  @Override
  public Task heartbeat(TaskId id, String workerId, Duration lease) {
    Objects.requireNonNull(id, "id");
    TaskTransitions.requireLease(lease);
    ensureOpen();
    Task beat =
        db.write(
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
    remember(beat, MetadataJson.write(beat.metadata()));
    return beat;
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
        },
        false);
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

  /** {@inheritDoc} Here one statement, answered from the two op-hash indexes. */
  @Override
  public Set<String> takenOpHashes(Collection<String> opHashes) {
    Objects.requireNonNull(opHashes, "opHashes");
    ensureOpen();
    String[] wanted = new LinkedHashSet<>(opHashes).toArray(String[]::new);
    if (wanted.length == 0) {
      return Set.of();
    }
    return db.read(
        "look up op hashes",
        tx -> {
          PreparedStatement lookup = tx.prepare(TAKEN_OP_HASHES);
          Array array = lookup.getConnection().createArrayOf("text", wanted);
          lookup.setArray(1, array);
          lookup.setArray(2, array);
          Set<String> found = new HashSet<>();
          try (ResultSet rows = lookup.executeQuery()) {
            while (rows.next()) {
              found.add(rows.getString(1));
            }
          }
          return Set.copyOf(found);
        });
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

  /**
   * {@inheritDoc} Here one query: the tasks changed since, each with the actor of its latest claim
   * event, found through the events' index by task.
   */
  @Override
  public List<Task> ranBy(String workerId, Instant since) {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(since, "since");
    ensureOpen();
    return db.read(
        "read the tasks a worker ran",
        tx ->
            tx.dsl()
                .selectFrom(TASKS)
                .where(TASKS.UPDATED_AT.ge(millisRoundedUp(since)))
                .and(lastClaimer().eq(workerId))
                .orderBy(TASKS.CREATED_AT, TASKS.SEQ)
                .fetch()
                .map(TaskRows::task));
  }

  /** The actor of a task's latest claim event, for a query over {@code tasks}. */
  private static Field<String> lastClaimer() {
    var claims = TASK_EVENTS.as("claims");
    return DSL.field(
        DSL.select(claims.ACTOR)
            .from(claims)
            .where(claims.TASK_ID.eq(TASKS.ID))
            .and(claims.TYPE.eq(TaskEventType.CLAIMED.name()))
            .orderBy(claims.SEQ.desc())
            .limit(DSL.inline(1)));
  }

  @Override
  public int purge(Instant finishedBefore) {
    Objects.requireNonNull(finishedBefore, "finishedBefore");
    ensureOpen();
    // The events go with their task in the same statement: no foreign key cascades them.
    return db.write(
        "purge finished tasks",
        tx -> {
          PreparedStatement purge = tx.prepare(PURGE);
          purge.setLong(1, millisRoundedUp(finishedBefore));
          try (ResultSet row = purge.executeQuery()) {
            row.next();
            return row.getInt(1);
          }
        });
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

  /**
   * A task as this instance last wrote it, with its metadata as stored: the JSON text a change's
   * statement compares, kept rather than written again for every change.
   */
  private record Known(Task task, String metadataJson) {}

  /** A task as a change left it, the change's event and the task's metadata as stored. */
  private record Changed(Task task, TaskEvent event, String metadataJson) {
    Changed(Task task, TaskEvent event) {
      this(task, event, MetadataJson.write(task.metadata()));
    }
  }

  private Task change(TaskId id, String action, Transition transition) {
    return change(id, action, transition, true);
  }

  /**
   * Changes a task: in one statement from the state this process last saw it in, when it still is
   * in that state; otherwise read under a lock and written in one transaction.
   *
   * @param local whether the transition needs nothing but the task (no query of its own), so it can
   *     be worked out before any statement runs
   */
  private Task change(TaskId id, String action, Transition transition, boolean local) {
    Objects.requireNonNull(id, "id");
    ensureOpen();
    Optional<Changed> fast = local ? changeKnown(id, action, transition) : Optional.empty();
    Changed changed = fast.isPresent() ? fast.get() : changeLocked(id, action, transition);
    remember(changed);
    listeners.publish(changed.event);
    return changed.task;
  }

  /**
   * The change worked out from the task as this process last wrote or claimed it, written in one
   * statement in autocommit only if every column a transition reads or writes still holds what it
   * held then; empty when this process knows no state of the task, the transition refuses that
   * state, or the stored task has changed since (another process, another instance): then the
   * locked path decides from the stored task. Comparing the whole state rather than a version makes
   * a stale memory harmless: the statement writes only over the very state the change was worked
   * out from, so it writes what the locked path would have.
   */
  private Optional<Changed> changeKnown(TaskId id, String action, Transition transition) {
    Known before = known.get(id);
    if (before == null) {
      return Optional.empty();
    }
    TaskChange change;
    try {
      change = transition.apply(null, before.task(), TaskTransitions.now(clock));
    } catch (RuntimeException e) {
      return Optional.empty(); // the stored task may allow what the remembered one did not
    }
    try {
      return db.statement(
          action,
          id,
          tx -> recordIfUnchanged(tx, before, change),
          tx -> {
            // After a lost connection: the task as this change leaves it means it was written;
            // as it was before, that it was not; anything else cannot tell.
            Optional<Task> stored = findUnlocked(tx, id);
            if (stored.equals(Optional.of(change.after()))) {
              Optional<Long> seq = lastEvent(tx, id);
              return seq.isPresent()
                  ? Database.Outcome.written(
                      Optional.of(new Changed(change.after(), change.toEvent(seq.get()))))
                  : Database.Outcome.unknown();
            }
            return stored.equals(Optional.of(before.task()))
                ? Database.Outcome.notWritten()
                : Database.Outcome.unknown();
          });
    } catch (OutcomeUnknownException e) {
      known.remove(id);
      throw e;
    }
  }

  /** Remembers a task's state after this process wrote it, while it is live. */
  private void remember(Changed changed) {
    remember(changed.task, changed.metadataJson);
  }

  /**
   * Remembers a task's state after this process wrote it, while it is live, with its metadata as
   * stored.
   */
  private void remember(Task task, String metadataJson) {
    if (task.status().isLive()) {
      known.put(task.id(), new Known(task, metadataJson));
    } else {
      known.remove(task.id());
    }
  }

  private Changed changeLocked(TaskId id, String action, Transition transition) {
    return db.write(
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

  private static Optional<Task> findUnlocked(Database.Tx tx, TaskId id) {
    return tx.dsl()
        .selectFrom(TASKS)
        .where(TASKS.ID.eq(id.value()))
        .fetchOptional()
        .map(TaskRows::task);
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

  /**
   * Binds the task row's columns, {@code after}'s with its metadata as {@code metadataJson}, as
   * parameters 1 to 10 of a change statement.
   */
  private static void bindRow(PreparedStatement record, Task after, String metadataJson)
      throws SQLException {
    record.setString(1, after.status().name());
    record.setInt(2, after.attempts());
    setString(record, 3, after.workerId());
    setLong(record, 4, after.leaseExpiresAt());
    record.setLong(5, after.updatedAt().toEpochMilli());
    setLong(record, 6, after.startedAt());
    setLong(record, 7, after.finishedAt());
    setString(record, 8, after.lastError());
    record.setString(9, metadataJson);
    record.setString(10, after.id().value());
  }

  /** Binds a change's event columns as the six parameters from {@code first} on. */
  private static void bindEvent(PreparedStatement record, int first, TaskChange change)
      throws SQLException {
    Task after = change.after();
    record.setLong(first, after.updatedAt().toEpochMilli());
    record.setString(first + 1, change.actor());
    record.setString(first + 2, change.type().name());
    setString(record, first + 3, change.from().map(Enum::name));
    record.setString(first + 4, after.status().name());
    record.setString(first + 5, change.reason());
  }

  /** Writes a change to a task and its event in one statement (one round trip). */
  private static TaskEvent record(Database.Tx tx, TaskChange change) throws SQLException {
    Task after = change.after();
    PreparedStatement record = tx.prepare(RECORD);
    bindRow(record, after, MetadataJson.write(after.metadata()));
    bindEvent(record, 11, change);
    try (ResultSet row = record.executeQuery()) {
      row.next();
      return change.toEvent(row.getLong(1));
    }
  }

  /**
   * Writes a change and its event in one statement if the task still is in {@code known}'s state;
   * empty, having written nothing, if not.
   */
  private static Optional<Changed> recordIfUnchanged(Database.Tx tx, Known known, TaskChange change)
      throws SQLException {
    Task before = known.task();
    Task after = change.after();
    // Most changes leave the metadata as it was: its stored text is written back, not re-made.
    String afterJson =
        after.metadata().equals(before.metadata())
            ? known.metadataJson()
            : MetadataJson.write(after.metadata());
    boolean announce = after.status() == TaskStatus.PENDING;
    PreparedStatement record =
        tx.prepare(announce ? RECORD_IF_UNCHANGED_AND_ANNOUNCE : RECORD_IF_UNCHANGED);
    bindRow(record, after, afterJson);
    record.setString(11, before.status().name());
    record.setInt(12, before.attempts());
    setString(record, 13, before.workerId());
    setLong(record, 14, before.leaseExpiresAt());
    record.setLong(15, before.updatedAt().toEpochMilli());
    setLong(record, 16, before.startedAt());
    setLong(record, 17, before.finishedAt());
    setString(record, 18, before.lastError());
    record.setString(19, known.metadataJson());
    bindEvent(record, 20, change);
    if (announce) {
      record.setString(26, tx.channel());
    }
    try (ResultSet row = record.executeQuery()) {
      if (!row.next()) {
        return Optional.empty();
      }
      return Optional.of(new Changed(after, change.toEvent(row.getLong(1)), afterJson));
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
