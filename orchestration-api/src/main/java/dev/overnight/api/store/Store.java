package dev.overnight.api.store;

import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.schedule.SchedulerStateStore;

/**
 * Where a runtime keeps what must survive it: the task queue, and the scheduler's snapshot and
 * cycle history, in one store opened and closed together.
 *
 * <p>Thread-safe. Closing the store closes its queue and state store; further calls on them throw.
 *
 * @since 0.1.0
 */
public interface Store extends AutoCloseable {

  /** The task queue. */
  TaskQueue taskQueue();

  /** The scheduler's snapshot and cycle history. */
  SchedulerStateStore schedulerStateStore();

  /**
   * Where the workers sharing this store record themselves (see {@link WorkerRegistry}). The
   * default keeps none: {@link WorkerRegistry#none()}.
   */
  default WorkerRegistry workers() {
    return WorkerRegistry.none();
  }

  /**
   * Whether several machines may use this store at once (a database server, not a file of this
   * machine). Then each machine keeps its scheduler's snapshot and cycle history under an id of its
   * own, since every machine counts its cycles from its own start. The default is {@code false}.
   */
  default boolean shared() {
    return false;
  }

  /** Releases the store. Idempotent. */
  @Override
  void close();
}
