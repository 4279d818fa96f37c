package dev.overnight.api.fleet;

import java.util.List;

/** The registry of a store that keeps no workers. */
enum NoWorkers implements WorkerRegistry {
  INSTANCE;

  @Override
  public void record(WorkerInfo worker) {}

  @Override
  public List<WorkerInfo> workers() {
    return List.of();
  }

  @Override
  public String toString() {
    return "WorkerRegistry.none()";
  }
}
