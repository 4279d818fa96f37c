package dev.overnight.api.schedule;

import dev.overnight.api.agent.QuotaWindow;
import java.util.List;
import java.util.Optional;

/**
 * Where a scheduler keeps its memory: the snapshot it needs after a restart, and the history of
 * cycles. In memory by default; in the SQLite database with {@code orchestration-sqlite}, so one
 * file is the whole memory of a night.
 *
 * <p>Thread-safe. Methods block on the store's I/O and throw {@link
 * dev.overnight.api.OrchestrationException} subclasses when it fails.
 *
 * @since 0.1.0
 */
public interface SchedulerStateStore {

  /** The last snapshot saved for this scheduler, if any. */
  Optional<SchedulerSnapshot> load(String schedulerId);

  /** Replaces the scheduler's snapshot. */
  void save(SchedulerSnapshot snapshot);

  /**
   * Appends a cycle to the history, or replaces the record of the same scheduler with the same
   * cycle id. Cycle ids are counted per scheduler, so another scheduler's cycle of the same id is
   * another record.
   */
  void record(CycleRecord cycle);

  /** The scheduler's most recent cycles, newest first. */
  List<CycleRecord> recentCycles(String schedulerId, int limit);

  /**
   * Every scheduler that saved a snapshot or recorded a cycle here, sorted: which configurations
   * use this store ({@code overnight doctor} warns when that is more than one). A store that cannot
   * list them answers an empty list, so a caller learns nothing rather than something wrong.
   */
  default List<String> schedulerIds() {
    return List.of();
  }

  /**
   * Keeps an agent's usage window in the quota ledger, replacing the one of the same agent and
   * start. The default keeps nothing, for a store without a ledger.
   */
  default void saveQuotaWindow(QuotaWindow window) {}

  /**
   * The quota ledger: every agent's usage windows, oldest first per agent. The default has none.
   */
  default List<QuotaWindow> quotaWindows() {
    return List.of();
  }
}
