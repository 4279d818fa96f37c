package dev.overnight.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the SQLite file of one machine the morning report covers every task of the queue, whichever
 * process ran it: only a store machines share reports each machine's own tasks.
 */
class OneMachineReportTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private SqliteStore store;
  private OvernightRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void theReportListsTheTasksOfEveryProcessAndNoFleetLine() throws Exception {
    Path workspace = Files.createDirectories(dir.resolve("repo"));
    Git git = new Git(workspace);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.name", "Dev");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "commit.gpgsign", "false");
    Files.writeString(workspace.resolve("README.md"), "# Shop\n");
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "Start");
    store = SqliteStore.builder(dir.resolve("overnight.db")).clock(time).build();
    runtime =
        OvernightRuntime.builder(
                OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
                    .id("nightly")
                    .constraints(Constraints.none())
                    .build())
            .statePaths(new StatePaths(dir.resolve("state")))
            .store(store)
            .workerId("overnight-1")
            .timeSource(time)
            .environment(Map.of())
            .homeDirectory(dir.resolve("home"))
            .shutdownHook(false)
            .cycleExecutor(Runnable::run)
            .decisionEngine(context -> Optional.empty())
            .agentProvider(
                FakeAgent.builder("codex")
                    .timeSource(time)
                    .session(FakeTurn.builder().write("NOTES.md", "Notes.\n").endTurn())
                    .build())
            .build();
    // Another process on the same file (an earlier daemon, `overnight once`) ran this one.
    Task earlier =
        store
            .taskQueue()
            .enqueue(TaskSpec.builder("Earlier work").title("Earlier work").build())
            .task();
    store.taskQueue().claimNext("overnight-0", Duration.ofMinutes(5)).orElseThrow();
    store.taskQueue().complete(earlier.id(), "overnight-0", "done", Map.of());
    store
        .taskQueue()
        .enqueue(
            TaskSpec.builder("Write the notes").title("Write the notes").agentId("codex").build());

    runtime.runOnce();

    assertThat(runtime.ownTasks()).isEmpty();
    assertThat(Files.readString(runtime.paths().reports().resolve("latest.md")))
        .contains("# Overnight report — nightly\n")
        .contains("**2 completed, 0 failed")
        .contains("Earlier work", "Write the notes")
        .doesNotContain("rest of the fleet");
  }
}
