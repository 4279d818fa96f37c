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
import dev.overnight.postgres.internal.schema.tables.Tasks;
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
                out.add(enqueueOne(tx.dsl(), spec, now, events));
              }
              if (!events.isEmpty()) {
                tx.announceWork();
              }
              return out;
            });
    listeners.publishAll(events);
    return List.copyOf(results);
  }

  private EnqueueResult enqueueOne(
      DSLContext dsl, TaskSpec spec, Instant now, List<TaskEvent> events) {
    while (true) {
      TaskChange change = TaskTransitions.enqueue(TaskId.random(), spec, defaultMaxAttempts, now);
      int inserted =
          dsl.insertInto(TASKS)
              .set(TaskRows.row(change.after()))
              .onConflict(TASKS.OP_HASH)
              .where(IS_LIVE)
              .doNothing()
              .execute();
      if (inserted == 1) {
        events.add(insertEvent(dsl, change));
        return new EnqueueResult(change.after(), true);
      }
      Optional<Task> live =
          dsl.selectFrom(TASKS)
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
    return claim(workerId, DSL.noCondition(), lease);
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
    String[] have = Labels.of(labels).toArray(String[]::new);
    Tasks next = TASKS.as("next");
    return claim(
        workerId,
        DSL.condition(
            "{0} <@ {1}", next.REQUIRED_LABELS, DSL.val(have, next.REQUIRED_LABELS.getDataType())),
        lease);
  }

  private Optional<Task> claim(String workerId, Condition canRun, Duration lease) {
    TaskTransitions.requireWorker(workerId);
    TaskTransitions.requireLease(lease);
    ensureOpen();
    Optional<Changed> changed =
        db.write(
            "claim a task",
            tx -> {
              Instant now = TaskTransitions.now(clock);
              Instant leaseNow = TaskTransitions.now(leaseClock);
              Tasks next = TASKS.as("next");
              Optional<Task> claimed =
                  tx.dsl()
                      .update(TASKS)
                      .set(TASKS.STATUS, DSL.inline(TaskStatus.IN_PROGRESS.name()))
                      .set(TASKS.WORKER_ID, workerId)
                      .set(
                          TASKS.LEASE_EXPIRES_AT,
                          TaskTransitions.stored(leaseNow.plus(lease)).toEpochMilli())
                      .set(TASKS.ATTEMPTS, TASKS.ATTEMPTS.plus(DSL.inline(1)))
                      .set(TASKS.STARTED_AT, DSL.coalesce(TASKS.STARTED_AT, now.toEpochMilli()))
                      .set(TASKS.UPDATED_AT, now.toEpochMilli())
                      .where(
                          TASKS.SEQ.eq(
                              DSL.select(next.SEQ)
                                  .from(next)
                                  .where(next.STATUS.eq(DSL.inline(TaskStatus.PENDING.name())))
                                  .and(canRun)
                                  .orderBy(
                                      next.PRIORITY, DSL.field(next.STARTED_AT.isNull()), next.SEQ)
                                  .limit(DSL.inline(1))
                                  .forUpdate()
                                  .skipLocked()))
                      .returning()
                      .fetchOptional()
                      .map(TaskRows::task);
              if (claimed.isEmpty()) {
                return Optional.empty();
              }
              TaskChange change = TaskTransitions.claimed(claimed.get());
              return Optional.of(new Changed(change.after(), insertEvent(tx.dsl(), change)));
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
                  find(tx.dsl(), id),
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
      Database.Tx tx, List<Task> tasks, Recovery recovery, List<TaskEvent> events) {
    List<Task> out = new ArrayList<>();
    for (Task task : tasks) {
      TaskChange change = recovery.apply(task);
      update(tx.dsl(), change.after());
      events.add(insertEvent(tx.dsl(), change));
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
              Task task = find(tx.dsl(), id);
              TaskChange change = transition.apply(tx.dsl(), task, TaskTransitions.now(clock));
              update(tx.dsl(), change.after());
              if (change.after().status() == TaskStatus.PENDING) {
                tx.announceWork();
              }
              return new Changed(change.after(), insertEvent(tx.dsl(), change));
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
  private static Task find(DSLContext dsl, TaskId id) {
    return dsl.selectFrom(TASKS)
        .where(TASKS.ID.eq(id.value()))
        .forUpdate()
        .fetchOptional()
        .map(TaskRows::task)
        .orElseThrow(() -> new TaskNotFoundException(id));
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

  private static TaskEvent insertEvent(DSLContext dsl, TaskChange change) {
    long sequence =
        dsl.insertInto(TASK_EVENTS)
            .set(TASK_EVENTS.TASK_ID, change.after().id().value())
            .set(TASK_EVENTS.AT, change.after().updatedAt().toEpochMilli())
            .set(TASK_EVENTS.ACTOR, change.actor())
            .set(TASK_EVENTS.TYPE, change.type().name())
            .set(TASK_EVENTS.FROM_STATUS, change.from().map(Enum::name).orElse(null))
            .set(TASK_EVENTS.TO_STATUS, change.after().status().name())
            .set(TASK_EVENTS.REASON, change.reason())
            .returning(TASK_EVENTS.SEQ)
            .fetchOne()
            .getSeq();
    return change.toEvent(sequence);
  }
}
