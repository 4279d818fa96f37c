package dev.overnight.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.core.coordinator.AgentCoordinator;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.schedule.DefaultScheduler;
import dev.overnight.core.spi.ProviderLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original coordinator decided a task, then decided the same task again every cycle (its dedupe
 * was permanent and its task text repeated) and never ran anything more. Here consecutive cycles
 * move on: each file once, whether its task completed or failed, then exploration, then nothing —
 * never a duplicate.
 */
class DecisionsNeverStallTest {
  @TempDir Path dir;

  @Test
  void consecutiveCyclesDecideDifferentTasksThenExplorationThenNothing() {
    World world = new World(dir, Instant.parse("2026-11-25T00:45:00Z"));
    Instant day = Instant.parse("2026-11-21T09:00:00Z");
    world.repo.commit(
        day,
        "Start",
        Map.of(
            "src/main/java/demo/Parser.java", "class Parser {}\n",
            "src/main/java/demo/Lexer.java", "class Lexer {}\n"));
    world.repo.commit(
        day.plus(Duration.ofHours(1)),
        "Parser again",
        Map.of("src/main/java/demo/Parser.java", "class Parser { int x; }\n"));

    OrchestrationConfig config = world.config().maxConcurrent(1).maxAttempts(1).build();
    // Codex fails its first task for good; from then on it works.
    Path codex =
        world.script(
            "codex",
            """
            {"name": "scripted-agent", "steps": [
              {"error": {"code": -32603, "message": "Internal error: model overloaded"}}
            ]}
            """);
    Path claude = world.script("claude", Scripts.WORKER);
    InMemoryTaskQueue queue = InMemoryTaskQueue.create(world.time);
    AgentCoordinator coordinator =
        world
            .coordinator(
                config,
                queue,
                Optional.empty(),
                List.of(world.agent("claude-code", claude), world.agent("codex", codex)))
            .build();
    coordinator.subscribe(
        e -> {
          if (e instanceof CoordinatorEvent.TaskEnded) {
            world.script("codex", Scripts.WORKER);
          }
        });
    // Cycles on the thread that moves time: the night is one deterministic sequence.
    DefaultScheduler scheduler =
        DefaultScheduler.builder()
            .config(config)
            .timeSource(world.time)
            .cycleExecutor(Runnable::run)
            .providerLoader(ProviderLoader.none())
            .shutdownHook(false)
            .listener(world.recorder)
            .cycleRunner(coordinator)
            .build();
    scheduler.start();
    world.time.runUntil(Instant.parse("2026-11-25T03:15:00Z")); // five cycles, 01:00 to 03:00
    scheduler.stop();
    coordinator.close();

    assertThat(world.recorder.all(SchedulerEvent.CycleFinished.class)).hasSize(5);
    List<CoordinatorEvent.Decided> decided = world.recorder.all(CoordinatorEvent.Decided.class);
    assertThat(decided)
        .extracting(d -> d.decision().title() + " by " + d.decision().agentId())
        .containsExactly(
            "Add tests for Parser.java by codex",
            "Add tests for Lexer.java by codex",
            "Explore the codebase by claude-code");
    assertThat(decided).allSatisfy(d -> assertThat(d.enqueued()).isTrue());
    assertThat(decided.stream().map(d -> d.decision().toTaskSpec().opHash()).distinct()).hasSize(3);
    // One task per cycle for the first three cycles, then nothing left to decide.
    assertThat(world.recorder.all(CoordinatorEvent.CycleEnded.class))
        .extracting(CoordinatorEvent.CycleEnded::tasksRun)
        .containsExactly(1, 1, 1, 0, 0);
    assertThat(world.recorder.all(CoordinatorEvent.NothingToDo.class))
        .hasSize(2)
        .allSatisfy(n -> assertThat(n.reason()).contains("nothing new to do"));

    List<Task> tasks = World.tasks(queue);
    assertThat(tasks)
        .extracting(t -> t.title() + ": " + t.status())
        .containsExactlyInAnyOrder(
            "Add tests for Parser.java: " + TaskStatus.FAILED,
            "Add tests for Lexer.java: " + TaskStatus.COMPLETED,
            "Explore the codebase: " + TaskStatus.COMPLETED);
    assertThat(coordinator.metrics().decisions()).isEqualTo(3);
  }
}
