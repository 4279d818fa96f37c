package dev.overnight.postgres;

import static dev.overnight.postgres.internal.schema.Tables.CYCLE_HISTORY;
import static dev.overnight.postgres.internal.schema.Tables.QUOTA_WINDOWS;
import static dev.overnight.postgres.internal.schema.Tables.SCHEDULER_SNAPSHOTS;

import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.core.store.NotesJson;
import dev.overnight.core.store.ReceiptColumns;
import dev.overnight.postgres.internal.Database;
import dev.overnight.postgres.internal.TaskRows;
import dev.overnight.postgres.internal.schema.tables.records.CycleHistoryRecord;
import dev.overnight.postgres.internal.schema.tables.records.QuotaWindowsRecord;
import dev.overnight.postgres.internal.schema.tables.records.SchedulerSnapshotsRecord;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@link SchedulerStateStore} in Overnight's PostgreSQL schema, beside the task queue: each
 * scheduler's snapshot (last run, next planned wake, a pending catch-up) and its cycle history.
 * Machines sharing the database keep their own, under their own scheduler ids. Take it from {@link
 * PostgresStore#schedulerStateStore()}.
 *
 * <p>Instants are kept to the millisecond. Recording a cycle id again replaces that record and
 * keeps its place in the history. Thread-safe; failures are {@link
 * dev.overnight.api.queue.TaskQueueException}s naming the database.
 *
 * @since 0.1.0
 */
public final class PostgresSchedulerStateStore implements SchedulerStateStore {

  private final Database db;

  PostgresSchedulerStateStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<SchedulerSnapshot> load(String schedulerId) {
    Objects.requireNonNull(schedulerId, "schedulerId");
    return db.read(
        "load the scheduler snapshot",
        tx ->
            tx.dsl()
                .selectFrom(SCHEDULER_SNAPSHOTS)
                .where(SCHEDULER_SNAPSHOTS.SCHEDULER_ID.eq(schedulerId))
                .fetchOptional(PostgresSchedulerStateStore::snapshot));
  }

  @Override
  public void save(SchedulerSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    SchedulerSnapshotsRecord row = new SchedulerSnapshotsRecord();
    row.setSchedulerId(snapshot.schedulerId());
    row.setLastRunAt(TaskRows.millis(snapshot.lastRunAt()));
    row.setLastPlannedAt(TaskRows.millis(snapshot.lastPlannedAt()));
    row.setNextPlannedWake(TaskRows.millis(snapshot.nextPlannedWake()));
    row.setCatchUpPending(snapshot.catchUpPending());
    row.setCycleCount(snapshot.cycleCount());
    row.setSavedAt(snapshot.savedAt().toEpochMilli());
    db.write(
        "save the scheduler snapshot",
        tx ->
            tx.dsl()
                .insertInto(SCHEDULER_SNAPSHOTS)
                .set(row)
                .onConflict(SCHEDULER_SNAPSHOTS.SCHEDULER_ID)
                .doUpdate()
                .set(row)
                .execute());
  }

  @Override
  public void record(CycleRecord cycle) {
    Objects.requireNonNull(cycle, "cycle");
    CycleHistoryRecord row = new CycleHistoryRecord();
    row.setCycleId(cycle.cycleId());
    row.setSchedulerId(cycle.schedulerId());
    row.setPlannedAt(cycle.plannedAt().toEpochMilli());
    row.setStartedAt(TaskRows.millis(cycle.startedAt()));
    row.setFinishedAt(TaskRows.millis(cycle.finishedAt()));
    row.setOutcome(cycle.outcome().name());
    row.setSkipReason(cycle.skipReason().map(Enum::name).orElse(null));
    row.setNotes(NotesJson.write(cycle.notes()));
    row.setDetail(String.join("; ", cycle.notes()));
    row.setCatchUp(cycle.catchUp());
    row.setReceiptVerdict(ReceiptColumns.verdict(cycle.receipt()));
    row.setReceiptReason(ReceiptColumns.reason(cycle.receipt()));
    row.setReceiptDetail(ReceiptColumns.detail(cycle.receipt()));
    // The upsert keeps the row's seq, so a re-recorded cycle keeps its place in the history.
    db.write(
        "record a cycle",
        tx ->
            tx.dsl()
                .insertInto(CYCLE_HISTORY)
                .set(row)
                .onConflict(CYCLE_HISTORY.SCHEDULER_ID, CYCLE_HISTORY.CYCLE_ID)
                .doUpdate()
                .set(row)
                .execute());
  }

  @Override
  public List<CycleRecord> recentCycles(String schedulerId, int limit) {
    Objects.requireNonNull(schedulerId, "schedulerId");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    if (limit == 0) {
      return List.of();
    }
    return db.read(
        "read the cycle history",
        tx ->
            tx.dsl()
                .selectFrom(CYCLE_HISTORY)
                .where(CYCLE_HISTORY.SCHEDULER_ID.eq(schedulerId))
                .orderBy(CYCLE_HISTORY.PLANNED_AT.desc(), CYCLE_HISTORY.SEQ.desc())
                .limit(limit)
                .fetch(PostgresSchedulerStateStore::cycle));
  }

  @Override
  public void saveQuotaWindow(QuotaWindow window) {
    Objects.requireNonNull(window, "window");
    QuotaWindowsRecord row = new QuotaWindowsRecord();
    row.setAgentId(window.agentId());
    row.setWindowStart(window.start().toEpochMilli());
    row.setResetsAt(TaskRows.millis(window.resetsAt()));
    row.setUsedTokens(window.usedTokens());
    row.setLimitTokens(window.limitTokens().isPresent() ? window.limitTokens().getAsLong() : null);
    row.setExhausted(window.exhausted());
    db.write(
        "save a quota window",
        tx ->
            tx.dsl()
                .insertInto(QUOTA_WINDOWS)
                .set(row)
                .onConflict(QUOTA_WINDOWS.AGENT_ID, QUOTA_WINDOWS.WINDOW_START)
                .doUpdate()
                .set(row)
                .execute());
  }

  @Override
  public List<QuotaWindow> quotaWindows() {
    return db.read(
        "read the quota ledger",
        tx ->
            tx.dsl()
                .selectFrom(QUOTA_WINDOWS)
                .orderBy(QUOTA_WINDOWS.AGENT_ID, QUOTA_WINDOWS.WINDOW_START)
                .fetch(
                    r ->
                        new QuotaWindow(
                            r.getAgentId(),
                            Instant.ofEpochMilli(r.getWindowStart()),
                            instant(r.getResetsAt()),
                            r.getUsedTokens(),
                            r.getLimitTokens() == null
                                ? OptionalLong.empty()
                                : OptionalLong.of(r.getLimitTokens()),
                            r.getExhausted())));
  }

  @Override
  public List<String> schedulerIds() {
    return db.read(
        "list the schedulers",
        tx ->
            tx.dsl()
                .select(SCHEDULER_SNAPSHOTS.SCHEDULER_ID)
                .from(SCHEDULER_SNAPSHOTS)
                .union(tx.dsl().select(CYCLE_HISTORY.SCHEDULER_ID).from(CYCLE_HISTORY))
                .orderBy(1)
                .fetch(0, String.class));
  }

  @Override
  public String toString() {
    return "PostgresSchedulerStateStore[" + db.endpoint().safeUrl() + "]";
  }

  private static SchedulerSnapshot snapshot(SchedulerSnapshotsRecord r) {
    return new SchedulerSnapshot(
        r.getSchedulerId(),
        instant(r.getLastRunAt()),
        instant(r.getLastPlannedAt()),
        instant(r.getNextPlannedWake()),
        r.getCatchUpPending(),
        r.getCycleCount(),
        Instant.ofEpochMilli(r.getSavedAt()));
  }

  private static CycleRecord cycle(CycleHistoryRecord r) {
    return ReceiptColumns.withColumns(
        recorded(r), r.getReceiptVerdict(), r.getReceiptReason(), r.getReceiptDetail());
  }

  private static CycleRecord recorded(CycleHistoryRecord r) {
    return new CycleRecord(
        r.getCycleId(),
        r.getSchedulerId(),
        Instant.ofEpochMilli(r.getPlannedAt()),
        instant(r.getStartedAt()),
        instant(r.getFinishedAt()),
        CycleOutcome.valueOf(r.getOutcome()),
        Optional.ofNullable(r.getSkipReason()).map(SkipReason::valueOf),
        r.getNotes() != null
            ? NotesJson.read(r.getNotes())
            : NotesJson.fromDetail(CycleOutcome.valueOf(r.getOutcome()), r.getDetail()),
        r.getCatchUp());
  }

  private static Optional<Instant> instant(Long millis) {
    return millis == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
