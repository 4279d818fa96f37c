package dev.overnight.core.schedule;

import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.api.schedule.SchedulerStateStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link SchedulerStateStore} kept in this process only: the default of {@link DefaultScheduler}
 * and of the runtime. It survives a {@code stop()} and the {@code start()} of a new scheduler in
 * the same process, not a restart.
 *
 * <p>It behaves as the SQLite store does, so switching stores changes nothing a reader sees:
 * instants are kept to the millisecond, recording a cycle id again replaces that record in place,
 * and {@link #recentCycles} orders by planned time, newest first, then by first recording, newest
 * first. Unlike a file it does not grow without bound: it keeps the newest {@value #KEEP} cycles
 * per scheduler (by that order) and forgets older ones.
 *
 * <p>Thread-safe (one lock); no method blocks on anything but that lock.
 *
 * @since 0.1.0
 */
public final class TransientSchedulerStateStore implements SchedulerStateStore {

  /** How many cycles are kept per scheduler. */
  public static final int KEEP = 1000;

  /** Newest first: planned time, then the order of first recording. */
  private static final Comparator<Stored> NEWEST_FIRST =
      Comparator.comparing((Stored s) -> s.cycle.plannedAt())
          .thenComparingLong(s -> s.sequence)
          .reversed();

  private final Map<String, SchedulerSnapshot> snapshots = new HashMap<>();
  private final Map<String, Map<String, Stored>> cyclesByScheduler = new HashMap<>();
  private long sequence;
  // By agent, then by window start: the quota ledger.
  private final Map<String, TreeMap<Instant, QuotaWindow>> quota = new TreeMap<>();

  /** Creates an empty store. */
  public TransientSchedulerStateStore() {}

  @Override
  public synchronized Optional<SchedulerSnapshot> load(String schedulerId) {
    Objects.requireNonNull(schedulerId, "schedulerId");
    return Optional.ofNullable(snapshots.get(schedulerId));
  }

  @Override
  public synchronized void save(SchedulerSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    snapshots.put(snapshot.schedulerId(), toMillis(snapshot));
  }

  @Override
  public synchronized void record(CycleRecord cycle) {
    Objects.requireNonNull(cycle, "cycle");
    Map<String, Stored> cycles =
        cyclesByScheduler.computeIfAbsent(cycle.schedulerId(), k -> new HashMap<>());
    Stored previous = cycles.get(cycle.cycleId());
    long position = previous != null ? previous.sequence : ++sequence;
    cycles.put(cycle.cycleId(), new Stored(position, toMillis(cycle)));
    if (cycles.size() > KEEP) {
      Stored oldest = cycles.values().stream().max(NEWEST_FIRST).orElseThrow();
      cycles.remove(oldest.cycle.cycleId());
    }
  }

  @Override
  public synchronized List<CycleRecord> recentCycles(String schedulerId, int limit) {
    Objects.requireNonNull(schedulerId, "schedulerId");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    return cyclesByScheduler.getOrDefault(schedulerId, Map.of()).values().stream()
        .sorted(NEWEST_FIRST)
        .limit(limit)
        .map(s -> s.cycle)
        .toList();
  }

  @Override
  public synchronized void saveQuotaWindow(QuotaWindow window) {
    Objects.requireNonNull(window, "window");
    QuotaWindow kept =
        new QuotaWindow(
            window.agentId(),
            millis(window.start()),
            window.resetsAt().map(TransientSchedulerStateStore::millis),
            window.usedTokens(),
            window.limitTokens(),
            window.exhausted());
    quota.computeIfAbsent(window.agentId(), a -> new TreeMap<>()).put(kept.start(), kept);
  }

  @Override
  public synchronized List<QuotaWindow> quotaWindows() {
    return quota.values().stream().flatMap(w -> w.values().stream()).toList();
  }

  @Override
  public synchronized List<String> schedulerIds() {
    java.util.TreeSet<String> ids = new java.util.TreeSet<>(snapshots.keySet());
    ids.addAll(cyclesByScheduler.keySet());
    return List.copyOf(ids);
  }

  @Override
  public String toString() {
    return "TransientSchedulerStateStore";
  }

  private static SchedulerSnapshot toMillis(SchedulerSnapshot s) {
    return new SchedulerSnapshot(
        s.schedulerId(),
        s.lastRunAt().map(TransientSchedulerStateStore::millis),
        s.lastPlannedAt().map(TransientSchedulerStateStore::millis),
        s.nextPlannedWake().map(TransientSchedulerStateStore::millis),
        s.catchUpPending(),
        s.cycleCount(),
        millis(s.savedAt()));
  }

  private static CycleRecord toMillis(CycleRecord c) {
    return new CycleRecord(
        c.cycleId(),
        c.schedulerId(),
        millis(c.plannedAt()),
        c.startedAt().map(TransientSchedulerStateStore::millis),
        c.finishedAt().map(TransientSchedulerStateStore::millis),
        c.outcome(),
        c.skipReason(),
        c.notes(),
        c.catchUp(),
        c.receipt());
  }

  private static Instant millis(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS);
  }

  private record Stored(long sequence, CycleRecord cycle) {}
}
