package dev.overnight.core.fleet;

import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fleet at one instant, as {@code overnight fleet status} and the dashboard show it: every
 * machine with its state (offline when silent for longer than {@code offlineAfter}), and the shared
 * queue by status and by required label.
 *
 * <p>Immutable.
 *
 * @param at when it was read
 * @param offlineAfter how long a machine may be silent before it counts as offline
 * @param machines every recorded machine, by name then id
 * @param queue the shared queue
 * @since 0.1.0
 */
public record FleetStatus(
    Instant at, Duration offlineAfter, List<Machine> machines, QueueSummary queue) {

  /** Copies. */
  public FleetStatus {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(offlineAfter, "offlineAfter");
    machines = List.copyOf(machines);
    Objects.requireNonNull(queue, "queue");
  }

  /**
   * One machine.
   *
   * @param worker what it last recorded
   * @param offlineSince when it was last heard of, if it has been silent longer than {@code
   *     offlineAfter} (its tasks come back to the queue by their leases)
   */
  public record Machine(WorkerInfo worker, Optional<Instant> offlineSince) {
    /** Checks presence. */
    public Machine {
      Objects.requireNonNull(worker, "worker");
      Objects.requireNonNull(offlineSince, "offlineSince");
    }

    /** Whether it is offline. */
    public boolean offline() {
      return offlineSince.isPresent();
    }
  }

  /**
   * The shared queue.
   *
   * @param byStatus how many tasks have each status (every status present, zero included)
   * @param liveByLabel for each label some live task requires, how many pending and in progress
   *     tasks require it; {@code ""} counts the tasks any machine may run
   */
  public record QueueSummary(Map<TaskStatus, Long> byStatus, Map<String, LiveCount> liveByLabel) {
    /** Copies, keeping the orders. */
    public QueueSummary {
      byStatus = Collections.unmodifiableMap(new EnumMap<>(byStatus));
      liveByLabel = Collections.unmodifiableMap(new TreeMap<>(liveByLabel));
    }
  }

  /**
   * Live tasks requiring one label.
   *
   * @param pending how many wait for a machine
   * @param inProgress how many run
   */
  public record LiveCount(int pending, int inProgress) {}

  /** The key of {@link QueueSummary#liveByLabel()} for tasks that require no label. */
  public static final String ANY_MACHINE = "";

  /**
   * Reads the fleet: the registry's machines and the queue's counts. Blocks on the store; pages
   * through the live tasks only.
   */
  public static FleetStatus read(
      WorkerRegistry registry, TaskQueue queue, Instant now, Duration offlineAfter) {
    List<Machine> machines =
        registry.workers().stream()
            .map(
                w ->
                    new Machine(
                        w,
                        w.offlineAt(now, offlineAfter)
                            ? Optional.of(w.lastHeartbeat())
                            : Optional.empty()))
            .toList();
    Map<TaskStatus, Long> byStatus = new EnumMap<>(TaskStatus.class);
    for (TaskStatus s : TaskStatus.values()) {
      byStatus.put(s, queue.list(TaskFilter.withStatus(s).page(0, 1)).total());
    }
    Map<String, LiveCount> byLabel = new TreeMap<>();
    TaskFilter live = TaskFilter.withStatus(TaskStatus.PENDING, TaskStatus.IN_PROGRESS);
    int offset = 0;
    while (true) {
      Page<Task> page = queue.list(live.page(offset, TaskFilter.MAX_LIMIT));
      for (Task t : page.items()) {
        Set<String> required = TaskFacts.REQUIRED_LABELS.from(t).orElse(Set.of());
        for (String label : required.isEmpty() ? Set.of(ANY_MACHINE) : required) {
          LiveCount c = byLabel.getOrDefault(label, new LiveCount(0, 0));
          byLabel.put(
              label,
              t.status() == TaskStatus.PENDING
                  ? new LiveCount(c.pending() + 1, c.inProgress())
                  : new LiveCount(c.pending(), c.inProgress() + 1));
        }
      }
      if (!page.hasMore()) {
        break;
      }
      offset += page.items().size();
    }
    return new FleetStatus(now, offlineAfter, machines, new QueueSummary(byStatus, byLabel));
  }
}
