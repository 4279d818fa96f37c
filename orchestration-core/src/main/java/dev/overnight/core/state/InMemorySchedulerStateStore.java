package dev.overnight.core.state;

import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.api.schedule.SchedulerStateStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link SchedulerStateStore} in memory: the scheduler's default, forgotten when the process
 * ends.
 *
 * <p>It behaves as the SQLite store does, so switching stores changes nothing a reader sees:
 * instants are kept to the millisecond, recording a cycle id again replaces that record in place,
 * and {@link #recentCycles} orders by planned time, newest first, then by first recording.
 * Thread-safe (one lock).
 */
public final class InMemorySchedulerStateStore implements SchedulerStateStore {

  private final Map<String, SchedulerSnapshot> snapshots = new HashMap<>();
  private final Map<String, Stored> cycles = new LinkedHashMap<>();
  private long sequence;

  /** Creates an empty store. */
  public InMemorySchedulerStateStore() {}

  @Override
  public synchronized Optional<SchedulerSnapshot> load(String schedulerId) {
    Objects.requireNonNull(schedulerId, "schedulerId");
    return Optional.ofNullable(snapshots.get(schedulerId));
  }

  @Override
  public synchronized void save(SchedulerSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    snapshots.put(snapshot.schedulerId(), truncate(snapshot));
  }

  @Override
  public synchronized void record(CycleRecord cycle) {
    Objects.requireNonNull(cycle, "cycle");
    Stored previous = cycles.get(cycle.cycleId());
    long position = previous != null ? previous.sequence : ++sequence;
    cycles.put(cycle.cycleId(), new Stored(position, truncate(cycle)));
  }

  @Override
  public synchronized List<CycleRecord> recentCycles(String schedulerId, int limit) {
    Objects.requireNonNull(schedulerId, "schedulerId");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    List<Stored> mine = new ArrayList<>();
    for (Stored stored : cycles.values()) {
      if (stored.cycle.schedulerId().equals(schedulerId)) {
        mine.add(stored);
      }
    }
    mine.sort(
        Comparator.comparing((Stored s) -> s.cycle.plannedAt())
            .thenComparingLong(s -> s.sequence)
            .reversed());
    return mine.stream().limit(limit).map(s -> s.cycle).toList();
  }

  @Override
  public String toString() {
    return "InMemorySchedulerStateStore";
  }

  /** A snapshot as a store keeps it: instants to the millisecond. */
  public static SchedulerSnapshot truncate(SchedulerSnapshot s) {
    return new SchedulerSnapshot(
        s.schedulerId(),
        s.lastRunAt().map(InMemorySchedulerStateStore::millis),
        s.lastPlannedAt().map(InMemorySchedulerStateStore::millis),
        s.nextPlannedWake().map(InMemorySchedulerStateStore::millis),
        s.catchUpPending(),
        s.cycleCount(),
        millis(s.savedAt()));
  }

  /** A cycle record as a store keeps it: instants to the millisecond. */
  public static CycleRecord truncate(CycleRecord c) {
    return new CycleRecord(
        c.cycleId(),
        c.schedulerId(),
        millis(c.plannedAt()),
        c.startedAt().map(InMemorySchedulerStateStore::millis),
        c.finishedAt().map(InMemorySchedulerStateStore::millis),
        c.outcome(),
        c.skipReason(),
        c.detail(),
        c.catchUp());
  }

  private static Instant millis(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS);
  }

  private record Stored(long sequence, CycleRecord cycle) {}
}
