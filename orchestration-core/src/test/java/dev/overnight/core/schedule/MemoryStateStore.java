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

/** A store that outlives the schedulers using it: a restarted daemon in one test. */
final class MemoryStateStore implements SchedulerStateStore {
  private final Map<String, SchedulerSnapshot> snapshots = new HashMap<>();
  private final Map<String, CycleRecord> records = new LinkedHashMap<>();

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
    records.put(cycle.schedulerId() + "/" + cycle.cycleId(), cycle);
  }

  @Override
  public synchronized List<CycleRecord> recentCycles(String schedulerId, int limit) {
    List<CycleRecord> mine = new ArrayList<>();
    for (CycleRecord r : records.values()) {
      if (r.schedulerId().equals(schedulerId)) {
        mine.add(r);
      }
    }
    Collections.reverse(mine);
    return mine.subList(0, Math.min(limit, mine.size()));
  }

  synchronized List<CycleRecord> all() {
    return List.copyOf(records.values());
  }
}
