package dev.overnight.postgres;

import static dev.overnight.postgres.internal.schema.Tables.WORKERS;

import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.fleet.WorkerState;
import dev.overnight.api.queue.TaskId;
import dev.overnight.postgres.internal.Database;
import dev.overnight.postgres.internal.schema.tables.records.WorkersRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The {@link WorkerRegistry} on PostgreSQL: the {@code workers} table every machine of the fleet
 * records itself in, so that any of them shows them all. Take it from {@link
 * PostgresStore#workers()}.
 *
 * <p>Thread-safe; failures are {@link dev.overnight.api.queue.TaskQueueException}s naming the
 * database.
 *
 * @since 0.1.0
 */
public final class PostgresWorkerRegistry implements WorkerRegistry {

  private final Database db;

  PostgresWorkerRegistry(Database db) {
    this.db = db;
  }

  @Override
  public void record(WorkerInfo worker) {
    Objects.requireNonNull(worker, "worker");
    WorkersRecord row = new WorkersRecord();
    row.setId(worker.id());
    row.setName(worker.name());
    row.setLabels(worker.labels().toArray(String[]::new));
    row.setState(worker.state().kind().key());
    row.setUnmet(worker.state().unmet().toArray(String[]::new));
    row.setCurrentTasks(worker.currentTasks().stream().map(TaskId::value).toArray(String[]::new));
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
                .map(PostgresWorkerRegistry::worker));
  }

  private static WorkerInfo worker(WorkersRecord r) {
    WorkerState.Kind kind = WorkerState.Kind.valueOf(r.getState().toUpperCase(Locale.ROOT));
    return new WorkerInfo(
        r.getId(),
        r.getName(),
        Set.of(r.getLabels()),
        new WorkerState(kind, List.of(r.getUnmet())),
        Arrays.stream(r.getCurrentTasks()).map(TaskId::of).toList(),
        Instant.ofEpochMilli(r.getLastHeartbeat()),
        Instant.ofEpochMilli(r.getStartedAt()));
  }

  @Override
  public String toString() {
    return "PostgresWorkerRegistry[" + db.endpoint().safeUrl() + "]";
  }
}
