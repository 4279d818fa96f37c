package dev.overnight.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.acp.AcpAgentProvider;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.coordinator.AttemptOutcome;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.fakes.ScriptedAgent;
import dev.overnight.fakes.ScriptedAgentScripts;
import dev.overnight.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code shown in README.md and docs/*.md, compiled and run. */
class EmbeddingExampleTest {
  @TempDir Path dir;

  private Path config(String workspace) throws IOException {
    Path file = dir.resolve("overnight.json");
    Files.writeString(
        file,
        "{\"id\":\"nightly\",\"workspace_root\":\""
            + workspace
            + "\",\"schedule\":{\"expression\":\"*/30 1-5 * * *\","
            + "\"window_start\":\"01:00\",\"window_end\":\"05:00\"}}");
    return file;
  }

  @Test
  void loadAConfig() throws IOException {
    Path file = config(".");
    // tag::load-config[]
    try {
      OrchestrationConfig config = ConfigLoader.standard().load(file);
      System.out.println(config.id() + " runs " + config.schedule().expression());
    } catch (ConfigException e) {
      e.problems().forEach(p -> System.err.println(p)); // "/schedule/window_start: ..."
    }
    // end::load-config[]
    assertThat(ConfigLoader.standard().load(file).id()).isEqualTo("nightly");
  }

  @Test
  void embedOvernight() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    git(repo, "init", "-q", "-b", "main");
    git(
        repo,
        "-c",
        "user.email=dev@example.com",
        "-c",
        "user.name=Dev",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "start");
    Path file = config(repo.toString());
    Path stateDir = dir.resolve("state");
    AgentCommand myAgentCommand = ScriptedAgent.command("--script-json", ScriptedAgentScripts.DEMO);
    List<CoordinatorEvent> events = new CopyOnWriteArrayList<>();
    // tag::embed[]
    OrchestrationConfig config = ConfigLoader.standard().load(file);
    try (OvernightRuntime overnight =
        OvernightRuntime.builder(config)
            .statePaths(new StatePaths(stateDir)) // the SQLite store opens in here
            .agentProvider(AcpAgentProvider.command("my-agent", myAgentCommand))
            .coordinatorListener(event -> events.add(event))
            .build()) {
      overnight
          .taskQueue()
          .enqueue(TaskSpec.builder("Write hello.txt").agentId("my-agent").build());
      overnight.runOnce(); // one cycle now; overnight.start() runs them on schedule instead
    }
    // end::embed[]
    try (SqliteStore store = SqliteStore.open(stateDir.resolve("overnight.db"))) {
      assertThat(store.taskQueue().list(TaskFilter.withStatus(TaskStatus.COMPLETED)).items())
          .extracting(t -> t.title())
          .contains("Write hello.txt");
    }
    assertThat(events)
        .anyMatch(
            e ->
                e instanceof CoordinatorEvent.TaskEnded t
                    && t.outcome() == AttemptOutcome.COMPLETED);
    assertThat(stateDir.resolve("reports/latest.md")).exists();
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
  }
}
