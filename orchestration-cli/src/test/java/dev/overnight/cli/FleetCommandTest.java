package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerState;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.store.Store;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code overnight enqueue --on} and {@code overnight fleet status} over one store. */
class FleetCommandTest {
  @TempDir Path dir;
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--state-dir";
    all[args.length + 1] = dir.toString();
    return CliRun.of(all);
  }

  private Store openStore() {
    return OvernightRuntime.openStore(
        OrchestrationConfig.builder(ConfigValue.of(dir.toString())).build(), new StatePaths(dir));
  }

  @BeforeEach
  void twoMachines() {
    try (Store store = openStore()) {
      store
          .workers()
          .record(
              new WorkerInfo(
                  "mini-1a2b3c4d",
                  "mac-mini",
                  Set.of("os:macos", "agent:codex", "worker:mini-1a2b3c4d"),
                  WorkerState.constraintsUnmet(List.of("plugged_in: on battery")),
                  List.of(),
                  now.minusSeconds(20),
                  now.minus(Duration.ofHours(1))));
      store
          .workers()
          .record(
              new WorkerInfo(
                  "box-9f8e7d6c",
                  "build-box",
                  Set.of("os:linux", "worker:box-9f8e7d6c"),
                  WorkerState.idle(),
                  List.of(),
                  now.minus(Duration.ofMinutes(30)),
                  now.minus(Duration.ofHours(5))));
    }
  }

  @Test
  void enqueueOnAMachineByNameOrIdRequiresItsWorkerLabel() {
    CliRun byName =
        run("enqueue", "--prompt", "Upgrade the Xcode project", "--on", "mac-mini", "--json");
    assertThat(byName.exitCode()).as(byName.err()).isZero();
    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/queue_add", byName.out())).isEmpty();
    CliRun byId =
        run(
            "queue",
            "add",
            "--prompt",
            "Run the Linux tests",
            "--on",
            "box-9f8e7d6c",
            "--require",
            "os:linux,gpu");
    assertThat(byId.exitCode()).as(byId.err()).isZero();
    run("enqueue", "--prompt", "Anyone may tidy the build");

    try (Store store = openStore()) {
      List<Task> tasks = store.taskQueue().list(TaskFilter.all()).items();
      assertThat(tasks)
          .extracting(t -> TaskFacts.REQUIRED_LABELS.from(t).orElse(Set.of()))
          .containsExactly(
              Set.of("worker:mini-1a2b3c4d"),
              Set.of("gpu", "os:linux", "worker:box-9f8e7d6c"),
              Set.of());
    }
  }

  @Test
  void aNameAnEarlierIdLeftBehindMeansTheMachineLiveUnderItToday() {
    try (Store store = openStore()) {
      // The Mac mini's state folder was set up again: its old record stays, stopped.
      store
          .workers()
          .record(
              new WorkerInfo(
                  "mini-00000000",
                  "mac-mini",
                  Set.of("os:macos", "worker:mini-00000000"),
                  WorkerState.stopping(),
                  List.of(),
                  now.minus(Duration.ofDays(3)),
                  now.minus(Duration.ofDays(30))));
    }
    CliRun live = run("enqueue", "--prompt", "Upgrade the Xcode project", "--on", "mac-mini");
    assertThat(live.exitCode()).as(live.err()).isZero();
    try (Store store = openStore()) {
      assertThat(store.taskQueue().list(TaskFilter.all()).items())
          .extracting(t -> TaskFacts.REQUIRED_LABELS.from(t).orElse(Set.of()))
          .containsExactly(Set.of("worker:mini-1a2b3c4d"));
      store
          .workers()
          .record(
              new WorkerInfo(
                  "mini-ffffffff",
                  "mac-mini",
                  Set.of("os:macos", "worker:mini-ffffffff"),
                  WorkerState.idle(),
                  List.of(),
                  now,
                  now.minus(Duration.ofMinutes(5))));
    }
    CliRun twoLive = run("enqueue", "--prompt", "Tidy", "--on", "mac-mini");
    assertThat(twoLive.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(twoLive.err())
        .contains("several machines are named mac-mini", "mini-1a2b3c4d", "mini-ffffffff");
  }

  @Test
  void anUnknownMachineOrABadLabelQueuesNothing() {
    CliRun unknown = run("enqueue", "--prompt", "Tidy", "--on", "laptop");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err())
        .contains("no machine is named laptop", "mac-mini (mini-1a2b3c4d)", "build-box");
    CliRun badLabel = run("enqueue", "--prompt", "Tidy", "--require", "site office");
    assertThat(badLabel.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badLabel.err()).contains("site office");
    try (Store store = openStore()) {
      assertThat(store.taskQueue().list(TaskFilter.all()).total()).isZero();
    }
  }

  @Test
  void fleetStatusShowsEachMachineItsStateAndTheQueueByLabel() throws Exception {
    run("enqueue", "--prompt", "Upgrade the Xcode project", "--on", "mac-mini");
    run("enqueue", "--prompt", "Tidy the build");

    CliRun text = run("fleet", "status");
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("2 machines (offline after 5 min without a heartbeat)")
        .containsPattern(
            "build-box +box-9f8e7d6c +offline since " + now.minus(Duration.ofMinutes(30)))
        .containsPattern("mac-mini +mini-1a2b3c4d +constraints unmet")
        .contains("unmet: plugged_in: on battery")
        .contains("Queue: 2 pending, 0 in progress, 0 completed, 0 failed, 0 cancelled")
        .containsPattern("\\(any machine\\) +1 +0")
        .containsPattern("worker:mini-1a2b3c4d +1 +0");

    CliRun json = run("fleet", "status", "--json");
    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/fleet_status", json.out())).isEmpty();
    JsonNode fleet = new ObjectMapper().readTree(json.out());
    assertThat(fleet.get("machines"))
        .extracting(m -> m.get("name").asText())
        .containsExactly("build-box", "mac-mini");
    assertThat(fleet.at("/machines/0/offline").asBoolean()).isTrue();
    assertThat(fleet.at("/machines/1/offline").asBoolean()).isFalse();
    assertThat(fleet.at("/queue/by_status/pending").asLong()).isEqualTo(2);
  }
}
