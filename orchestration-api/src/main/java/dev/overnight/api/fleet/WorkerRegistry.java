package dev.overnight.api.fleet;

import java.util.List;
import java.util.Optional;

/**
 * Where the workers of a fleet record themselves, so that any machine can show the others: each
 * daemon upserts its {@link WorkerInfo} on every state change and heartbeat; {@code overnight fleet
 * status} and the dashboard read them all.
 *
 * <p>A store shared by several machines keeps the workers next to the queue ({@code workers} table
 * of the SQLite and PostgreSQL stores); {@link #none()} is the registry of a store that keeps none.
 *
 * <p>Implementations are thread-safe; every method blocks on the store's I/O and throws the store's
 * unchecked exception when it fails.
 *
 * @since 0.1.0
 */
public interface WorkerRegistry {

  /** Records the worker, replacing what was recorded under its id. */
  void record(WorkerInfo worker);

  /** Every recorded worker, by name then id. */
  List<WorkerInfo> workers();

  /** The worker recorded under {@code id}, if any. */
  default Optional<WorkerInfo> worker(String id) {
    return workers().stream().filter(w -> w.id().equals(id)).findFirst();
  }

  /** A registry that records nothing and knows no worker. */
  static WorkerRegistry none() {
    return NoWorkers.INSTANCE;
  }
}
