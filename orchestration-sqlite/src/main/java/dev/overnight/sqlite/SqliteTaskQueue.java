package dev.overnight.sqlite;

import static dev.overnight.sqlite.internal.schema.Tables.TASKS;
import static dev.overnight.sqlite.internal.schema.Tables.TASK_EVENTS;

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
import dev.overnight.core.store.StringsJson;
import dev.overnight.sqlite.internal.BoundStatement;
import dev.overnight.sqlite.internal.Database;
import dev.overnight.sqlite.internal.QueueSql;
import dev.overnight.sqlite.internal.TaskRows;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import org.jooq.Field;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;

/**
 * The {@link TaskQueue} on an SQLite file: the persistent queue of a night, safe for several
 * threads and several processes on one file.
 *
 * <p>Every change is one {@code BEGIN IMMEDIATE} transaction that writes the task and its event
 * together; a claim picks and takes the next task in one {@code UPDATE … RETURNING} statement.
 * Deduplication rests on a unique index over the op hash of live tasks, so two processes can never
 * both enqueue the same work. The status rules are those of {@link TaskTransitions}, shared with
 * the in-memory queue. Listeners hear of a change after it commits, on the calling thread.
 *
 * <p>Open one with {@link #builder(Path)}, or take {@link SqliteStore#taskQueue()} to share the
 * file with the scheduler's state. See {@link SqliteStore} for the file's settings and what
 * survives a crash.
 *
 * @since 0.1.0
 */
public final class SqliteTaskQueue implements TaskQueue {

  /** How many live tasks an instance remembers: a machine runs a handful at once. */
  private static final int KNOWN_TASKS = 256;

  private static final List<String> TERMINAL =
      List.of(TaskStatus.COMPLETED.name(), TaskStatus.FAILED.name(), TaskStatus.CANCELLED.name());

  private final Database db;
  private final InstantSource clock;
  private final InstantSource leaseClock;
  private final int defaultMaxAttempts;
  private final boolean ownsDatabase;

