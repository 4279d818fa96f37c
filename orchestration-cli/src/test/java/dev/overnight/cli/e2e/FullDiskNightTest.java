package dev.overnight.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.fakes.SmallDisk;
import dev.overnight.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state folder on a disk of its own (a small tmpfs) that fills up in the middle of a night: the
 * cycles meanwhile fail or hold back, saying the disk is full, without burning the task's attempts;
 * once space is freed the same daemon carries on, and the command line can open the database beside
 * it. Real SQLite, git and agent processes; virtual time.
 */
class FullDiskNightTest {
  private static final Instant EVENING = Instant.parse("2026-11-25T00:50:00Z");

  @TempDir Path dir;

  @Test
  void aDiskThatFillsMidNightHoldsTheWorkBackUntilSpaceIsFreed() throws Exception {
    World world = new World(dir, EVENING);
    world.repo.commit(Instant.parse("2026-11-20T10:00:00Z"), "Start", Map.of("README.md", "Hi\n"));
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 16 * 1024 * 1024)) {
      StatePaths state = new StatePaths(disk.root().resolve("state"));
      OrchestrationConfig config =
          world
              .config()
              .stateDir(Optional.of(ConfigValue.of(state.root().toString())))
              .maxConcurrent(1)
              .build();
      Path script = world.script("worker", Scripts.WORKER);
      // The test's own store, so that leases run on the virtual clock too.
      try (SqliteStore store = SqliteStore.builder(state.database()).clock(world.time).build();
          OvernightRuntime runtime =
              OvernightRuntime.builder(config)
                  .statePaths(state)
                  .store(store)
                  .timeSource(world.time)
                  .agentProvider(world.agent("claude-code", script))
                  .decisionEngine(context -> Optional.empty())
                  .environment(Map.of())
                  .homeDirectory(dir.resolve("home"))
                  .shutdownHook(false)
                  .schedulerListener(world.recorder)
                  .coordinatorListener(world.recorder)
                  .build()) {
        Task first = enqueue(runtime, "First");
        runtime.start();
        world.time.runUntil(Instant.parse("2026-11-25T01:00:00Z"));
        world.recorder.awaitNth(SchedulerEvent.CycleFinished.class, 1);
        assertThat(runtime.taskQueue().get(first.id()).orElseThrow())
            .as(world.recorder.summary())
            .extracting(Task::status)
            .isEqualTo(TaskStatus.COMPLETED);

        Task second = enqueue(runtime, "Second");
        disk.fill();
        // 01:30 and 02:00 on a full disk.
        world.time.runUntil(Instant.parse("2026-11-25T01:30:00Z"));
        world.recorder.awaitNth(SchedulerEvent.CycleFinished.class, 2);
        world.time.runUntil(Instant.parse("2026-11-25T02:00:00Z"));
        world.recorder.awaitNth(SchedulerEvent.CycleFinished.class, 3);
        assertThatThrownBy(
                () ->
                    runtime
                        .taskQueue()
                        .enqueue(
                            TaskSpec.builder("x".repeat(TaskSpec.MAX_PROMPT_LENGTH))
                                .title("Big")
                                .build()))
            .isInstanceOf(TaskQueueException.class)
            .hasMessageContaining("the disk is full");
        assertThat(status(runtime, second)).isNotEqualTo(TaskStatus.COMPLETED);

        disk.free();
        world.time.runUntil(Instant.parse("2026-11-25T02:30:00Z"));
        world.recorder.awaitNth(SchedulerEvent.CycleFinished.class, 4);
        world.time.runUntil(Instant.parse("2026-11-25T03:00:00Z"));
        world.recorder.awaitNth(SchedulerEvent.CycleFinished.class, 5);

        Task done = runtime.taskQueue().get(second.id()).orElseThrow();
        assertThat(done.status()).as(world.recorder.summary()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(done.attempts())
            .as("a full disk is not the task's fault: no attempt of it was counted")
            .isEqualTo(1);
        List<SchedulerEvent.CycleFinished> cycles =
            world.recorder.all(SchedulerEvent.CycleFinished.class);
        // What went wrong was said as a full disk, never as the wedged store it used to be.
        for (SchedulerEvent.CycleFinished c : cycles) {
          c.error()
              .ifPresent(
                  e ->
                      assertThat(e)
                          .contains("the disk is full")
                          .doesNotContain("within a transaction", "not executing"));
        }
        assertThat(world.recorder.all(CoordinatorEvent.TaskEnded.class))
            .filteredOn(e -> e.task().id().equals(second.id()))
            .allSatisfy(
                e ->
                    assertThat(e.reason())
                        .satisfiesAnyOf(
                            r -> assertThat(r).isEmpty(), r -> assertThat(r).contains("disk")));
        assertThat(cycles.get(cycles.size() - 1).error()).isEmpty();

        // Beside the running daemon, the command line opens (and migrates) the database.
        try (SqliteStore cli =
            SqliteStore.builder(state.database()).busyTimeout(Duration.ofSeconds(2)).build()) {
          assertThat(cli.taskQueue().get(second.id()).orElseThrow().status())
              .isEqualTo(TaskStatus.COMPLETED);
          assertThat(cli.taskQueue().enqueue(TaskSpec.builder("Later").build()).created()).isTrue();
        }
        runtime.stop(Duration.ofSeconds(60));
      }
    }
  }

  private static Task enqueue(OvernightRuntime runtime, String title) {
    return runtime
        .taskQueue()
        .enqueue(TaskSpec.builder("Do " + title).title(title).agentId("claude-code").build())
        .task();
  }

  private static TaskStatus status(OvernightRuntime runtime, Task task) {
    return runtime.taskQueue().get(task.id()).orElseThrow().status();
  }
}
