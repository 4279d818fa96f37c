package dev.overnight.api.fleet;

import dev.overnight.api.queue.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One worker of the fleet as last recorded: who it is, what it can run, what it is doing.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the stable worker id tasks are claimed under (kept in the worker's state folder)
 * @param name a name people recognise (the config's {@code fleet.name}, else the host name)
 * @param labels what it can run, sorted (see {@link Labels})
 * @param state what it is doing
 * @param currentTasks the tasks it is running, if any
 * @param lastHeartbeat when it last recorded itself, by its own clock
 * @param startedAt when its daemon started
 * @since 0.1.0
 */
public record WorkerInfo(
    String id,
    String name,
    Set<String> labels,
    WorkerState state,
    List<TaskId> currentTasks,
    Instant lastHeartbeat,
    Instant startedAt) {

  /** Checks and copies; labels are checked and sorted. */
  public WorkerInfo {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a worker id must not be blank");
    }
    Objects.requireNonNull(name, "name");
    labels = Labels.of(labels);
    Objects.requireNonNull(state, "state");
    currentTasks = List.copyOf(currentTasks);
    Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
    Objects.requireNonNull(startedAt, "startedAt");
  }

  /**
   * Whether the worker is offline at {@code now}: its last heartbeat is older than {@code after}
   * (the lease its tasks are claimed with: a worker silent that long has lost them too).
   */
  public boolean offlineAt(Instant now, Duration after) {
    return Duration.between(lastHeartbeat, now).compareTo(after) > 0;
  }

  /** This worker in another state, with these tasks, recorded at {@code at}. */
  public WorkerInfo with(WorkerState newState, List<TaskId> tasks, Instant at) {
    return new WorkerInfo(id, name, labels, newState, tasks, at, startedAt);
  }
}
