package dev.overnight.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.FleetSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.fakes.ManualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Machines of a fleet run the same config (one id) against one PostgreSQL database: each keeps its
 * own cycle count, snapshot and cycle history, though every machine counts its cycles from {@code
 * cycle-1}.
 */
class SharedStoreCycleHistoryTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final PostgresStore store = TestDatabase.freshStore().build();
  private final List<OvernightRuntime> runtimes = new ArrayList<>();

  @AfterEach
  void close() {
    runtimes.forEach(OvernightRuntime::close);
    store.close();
  }

  /**
   * A started machine running the fleet's one config under its fleet name, with a state folder and
   * checkout of its own.
   */
  private OvernightRuntime machine(String name) throws Exception {
    Path workspace = Checkouts.at(dir.resolve("repo-" + name));
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
            .id("nightly")
            .constraints(Constraints.none())
            .fleet(new FleetSettings(Optional.of(name), List.of()))
            .build();
    OvernightRuntime runtime =
        OvernightRuntime.builder(config)
            .statePaths(new StatePaths(dir.resolve("state-" + name)))
            .store(store)
            .timeSource(time)
            .environment(Map.of())
            .homeDirectory(dir.resolve("home"))
            .shutdownHook(false)
            .cycleExecutor(Runnable::run)
            .decisionEngine(context -> Optional.empty())
            .build();
    runtimes.add(runtime);
    runtime.start();
    return runtime;
  }

  @Test
  void machinesWithOneConfigIdKeepTheirOwnCycleCountAndHistory() throws Exception {
    OvernightRuntime laptop = machine("laptop");
    OvernightRuntime buildBox = machine("build-box");

    laptop.scheduler().runNow();
    time.advance(Duration.ofMinutes(1));
    buildBox.scheduler().runNow();
    time.advance(Duration.ofMinutes(1));
    laptop.scheduler().runNow();

    assertThat(laptop.schedulerId()).isEqualTo("nightly@laptop");
    assertThat(buildBox.schedulerId()).isEqualTo("nightly@build-box");
    assertThat(store.schedulerStateStore().recentCycles("nightly@laptop", 10))
        .extracting(CycleRecord::cycleId, c -> c.startedAt().orElseThrow())
        .containsExactly(
            tuple("cycle-2", ONE_AM.plus(Duration.ofMinutes(2))), tuple("cycle-1", ONE_AM));
    assertThat(store.schedulerStateStore().recentCycles("nightly@build-box", 10))
        .extracting(CycleRecord::cycleId, c -> c.startedAt().orElseThrow())
        .containsExactly(tuple("cycle-1", ONE_AM.plus(Duration.ofMinutes(1))));
    assertThat(laptop.scheduler().metrics().cycleCount()).isEqualTo(2);
    assertThat(buildBox.scheduler().metrics().cycleCount()).isEqualTo(1);
    assertThat(store.schedulerStateStore().load("nightly@laptop"))
        .map(SchedulerSnapshot::cycleCount)
        .contains(2L);
    assertThat(store.schedulerStateStore().load("nightly@build-box"))
        .map(SchedulerSnapshot::cycleCount)
        .contains(1L);
    assertThat(store.schedulerStateStore().schedulerIds())
        .containsExactly("nightly@build-box", "nightly@laptop");
  }

  @Test
  void aMachineRestartedOnTheSharedStoreCountsOnFromItsOwnCycles() throws Exception {
    OvernightRuntime before = machine("laptop");
    before.scheduler().runNow();
    machine("build-box").scheduler().runNow();
    before.close();

    OvernightRuntime after = machine("laptop");
    time.advance(Duration.ofMinutes(1));
    after.scheduler().runNow();

    assertThat(store.schedulerStateStore().recentCycles("nightly@laptop", 10))
        .extracting(CycleRecord::cycleId)
        .containsExactly("cycle-2", "cycle-1");
    assertThat(after.scheduler().metrics().cycleCount()).isEqualTo(2);
  }
}
