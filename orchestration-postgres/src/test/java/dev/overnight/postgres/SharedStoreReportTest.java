package dev.overnight.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.FleetSettings;
import dev.overnight.api.config.MissedRunPolicy;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.fleet.Labels;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.report.NightAlarm;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two machines of a fleet share one PostgreSQL queue and run one config: each machine's morning
 * report and night alarms are of the tasks it ran, with one line for what the other ran.
 */
class SharedStoreReportTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  // The queue's clock is the machines' virtual one: the tasks are stamped in the night it runs.
  private final PostgresStore store = TestDatabase.freshStore().clock(time).build();
  private final List<OvernightRuntime> runtimes = new ArrayList<>();

  @AfterEach
  void close() {
    runtimes.forEach(OvernightRuntime::close);
    store.close();
  }

  /**
   * A machine under its fleet name and worker id, with a state folder and checkout of its own,
   * whose agent does what {@code turn} says; its night alarms come after one night.
   */
  private OvernightRuntime machine(String name, String workerId, FakeTurn turn) throws Exception {
    Path workspace = Checkouts.at(dir.resolve("repo-" + name));
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
            .id("nightly")
            .constraints(Constraints.none())
            .schedule(
                new Schedule(
                    "0 1 * * *",
                    Optional.empty(),
                    Optional.empty(),
                    0,
                    MissedRunPolicy.SKIP,
                    Optional.of(ZoneOffset.UTC),
                    1))
            .fleet(new FleetSettings(Optional.of(name), List.of()))
            .build();
    OvernightRuntime runtime =
        OvernightRuntime.builder(config)
            .statePaths(new StatePaths(dir.resolve("state-" + name)))
            .store(store)
            .workerId(workerId)
            .timeSource(time)
            .environment(Map.of())
            .homeDirectory(dir.resolve("home"))
            .shutdownHook(false)
            .cycleExecutor(Runnable::run)
            .decisionEngine(context -> Optional.empty())
            .agentProvider(FakeAgent.builder("codex").timeSource(time).session(turn).build())
            .build();
    runtimes.add(runtime);
    // Started, it records itself where the fleet's machines find each other.
    runtime.start();
    return runtime;
  }

  private Task enqueueFor(String workerId, String title) {
    return store
        .taskQueue()
        .enqueue(
            TaskSpec.builder("Do this: " + title)
                .title(title)
                .agentId("codex")
                .requiredLabels(List.of(Labels.worker(workerId)))
                .build())
        .task();
  }

  @Test
  void eachMachineReportsAndIsAlarmedByTheTasksItRanOnly() throws Exception {
    // The laptop's agent changes nothing; the build box's writes a file each time.
    OvernightRuntime laptop = machine("laptop", "laptop-1a2b", FakeTurn.builder().endTurn());
    OvernightRuntime buildBox =
        machine(
            "build-box",
            "box-9f8e",
            FakeTurn.builder().write("NOTES.md", "Notes.\n").message("Wrote it.").endTurn());
    Task laptopsWork = enqueueFor("laptop-1a2b", "Tidy the laptop's build");
    Task boxWork = enqueueFor("box-9f8e", "Write the release notes");
    Task moreBoxWork = enqueueFor("box-9f8e", "Write the upgrade notes");

    laptop.runOnce();
    buildBox.runOnce();
    // The laptop's report of the morning, once the build box's night is done too.
    time.advance(Duration.ofMinutes(1));
    laptop.writeReport();

    assertThat(store.taskQueue().get(laptopsWork.id()).orElseThrow().status())
        .isEqualTo(TaskStatus.COMPLETED);
    assertThat(store.taskQueue().get(boxWork.id()).orElseThrow().status())
        .isEqualTo(TaskStatus.COMPLETED);
    assertThat(store.taskQueue().get(moreBoxWork.id()).orElseThrow().status())
        .isEqualTo(TaskStatus.COMPLETED);

    String laptopReport = Files.readString(laptop.paths().reports().resolve("latest.md"));
    assertThat(laptopReport)
        .contains("# Overnight report — nightly@laptop")
        .contains("Tidy the laptop's build")
        .contains("**1 completed (1 with no change), 0 failed")
        .contains("> **Alarm:** The schedule fired on each of the last 1 night")
        .contains("The rest of the fleet: build-box 2 completed.")
        .doesNotContain("release notes")
        .doesNotContain("upgrade notes");
    String boxReport = Files.readString(buildBox.paths().reports().resolve("latest.md"));
    assertThat(boxReport)
        .contains("# Overnight report — nightly@build-box")
        .contains("Write the release notes", "Write the upgrade notes")
        .contains("**2 completed, 0 failed")
        .contains("The rest of the fleet: laptop 1 completed.")
        .doesNotContain("Alarm")
        .doesNotContain("Tidy the laptop's build");

    assertThat(laptop.nightAlarms())
        .as("the build box's changes are not the laptop's")
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo(NightAlarm.Kind.NO_CHANGE);
              assertThat(a.message()).contains("1 completed with no change, 0 failed, of 1 task");
            });
    assertThat(buildBox.nightAlarms()).isEmpty();
    assertThat(laptop.ownTasks()).contains("laptop-1a2b");
  }

  @Test
  void aTaskAnotherMachineFinishedAfterThisOneLostItIsTheOthers() throws Exception {
    OvernightRuntime laptop =
        machine("laptop", "laptop-1a2b", FakeTurn.builder().write("A.md", "A\n").endTurn());
    OvernightRuntime buildBox =
        machine("build-box", "box-9f8e", FakeTurn.builder().write("B.md", "B\n").endTurn());
    Task task = enqueueFor("box-9f8e", "Write the release notes");
    // The laptop took it first and was killed: its lease is given up.
    store.taskQueue().claimNext("laptop-1a2b", Duration.ofMinutes(5)).orElseThrow();
    store.taskQueue().recoverLeasesOf("laptop-1a2b", "its daemon was killed");
    time.advance(Duration.ofMinutes(1));

    buildBox.runOnce();
    String laptopReport = Files.readString(laptop.writeReport());

    assertThat(store.taskQueue().ranBy("box-9f8e", ONE_AM))
        .extracting(Task::id)
        .containsExactly(task.id());
    assertThat(store.taskQueue().ranBy("laptop-1a2b", ONE_AM)).isEmpty();
    assertThat(laptopReport)
        .contains("No task ran.")
        .contains("The rest of the fleet: build-box 1 completed.")
        .doesNotContain("release notes");
    assertThat(Files.readString(buildBox.paths().reports().resolve("latest.md")))
        .contains("Write the release notes")
        .contains("lease of worker 'laptop-1a2b' given up");
  }
}
