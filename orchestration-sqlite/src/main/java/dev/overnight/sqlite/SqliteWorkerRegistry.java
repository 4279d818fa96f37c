package dev.overnight.sqlite;

import static dev.overnight.sqlite.internal.schema.Tables.WORKERS;

import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.fleet.WorkerState;
import dev.overnight.api.queue.TaskId;
import dev.overnight.core.store.StringsJson;
import dev.overnight.sqlite.internal.Database;
import dev.overnight.sqlite.internal.schema.tables.records.WorkersRecord;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The {@link WorkerRegistry} in an Overnight SQLite file: the {@code workers} table, beside the
 * queue, for the processes sharing the file. Take it from {@link SqliteStore#workers()}.
 *
 * <p>Thread-safe; failures are {@link dev.overnight.api.queue.TaskQueueException}s naming the file.
 *
 * @since 0.1.0
 */
public final class SqliteWorkerRegistry implements WorkerRegistry {

  private final Database db;

  SqliteWorkerRegistry(Database db) {
    this.db = db;
  }

  @Override
  public void record(WorkerInfo worker) {
    Objects.requireNonNull(worker, "worker");
    WorkersRecord row = new WorkersRecord();
    row.setId(worker.id());
    row.setName(worker.name());
    row.setLabels(StringsJson.write(List.copyOf(worker.labels())));
    row.setState(worker.state().kind().key());
    row.setUnmet(StringsJson.write(worker.state().unmet()));
    row.setCurrentTasks(
        StringsJson.write(worker.currentTasks().stream().map(TaskId::value).toList()));
    row.setLastHeartbeat(worker.lastHeartbeat().toEpochMilli());
    row.setStartedAt(worker.startedAt().toEpochMilli());
    db.write(
        "record worker",
        worker.id(),
        tx ->
            tx.dsl()
                .insertInto(WORKERS)
                .set(row)
                .onConflict(WORKERS.ID)
                .doUpdate()
                .set(row)
                .execute());
  }

  @Override
  public List<WorkerInfo> workers() {
    return db.read(
        "read the workers",
        tx ->
            tx.dsl()
                .selectFrom(WORKERS)
                .orderBy(WORKERS.NAME, WORKERS.ID)
                .fetch()
                .map(SqliteWorkerRegistry::worker));
  }

  private static WorkerInfo worker(WorkersRecord r) {
    WorkerState.Kind kind = WorkerState.Kind.valueOf(r.getState().toUpperCase(Locale.ROOT));
    return new WorkerInfo(
        r.getId(),
        r.getName(),
        Set.copyOf(StringsJson.read(r.getLabels())),
        new WorkerState(kind, StringsJson.read(r.getUnmet())),
        StringsJson.read(r.getCurrentTasks()).stream().map(TaskId::of).toList(),
        Instant.ofEpochMilli(r.getLastHeartbeat()),
        Instant.ofEpochMilli(r.getStartedAt()));
  }

  @Override
  public String toString() {
    return "SqliteWorkerRegistry[" + db.file() + "]";
  }
}
