package dev.overnight.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransientSchedulerStateStoreCompatibilityTest extends SchedulerStateStoreCompatibilityKit {

  @Override
  protected SchedulerStateStore createStore() {
    return new TransientSchedulerStateStore();
  }

  @Test
  void aLongLivedProcessKeepsOnlyTheNewestCyclesOfEachScheduler() {
    Instant night = Instant.parse("2026-11-25T22:00:00Z");
    int recorded = TransientSchedulerStateStore.KEEP + 5;
    // Recorded newest first, so keeping the latest recordings would keep the wrong ones.
    for (int i = recorded - 1; i >= 0; i--) {
      store.record(skipped("c" + i, "nightly", night.plusSeconds(60L * i)));
    }
    store.record(skipped("other", "weekly", night));

    assertThat(store.recentCycles("nightly", Integer.MAX_VALUE))
        .hasSize(TransientSchedulerStateStore.KEEP)
        .first()
        .extracting(CycleRecord::cycleId)
        .isEqualTo("c" + (recorded - 1));
    assertThat(store.recentCycles("nightly", Integer.MAX_VALUE))
        .last()
        .extracting(CycleRecord::cycleId)
        .isEqualTo("c5");
    assertThat(store.recentCycles("weekly", 10)).hasSize(1);
  }

  private static CycleRecord skipped(String cycleId, String schedulerId, Instant plannedAt) {
    return new CycleRecord(
        cycleId,
        schedulerId,
        plannedAt,
        Optional.empty(),
        Optional.empty(),
        CycleOutcome.SKIPPED,
        Optional.of(SkipReason.MACHINE_ASLEEP),
        List.of("the machine slept"),
        false);
  }
}
