package dev.overnight.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.FleetSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.fleet.WorkerState;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.store.Store;
import dev.overnight.core.fleet.WorkerIdentity;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A runtime as a worker of a fleet: its identity, its record, and which tasks it takes. */
class RuntimeFleetTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final List<OvernightRuntime> runtimes = new ArrayList<>();
  private final SharedStore store = new SharedStore(time);
  private Path workspace;

  @BeforeEach
  void aRepositoryClonedFromGitHub() throws IOException {
    workspace = Files.createDirectories(dir.resolve("repo"));
    Git git = new Git(workspace);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.name", "Dev");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "commit.gpgsign", "false");
    git.check("remote", "add", "origin", "git@github.com:acme/shop.git");
    Files.writeString(workspace.resolve("README.md"), "# Shop\n");
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "Start");
  }

  @AfterEach
  void close() {
    runtimes.forEach(OvernightRuntime::close);
  }

  private OvernightRuntime runtime(String state, DecisionEngine engine) {
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
            .id("fleet-test")
            .fleet(new FleetSettings(Optional.of("build-box"), List.of("gpu")))
            .build();
    OvernightRuntime runtime =
        OvernightRuntime.builder(config)
            .statePaths(new StatePaths(dir.resolve(state)))
            .store(store)
            .timeSource(time)
            .environment(Map.of())
            .homeDirectory(dir.resolve("home"))
            .shutdownHook(false)
            .cycleExecutor(Runnable::run)
            .decisionEngine(engine)
            .agentProvider(
                FakeAgent.builder("codex")
                    .timeSource(time)
                    .session(FakeTurn.builder().message("Done.").endTurn())
                    .build())
            .build();
    runtimes.add(runtime);
    return runtime;
  }

  private OvernightRuntime quiet(String state) {
    return runtime(state, context -> Optional.empty());
  }

  @Test
  void itsIdentityIsTheStateFoldersIdWithLabelsForOsAgentsRepositoryAndConfig() {
    OvernightRuntime runtime = quiet("state");

    String id = runtime.identity().id();
    assertThat(id).isEqualTo(WorkerIdentity.stableId(dir.resolve("state")));
    assertThat(runtime.identity().name()).isEqualTo("build-box");
    assertThat(runtime.identity().labels())
        .contains("agent:codex", "gpu", "repo:github.com/acme/shop", "worker:" + id)
        .anyMatch(l -> l.startsWith("os:"));
    assertThat(quiet("state").identity().id()).as("the same folder, the same id").isEqualTo(id);
  }

  @Test
  void aStartedRuntimeRecordsItselfInItsStoresRegistryAndStoppingSaysSo() {
    OvernightRuntime runtime = quiet("state");
    assertThat(store.workers().workers()).isEmpty();

    runtime.start();

    WorkerInfo me = store.workers().worker(runtime.identity().id()).orElseThrow();
    assertThat(me.name()).isEqualTo("build-box");
    assertThat(me.labels()).isEqualTo(runtime.identity().labels());
    assertThat(me.state().kind()).isNotEqualTo(WorkerState.Kind.STOPPING);

    runtime.stop(Duration.ofSeconds(5));
    assertThat(store.workers().worker(runtime.identity().id()).orElseThrow().state())
        .isEqualTo(WorkerState.stopping());
  }

  @Test
  void itRunsOnlyTheTasksWhoseLabelsItCarries() {
    OvernightRuntime runtime = quiet("state");
    TaskQueue queue = runtime.taskQueue();
    Task forThisRepo =
        queue
            .enqueue(
                TaskSpec.builder("Shop work")
                    .agentId("codex")
                    .requiredLabels(List.of("repo:github.com/acme/shop"))
                    .build())
            .task();
    Task forAnotherRepo =
        queue
            .enqueue(
                TaskSpec.builder("Blog work")
                    .agentId("codex")
                    .requiredLabels(List.of("repo:github.com/acme/blog"))
                    .build())
            .task();
    Task forAMac =
        queue
            .enqueue(
                TaskSpec.builder("Mac work")
                    .agentId("codex")
                    .requiredLabels(List.of("os:macos", "os:linux"))
                    .build())
            .task();

    runtime.runOnce();

    assertThat(status(queue, forThisRepo)).isEqualTo(TaskStatus.COMPLETED);
    assertThat(status(queue, forAnotherRepo)).isEqualTo(TaskStatus.PENDING);
    assertThat(status(queue, forAMac)).isEqualTo(TaskStatus.PENDING);
    assertThat(queue.get(forAnotherRepo.id()).orElseThrow().attempts()).isZero();
  }

  @Test
  void tasksItDecidesRequireItsRepositorySoNoOtherCheckoutRunsThem() {
    DecisionEngine once =
        context ->
            Optional.of(
                    new Decision(
                        "Tidy the README",
                        "Tidy the README.",
                        "codex",
                        TaskPriority.MEDIUM,
                        DecisionPath.EXPLORATION,
                        Optional.of("README.md"),
                        "the README is untidy",
                        0.5,
                        List.of(),
                        Duration.ofMinutes(15),
                        Map.of()))
                .filter(d -> !context.finishedOpHashes().contains(d.toTaskSpec().opHash()));
    OvernightRuntime runtime = runtime("state", once);

    runtime.runOnce();

    List<Task> all = runtime.taskQueue().list(TaskFilter.all()).items();
    assertThat(all).hasSize(1);
    assertThat(TaskFacts.REQUIRED_LABELS.from(all.get(0)))
        .contains(Set.of("repo:github.com/acme/shop"));
    assertThat(all.get(0).status()).isEqualTo(TaskStatus.COMPLETED);
  }

  private static TaskStatus status(TaskQueue queue, Task task) {
    return queue.get(task.id()).orElseThrow().status();
  }

  /** A store in memory with a registry, as several runtimes of a fleet share one. */
  static final class SharedStore implements Store {
    private final InMemoryTaskQueue queue;
    private final SchedulerStateStore states = new TransientSchedulerStateStore();
    private final Map<String, WorkerInfo> recorded = new ConcurrentHashMap<>();
    private final WorkerRegistry registry =
        new WorkerRegistry() {
          @Override
          public void record(WorkerInfo worker) {
            recorded.put(worker.id(), worker);
          }

          @Override
          public List<WorkerInfo> workers() {
            return List.copyOf(recorded.values());
          }
        };

    SharedStore(ManualTimeSource time) {
      this.queue = InMemoryTaskQueue.create(time);
    }

    @Override
    public TaskQueue taskQueue() {
      return queue;
    }

    @Override
    public SchedulerStateStore schedulerStateStore() {
      return states;
    }

    @Override
    public WorkerRegistry workers() {
      return registry;
    }

    @Override
    public void close() {}
  }
}