  /**
   * The live tasks this instance last claimed or changed, as it wrote them (the most recent few):
   * what a worker's next change to its own task is worked out from without reading it first.
   */
  private final Map<TaskId, Task> known =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<TaskId, Task> eldest) {
              return size() > KNOWN_TASKS;
            }
          });

  private final Listeners<TaskEvent> listeners = new Listeners<>("task event");
  private volatile boolean closed;

  SqliteTaskQueue(
      Database db,
      InstantSource clock,
      InstantSource leaseClock,
      int defaultMaxAttempts,
      boolean ownsDatabase) {
    this.db = db;
    this.clock = clock;
    this.leaseClock = leaseClock;
    this.defaultMaxAttempts = defaultMaxAttempts;
    this.ownsDatabase = ownsDatabase;
  }

  /** Starts a queue on its own database file (created if absent). */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /** The database file. */
  public Path file() {
    return db.file();
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
                TaskChange change =
                    TaskTransitions.enqueue(TaskId.random(), spec, defaultMaxAttempts, now);
                if (insert(tx, change.after())) {
                  events.add(insertEvent(tx, change));
                  out.add(new EnqueueResult(change.after(), true));
                } else {
                  Task live =
                      tx.run(QueueSql.SELECT_LIVE_BY_OP_HASH)
                          .set(QueueSql.OP_HASH, spec.opHash())
                          .one(TaskRows::task)
                          .orElseThrow();
                  out.add(new EnqueueResult(live, false));
                }
              }
              return out;
            });
    listeners.publishAll(events);
    return List.copyOf(results);
  }

  @Override
  public Optional<Task> claimNext(String workerId, Duration lease) {
    return claim(workerId, Optional.empty(), lease);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here in the claim statement itself: the task's required labels (a JSON column filled at
   * enqueue) are checked with {@code json_each} against the worker's.
   */
  @Override
  public Optional<Task> claimNext(String workerId, Set<String> labels, Duration lease) {
    Objects.requireNonNull(labels, "labels");
    return claim(workerId, Optional.of(StringsJson.write(List.copyOf(Labels.of(labels)))), lease);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here in the claim statement itself: labels as {@link #claimNext(String, Set, Duration)}
   * checks them, the required fact with {@code json_type} on the metadata.
   */
  @Override
  public Optional<Task> claimNext(String workerId, ClaimFilter filter, Duration lease) {
    Objects.requireNonNull(filter, "filter");
    return claim(
        workerId,
        filter.workerLabels().map(l -> StringsJson.write(List.copyOf(l))),
        filter.requiredFact().map(k -> "$.\"" + k + "\""),
        lease);
  }

  private Optional<Task> claim(String workerId, Optional<String> labelsJson, Duration lease) {
    return claim(workerId, labelsJson, Optional.empty(), lease);
  }

  private Optional<Task> claim(
      String workerId, Optional<String> labelsJson, Optional<String> factPath, Duration lease) {
    TaskTransitions.requireWorker(workerId);
    TaskTransitions.requireLease(lease);
    ensureOpen();
    Optional<Changed> changed =
        db.write(
            "claim a task",
            tx -> {
              Instant now = TaskTransitions.now(clock);
              Instant leaseNow = TaskTransitions.now(leaseClock);
              BoundStatement claim =
                  tx.run(
                      labelsJson.isPresent()
                          ? factPath.isPresent()
                              ? QueueSql.CLAIM_WITH_LABELS_CARRYING
                              : QueueSql.CLAIM_WITH_LABELS
                          : factPath.isPresent() ? QueueSql.CLAIM_CARRYING : QueueSql.CLAIM);
              if (labelsJson.isPresent()) {
                claim.set(QueueSql.WORKER_LABELS, labelsJson.get());
              }
              if (factPath.isPresent()) {
                claim.set(QueueSql.REQUIRED_FACT_PATH, factPath.get());
              }
              Optional<Task> claimed =
                  claim
                      .set(QueueSql.WORKER_ID, workerId)
                      .set(
                          QueueSql.LEASE_EXPIRES_AT,
                          TaskTransitions.stored(leaseNow.plus(lease)).toEpochMilli())
                      .set(QueueSql.NOW, now.toEpochMilli())
                      .one(TaskRows::task);
              if (claimed.isEmpty()) {
                return Optional.empty();
              }
              TaskChange change = TaskTransitions.claimed(claimed.get());
              return Optional.of(new Changed(change.after(), insertEvent(tx, change)));
            });
    changed.ifPresent(c -> remember(c.task));
    changed.ifPresent(c -> listeners.publish(c.event));
    return changed.map(Changed::task);
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
              update(tx, after);
              return after;
            });
    remember(beat);
    return beat;
  }

  @Override
  public Task annotate(TaskId id, String workerId, Map<String, String> metadata) {
    return change(
        id, "annotate task", (tx, t, now) -> TaskTransitions.annotate(t, workerId, metadata, now));
  }

  @Override
  public Task complete(TaskId id, String workerId, String summary, Map<String, String> metadata) {
    return change(
        id,
        "complete task",
        (tx, t, now) -> TaskTransitions.complete(t, workerId, summary, metadata, now));
  }

  @Override
  public Task fail(TaskId id, String workerId, String reason, Retry retry) {
    return change(
        id, "fail task", (tx, t, now) -> TaskTransitions.fail(t, workerId, reason, retry, now));
  }

  @Override
  public Task note(TaskId id, String actor, Map<String, String> metadata) {
    return change(id, "note task", (tx, t, now) -> TaskTransitions.note(t, actor, metadata, now));
  }

  @Override
  public Task cancel(TaskId id, String actor, String reason) {
    return change(id, "cancel task", (tx, t, now) -> TaskTransitions.cancel(t, actor, reason, now));
  }

  @Override
  public Task retry(TaskId id, String actor, String reason) {
    return change(
        id,
        "retry task",
        (tx, t, now) -> {
          Optional<Task> twin =
              tx.run(QueueSql.SELECT_LIVE_BY_OP_HASH)
                  .set(QueueSql.OP_HASH, t.opHash())
                  .one(TaskRows::task);
          return TaskTransitions.retry(t, actor, reason, twin, now);
        },
        false);
  }

  @Override
  public List<Task> recoverExpiredLeases() {
    ensureOpen();
    // A read first: the usual answer is "none", and it should not take the write lock.
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
              List<Task> expired =
                  fetch(
                      tx.dsl()
                          .selectFrom(TASKS)
                          .where(expiredBy(leaseNow))
                          .orderBy(TASKS.PRIORITY, TASKS.SEQ),
                      TaskRows::task);
              List<Task> out = new ArrayList<>();
              for (Task task : expired) {
                TaskChange change = TaskTransitions.expireLease(task, leaseNow, now);
                update(tx, change.after());
                events.add(insertEvent(tx, change));
                out.add(change.after());
              }
              return out;
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
                  fetch(
                      tx.dsl()
                          .selectFrom(TASKS)
                          .where(QueueSql.IS_LIVE)
                          .and(TASKS.STATUS.eq(TaskStatus.IN_PROGRESS.name()))
                          .and(TASKS.WORKER_ID.eq(workerId))
                          .orderBy(TASKS.PRIORITY, TASKS.SEQ),
                      TaskRows::task);
              List<Task> out = new ArrayList<>();
              for (Task task : held) {
                TaskChange change =
                    TaskTransitions.recoverFromDeadWorker(task, workerId, reason, now);
                update(tx, change.after());
                events.add(insertEvent(tx, change));
                out.add(change.after());
              }
              return out;
            });
    listeners.publishAll(events);
    return List.copyOf(recovered);
  }

  @Override
  public Optional<Task> get(TaskId id) {
    Objects.requireNonNull(id, "id");
    ensureOpen();
    return db.read(
        "read task",
        id,
        tx -> tx.run(QueueSql.SELECT_BY_ID).set(QueueSql.ID, id.value()).one(TaskRows::task));
  }

  @Override
  public Set<String> takenOpHashes(Collection<String> opHashes) {
    Objects.requireNonNull(opHashes, "opHashes");
    ensureOpen();
    List<String> wanted = List.copyOf(new LinkedHashSet<>(opHashes));
    if (wanted.isEmpty()) {
      return Set.of();
    }
    return db.read(
        "look up op hashes",
        tx -> {
          Set<String> found = new HashSet<>();
          // SQLite allows 999 parameters in older builds: ask in chunks well below that.
          for (int i = 0; i < wanted.size(); i += 500) {
            List<String> chunk = wanted.subList(i, Math.min(wanted.size(), i + 500));
            found.addAll(
                tx.dsl()
                    .selectDistinct(TASKS.OP_HASH)
                    .from(TASKS)
                    .where(TASKS.OP_HASH.in(chunk))
                    .fetch(TASKS.OP_HASH));
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
    Field<Integer> liveFirst = DSL.when(QueueSql.IS_LIVE, DSL.inline(0)).otherwise(DSL.inline(1));
    return db.read(
        "list tasks",
        tx -> {
          int total = tx.dsl().fetchCount(TASKS, matching);
          List<Task> items =
              fetch(
                  tx.dsl()
                      .selectFrom(TASKS)
                      .where(matching)
                      .orderBy(
                          liveFirst.asc(),
                          DSL.when(QueueSql.IS_LIVE, TASKS.PRIORITY).asc(),
                          DSL.when(QueueSql.IS_LIVE, DSL.field(TASKS.STARTED_AT.isNull())).asc(),
                          DSL.when(QueueSql.IS_LIVE, TASKS.SEQ).asc(),
                          TASKS.FINISHED_AT.desc(),
                          TASKS.SEQ.desc())
                      .limit(filter.limit())
                      .offset(filter.offset()),
                  TaskRows::task);
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
        tx -> tx.run(QueueSql.SELECT_EVENTS_OF).set(QueueSql.ID, id.value()).all(TaskRows::event));
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
            fetch(
                tx.dsl()
                    .selectFrom(TASKS)
                    .where(TASKS.UPDATED_AT.ge(millisRoundedUp(since)))
                    .and(lastClaimer().eq(workerId))
                    .orderBy(TASKS.CREATED_AT, TASKS.SEQ),
                TaskRows::task));
  }

  /**
   * The actor of a task's latest claim event, for a query over {@code tasks}: among the events its
   * row lists (see QueueSql.SELECT_EVENTS_OF), so each task costs a few rowid look-ups.
   */
  private static Field<String> lastClaimer() {
    var claims = TASK_EVENTS.as("claims");
    return DSL.field(
        DSL.select(claims.ACTOR)
            .from(claims)
            .where(QueueSql.listedIn(claims.SEQ, QueueSql.EVENT_SEQS))
            .and(claims.TYPE.eq(TaskEventType.CLAIMED.name()))
            .orderBy(claims.SEQ.desc())
            .limit(DSL.inline(1)));
  }

  @Override
  public int purge(Instant finishedBefore) {
    Objects.requireNonNull(finishedBefore, "finishedBefore");
    ensureOpen();
    // The events go with their task, in the same transaction: no foreign key cascades them.
    Condition purged =
        TASKS.STATUS.in(TERMINAL).and(TASKS.FINISHED_AT.lt(millisRoundedUp(finishedBefore)));
    return db.write(
        "purge finished tasks",
        tx -> {
          // The newest events may be among those deleted: their numbers must not come back.
          tx.run(QueueSql.KEEP_EVENT_HIGH_WATER).update();
          // Found by the numbers each purged task lists (see QueueSql.SELECT_EVENTS_OF).
          tx.dsl()
              .deleteFrom(TASK_EVENTS)
              .where(
                  TASK_EVENTS.SEQ.in(
                      DSL.select(DSL.field(DSL.name("listed", "value"), Long.class))
                          .from(
                              TASKS, DSL.table("json_each({0})", QueueSql.EVENT_SEQS).as("listed"))
                          .where(purged)))
              .execute();
          return tx.dsl().deleteFrom(TASKS).where(purged).execute();
        });
  }

  @Override
  public Subscription subscribe(Consumer<TaskEvent> listener) {
    return listeners.subscribe(listener);
  }

  /**
   * Closes the queue. A queue from {@link #builder(Path)} closes its database file; one from {@link
   * SqliteStore#taskQueue()} leaves the file to its store.
   */
  @Override
  public void close() {
    closed = true;
    if (ownsDatabase) {
      db.close();
    }
  }

  @Override
  public String toString() {
    return "SqliteTaskQueue[" + db.file() + "]";
  }

  private interface Transition {
    TaskChange apply(Database.Tx tx, Task task, Instant now) throws SQLException;
  }

  private record Changed(Task task, TaskEvent event) {}

  private Task change(TaskId id, String action, Transition transition) {
    return change(id, action, transition, true);
  }

  /**
   * Changes a task in one transaction. When this instance last wrote the task (it claimed or
   * changed it) the change is worked out from that state and written only where every state column
   * still holds it, which saves reading the task first; otherwise, or when the stored task has
   * changed since, it is read and the change worked out from what is stored.
   *
   * @param local whether the transition needs nothing but the task (no query of its own)
   */
  private Task change(TaskId id, String action, Transition transition, boolean local) {
    Objects.requireNonNull(id, "id");
    ensureOpen();
    Changed changed =
        db.write(
            action,
            id,
            tx -> {
              Task before = local ? known.get(id) : null;
              if (before != null) {
                Optional<TaskChange> fast = workedOut(transition, before);
                if (fast.isPresent() && updateIfUnchanged(tx, before, fast.get().after())) {
                  return new Changed(fast.get().after(), insertEvent(tx, fast.get()));
                }
              }
              Task task = find(tx, id);
              TaskChange change = transition.apply(tx, task, TaskTransitions.now(clock));
              update(tx, change.after());
              return new Changed(change.after(), insertEvent(tx, change));
            });
    remember(changed.task);
    listeners.publish(changed.event);
    return changed.task;
  }

  /** The change from a remembered state; empty when the transition refuses that state. */
  private Optional<TaskChange> workedOut(Transition transition, Task before) throws SQLException {
    try {
      return Optional.of(transition.apply(null, before, TaskTransitions.now(clock)));
    } catch (RuntimeException e) {
      return Optional.empty(); // the stored task may allow what the remembered one did not
    }
  }

  /** Remembers a task's state after this instance wrote it, while it is live. */
  private void remember(Task task) {
    if (task.status().isLive()) {
      known.put(task.id(), task);
    } else {
      known.remove(task.id());
    }
  }

  /** Writes {@code after} if the task still is in {@code before}'s state. */
  private static boolean updateIfUnchanged(Database.Tx tx, Task before, Task after)
      throws SQLException {
    return tx.run(QueueSql.UPDATE_TASK_IF_UNCHANGED)
            .set(QueueSql.STATUS, after.status().name())
            .set(QueueSql.ATTEMPTS, after.attempts())
            .set(QueueSql.WORKER_ID, after.workerId().orElse(null))
            .set(QueueSql.LEASE_EXPIRES_AT, TaskRows.millis(after.leaseExpiresAt()))
            .set(QueueSql.UPDATED_AT, after.updatedAt().toEpochMilli())
            .set(QueueSql.STARTED_AT, TaskRows.millis(after.startedAt()))
            .set(QueueSql.FINISHED_AT, TaskRows.millis(after.finishedAt()))
            .set(QueueSql.LAST_ERROR, after.lastError().orElse(null))
            .set(QueueSql.METADATA, MetadataJson.write(after.metadata()))
            .set(QueueSql.ID, after.id().value())
            .set(QueueSql.WAS_STATUS, before.status().name())
            .set(QueueSql.WAS_ATTEMPTS, before.attempts())
            .set(QueueSql.WAS_WORKER_ID, before.workerId().orElse(null))
            .set(QueueSql.WAS_LEASE_EXPIRES_AT, TaskRows.millis(before.leaseExpiresAt()))
            .set(QueueSql.WAS_UPDATED_AT, before.updatedAt().toEpochMilli())
            .set(QueueSql.WAS_STARTED_AT, TaskRows.millis(before.startedAt()))
            .set(QueueSql.WAS_FINISHED_AT, TaskRows.millis(before.finishedAt()))
            .set(QueueSql.WAS_LAST_ERROR, before.lastError().orElse(null))
            .set(QueueSql.WAS_METADATA, MetadataJson.write(before.metadata()))
            .update()
        == 1;
  }

  private void ensureOpen() {
    if (closed || db.isClosed()) {
      throw new TaskQueueException("The task queue on " + db.file() + " is closed");
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

  /** Tasks whose lease ran out: the in-progress part of the index {@code tasks_live}. */
  private static Condition expiredBy(Instant now) {
    return QueueSql.IS_LIVE
        .and(TASKS.STATUS.eq(TaskStatus.IN_PROGRESS.name()))
        .and(TASKS.LEASE_EXPIRES_AT.le(now.toEpochMilli()));
  }

  private static <T> List<T> fetch(ResultQuery<?> query, BoundStatement.RowReader<T> reader)
      throws SQLException {
    try (ResultSet rs = query.fetchResultSet()) {
      List<T> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(reader.read(rs));
      }
      return rows;
    }
  }

  private static Task find(Database.Tx tx, TaskId id) throws SQLException {
    return tx.run(QueueSql.SELECT_BY_ID)
        .set(QueueSql.ID, id.value())
        .one(TaskRows::task)
        .orElseThrow(() -> new TaskNotFoundException(id));
  }

  /** Inserts a new task; false when a live task already has its op hash. */
  private static boolean insert(Database.Tx tx, Task task) throws SQLException {
    return tx.run(QueueSql.INSERT_TASK)
            .set(QueueSql.ID, task.id().value())
            .set(QueueSql.TITLE, task.title())
            .set(QueueSql.PROMPT, task.prompt())
            .set(QueueSql.AGENT_ID, task.agentId().orElse(null))
            .set(QueueSql.PRIORITY, task.priority().rank())
            .set(QueueSql.OP_HASH, task.opHash())
            .set(QueueSql.STATUS, task.status().name())
            .set(QueueSql.ATTEMPTS, task.attempts())
            .set(QueueSql.MAX_ATTEMPTS, task.maxAttempts())
            .set(QueueSql.WORKER_ID, task.workerId().orElse(null))
            .set(QueueSql.LEASE_EXPIRES_AT, TaskRows.millis(task.leaseExpiresAt()))
            .set(QueueSql.CREATED_AT, task.createdAt().toEpochMilli())
            .set(QueueSql.UPDATED_AT, task.updatedAt().toEpochMilli())
            .set(QueueSql.STARTED_AT, TaskRows.millis(task.startedAt()))
            .set(QueueSql.FINISHED_AT, TaskRows.millis(task.finishedAt()))
            .set(QueueSql.LAST_ERROR, task.lastError().orElse(null))
            .set(QueueSql.METADATA, MetadataJson.write(task.metadata()))
            .set(
                QueueSql.REQUIRED_LABELS,
                StringsJson.write(
                    List.copyOf(TaskFacts.REQUIRED_LABELS.from(task).orElse(Set.of()))))
            .update()
        == 1;
  }

  private static void update(Database.Tx tx, Task after) throws SQLException {
    tx.run(QueueSql.UPDATE_TASK)
        .set(QueueSql.STATUS, after.status().name())
        .set(QueueSql.ATTEMPTS, after.attempts())
        .set(QueueSql.WORKER_ID, after.workerId().orElse(null))
        .set(QueueSql.LEASE_EXPIRES_AT, TaskRows.millis(after.leaseExpiresAt()))
        .set(QueueSql.UPDATED_AT, after.updatedAt().toEpochMilli())
        .set(QueueSql.STARTED_AT, TaskRows.millis(after.startedAt()))
        .set(QueueSql.FINISHED_AT, TaskRows.millis(after.finishedAt()))
        .set(QueueSql.LAST_ERROR, after.lastError().orElse(null))
        .set(QueueSql.METADATA, MetadataJson.write(after.metadata()))
        .set(QueueSql.ID, after.id().value())
        .update();
  }

  private static TaskEvent insertEvent(Database.Tx tx, TaskChange change) throws SQLException {
    long sequence =
        tx.run(QueueSql.INSERT_EVENT)
            .set(QueueSql.EVENT_TASK_ID, change.after().id().value())
            .set(QueueSql.EVENT_AT, change.after().updatedAt().toEpochMilli())
            .set(QueueSql.EVENT_ACTOR, change.actor())
            .set(QueueSql.EVENT_TYPE, change.type().name())
            .set(QueueSql.EVENT_FROM, change.from().map(Enum::name).orElse(null))
            .set(QueueSql.EVENT_TO, change.after().status().name())
            .set(QueueSql.EVENT_REASON, change.reason())
            .one(rs -> rs.getLong(1))
            .orElseThrow();
    return change.toEvent(sequence);
  }

  /** Builds a {@link SqliteTaskQueue} on its own database file. Not thread-safe. */
  public static final class Builder {
    private final SqliteStore.Builder store;

    private Builder(Path file) {
      this.store = SqliteStore.builder(file);
    }

    /** The clock for task times and leases (default: the system clock). */
    public Builder clock(InstantSource value) {
      store.clock(value);
      return this;
    }

    /** The clock leases are measured on, if not {@link #clock}; see {@link SqliteStore}. */
    public Builder leaseClock(InstantSource value) {
      store.leaseClock(value);
      return this;
    }

    /** Attempts a task gets when its spec names none (default 3). */
    public Builder defaultMaxAttempts(int value) {
      store.defaultMaxAttempts(value);
      return this;
    }

    /** How long to wait for another process's write lock before failing (default 5 s). */
    public Builder busyTimeout(Duration value) {
      store.busyTimeout(value);
      return this;
    }

    /** Sync every commit to disk ({@code synchronous=FULL}); see {@link SqliteStore}. */
    public Builder syncEveryCommit(boolean value) {
      store.syncEveryCommit(value);
      return this;
    }

    /** Run SQLite's quick integrity check when opening an existing file (default on). */
    public Builder verifyIntegrityOnOpen(boolean value) {
      store.verifyIntegrityOnOpen(value);
      return this;
    }

    /**
     * Opens the file, refusing one that is not a usable Overnight database.
     *
     * @throws TaskQueueException naming the file when it is corrupt, read-only, locked, not an
     *     SQLite database or from a newer Overnight; nothing is written then
     */
    public SqliteTaskQueue build() {
      return store.openQueue();
    }
  }
}
