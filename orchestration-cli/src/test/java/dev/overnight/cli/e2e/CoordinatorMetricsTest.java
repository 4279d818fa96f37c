package dev.overnight.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.coordinator.AgentCoordinator;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.CoordinatorMetrics;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.fakes.ManualCycle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's counters against a night whose every step the test drives: a task that
 * completes after five minutes of agent time reporting tokens and cost, one that fails twice for
 * good, one the user cancels while it runs, and one the cycle's budget interrupts.
 */
class CoordinatorMetricsTest {
  /** Outside /tmp: the agent's command, in its sandbox, reads the FIFO the test writes. */
  @TempDir(factory = OutsideSystemTemp.class)
  Path dir;

  @Test
  void countersMatchWhatHappened() throws Exception {
    World world = new World(dir, Instant.parse("2026-11-25T01:00:00Z"));
    world.repo.commit(
        Instant.parse("2026-11-20T10:00:00Z"), "Start", Map.of("README.md", "# Demo\n"));
    Path go = dir.resolve("go.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", go.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).isTrue();

    // steady: runs a command that waits until the test says go, then reports its usage.
    Path steady =
        world.script(
            "steady",
            """
            {"name": "scripted-agent", "steps": [
              {"thought": "Running the long check."},
              {"terminal": {"command": "sh", "args": ["-c", "read line < '%s'; echo $line"]}},
              {"write": {"path": "RESULT.md", "content": "All good.\\n"}},
              {"tokens": {"inputTokens": 1000, "outputTokens": 250}},
              {"usage": {"used": 1250, "size": 200000, "cost": 0.25}},
              {"message": "Checked."}
            ]}
            """
                .formatted(go));
    Path broken =
        world.script(
            "broken",
            """
            {"name": "scripted-agent", "steps": [
              {"error": {"code": -32603, "message": "Internal error: model overloaded"}}
            ]}
            """);
    Path patient =
        world.script(
            "patient",
            """
            {"name": "scripted-agent", "steps": [
              {"thought": "Working until told to stop."},
              {"waitForCancel": true}
            ]}
            """);
    // Silence is never "stuck" here: the endless task must run into the budget, whose deadline is
    // where virtual time stops, so its agent time is exact.
    OrchestrationConfig config =
        world
            .config()
            .timeBudgetSec(1200)
            .maxConcurrent(1)
            .limits(
                new dev.overnight.api.config.Limits(
                    dev.overnight.api.config.SpendingLimit.unbounded(),
                    dev.overnight.api.config.SpendingLimit.unbounded(),
                    7200,
                    30))
            .build();
    InMemoryTaskQueue queue = InMemoryTaskQueue.create(world.time);
    AgentCoordinator coordinator =
        world
            .coordinator(
                config,
                queue,
                Optional.empty(),
                List.of(
                    world.agent("steady", steady),
                    world.agent("broken", broken),
                    world.agent("patient", patient)))
            .decisionEngine(context -> Optional.empty())
            .build();
    Task completes = enqueue(queue, "Long check", "steady", 3);
    Task fails = enqueue(queue, "Doomed", "broken", 2);
    Task cancelled = enqueue(queue, "Not needed", "patient", 3);

    // Cycle 1: the long check takes five minutes of agent time.
    Instant start = world.time.instant();
    ManualCycle first =
        new ManualCycle("cycle-1", start, start.plusSeconds(1200)).start(coordinator);
    world.recorder.await(
        SessionEvent.class,
        e ->
            e.update() instanceof SessionUpdate.ToolCall call && call.title().startsWith("Run sh"));
    world.time.advance(Duration.ofMinutes(5));
    say(go, "go");
    // Then the doomed task fails twice, and the user cancels the third while it works.
    CoordinatorEvent.TaskStarted waiting =
        world.recorder.await(
            CoordinatorEvent.TaskStarted.class, s -> s.task().id().equals(cancelled.id()));
    world.recorder.await(
        SessionEvent.class,
        e ->
            e.sessionId().equals(waiting.sessionId())
                && e.update() instanceof SessionUpdate.AgentThoughtChunk);
    queue.cancel(cancelled.id(), "dev", "not needed tonight");
    world.time.advance(Duration.ofMinutes(1)); // the next heartbeat notices
    first.awaitEnd();

    // Cycle 2: a task that outlives the budget.
    world.time.runUntil(Instant.parse("2026-11-25T01:30:00Z"));
    Task interrupted = enqueue(queue, "Endless", "patient", 3);
    Instant second = world.time.instant();
    ManualCycle cycle2 =
        new ManualCycle("cycle-2", second, second.plusSeconds(1200)).start(coordinator);
    CoordinatorEvent.TaskStarted endless =
        world.recorder.await(
            CoordinatorEvent.TaskStarted.class, s -> s.task().id().equals(interrupted.id()));
    world.recorder.await(
        SessionEvent.class,
        e ->
            e.sessionId().equals(endless.sessionId())
                && e.update() instanceof SessionUpdate.AgentThoughtChunk);
    world.time.runUntil(cycle2.deadline());
    cycle2.awaitEnd();

    assertThat(outcomes(world))
        .containsExactly(
            "Long check: completed",
            "Doomed: retry",
            "Doomed: failed",
            "Not needed: cancelled",
            "Endless: retry");
    assertThat(queue.get(completes.id()).orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(queue.get(fails.id()).orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
    assertThat(queue.get(cancelled.id()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(queue.get(interrupted.id()).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);

    CoordinatorMetrics m = coordinator.metrics();
    assertThat(m.cyclesRun()).isEqualTo(2);
    assertThat(m.tasksExecuted()).isEqualTo(5);
    assertThat(m.tasksCompleted()).isEqualTo(1);
    assertThat(m.tasksFailed()).isEqualTo(1);
    assertThat(m.tasksRetried()).isEqualTo(2);
    assertThat(m.tasksReleased()).isZero();
    assertThat(m.tasksCancelled()).isEqualTo(1);
    assertThat(m.decisions()).isZero();
    // 5 min of the long check, 1 min until the cancel was noticed, 20 min of the endless one.
    assertThat(m.agentSeconds()).isEqualTo(300 + 60 + 1200);
    assertThat(m.tokens()).isEqualTo(1250);
    assertThat(m.costUsd()).contains(0.25);

    // The completed task carries the same figures, and the report adds them up.
    assertThat(queue.get(completes.id()).orElseThrow().metadata())
        .containsEntry("agent_seconds", "300")
        .containsEntry("tokens", "1250")
        .containsEntry("cost_usd", "0.2500");
    assertThat(world.report())
        .contains("agents worked 5 min, 1250 tokens, $0.25")
        .contains("cancelled by dev: not needed tonight");
  }

  private static Task enqueue(InMemoryTaskQueue queue, String title, String agent, int attempts) {
    return queue
        .enqueue(
            TaskSpec.builder("Do this: " + title)
                .title(title)
                .agentId(agent)
                .maxAttempts(attempts)
                .build())
        .task();
  }

  private static List<String> outcomes(World world) {
    return world.recorder.all(CoordinatorEvent.TaskEnded.class).stream()
        .map(e -> e.task().title() + ": " + e.outcome())
        .toList();
  }

  /** Writes a line to the FIFO the agent's command reads (blocking until it reads). */
  private static void say(Path fifo, String line) throws Exception {
    CompletableFuture.runAsync(
            () -> {
              try {
                Files.writeString(fifo, line + "\n", StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .get(Recorder.SAFETY_NET.toSeconds(), TimeUnit.SECONDS);
  }
}
