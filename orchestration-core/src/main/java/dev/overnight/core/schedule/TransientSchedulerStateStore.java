package dev.overnight.core.schedule;

import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.api.schedule.SchedulerStateStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduler's default memory: kept in this process only, so it survives a {@code stop()} and
 * {@code start()} of a new scheduler in the same process but not a restart. Keeps the newest 1,000
 * cycles per scheduler.
 */
final class TransientSchedulerStateStore implements SchedulerStateStore {
  private static final int KEEP = 1000;

  private final Map<String, SchedulerSnapshot> snapshots = new HashMap<>();
  private final Map<String, LinkedHashMap<String, CycleRecord>> history = new HashMap<>();

  @Override
  public synchronized Optional<SchedulerSnapshot> load(String schedulerId) {
    return Optional.ofNullable(snapshots.get(schedulerId));
  }

  @Override
  public synchronized void save(SchedulerSnapshot snapshot) {
    snapshots.put(snapshot.schedulerId(), snapshot);
  }

  @Override
  public synchronized void record(CycleRecord cycle) {
    LinkedHashMap<String, CycleRecord> cycles =
        history.computeIfAbsent(cycle.schedulerId(), k -> new LinkedHashMap<>());
    cycles.put(cycle.cycleId(), cycle);
    if (cycles.size() > KEEP) {
      cycles.remove(cycles.keySet().iterator().next());
    }
  }

  @Override
  public synchronized List<CycleRecord> recentCycles(String schedulerId, int limit) {
    List<CycleRecord> all =
        new ArrayList<>(history.getOrDefault(schedulerId, new LinkedHashMap<>()).values());
    Collections.reverse(all);
    return List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }
}
