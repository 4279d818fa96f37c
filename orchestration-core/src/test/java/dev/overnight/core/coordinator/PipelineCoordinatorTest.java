package dev.overnight.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.QualityGate;
import dev.overnight.api.pipeline.StepStatus;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.pipeline.PipelineCatalog;
import dev.overnight.core.pipeline.PipelineManifest;
import dev.overnight.core.pipeline.Pipelines;
import dev.overnight.core.pipeline.StepRecord;
import dev.overnight.core.pipeline.internal.BuiltInOperations;
import dev.overnight.core.queue.ForwardingTaskQueue;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualCycle;
import dev.overnight.fakes.ManualTimeSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dependency-upgrade pipeline on a real repository and a real quality gate: the bump breaks the
 * build, an agent fixes it, the gate goes green, a pull request is opened once; and a crash at
 * every step boundary resumes where it stopped without repeating a finished step's side effects.
 */
class PipelineCoordinatorTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");
  private static final Usage TURN = new Usage(1000, 250, 0, 0, Optional.of(0.01));

  /** The build: the old version compiles as is; the new one needs App to use its new API. */
  private static final String GATE =
      "test \"$(cat version.txt)\" = 1.0 || grep -q newApi src/App.java || { echo 'App.java:1:"
          + " cannot find symbol oldApi'; exit 1; }";

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final List<AgentCoordinator> coordinators = new ArrayList<>();
  private final List<String> published = new CopyOnWriteArrayList<>();
  private Repository repo;
  private Path state;
  private InMemoryTaskQueue queue;
  private OrchestrationConfig config;
  private int cycles;

  @BeforeEach
  void aRepositoryWhoseBuildBreaksAfterTheBump() {
    repo = Repository.init(dir.resolve("repo"));
    repo.commit(
        "Pin the dependency",
        Map.of("version.txt", "1.0\n", "src/App.java", "class App { oldApi(); }\n"));
    state = dir.resolve("state");
    queue = InMemoryTaskQueue.create(time);
    config =
        OrchestrationConfig.builder(ConfigValue.of(repo.dir().toString()))
            .id("test")
            .stateDir(ConfigValue.of(state.toString()))
            .qualityGate(new QualityGate(Optional.of(GATE), 60, false, 0))
            .build();
  }

  @AfterEach
  void closeCoordinators() {
    coordinators.forEach(AgentCoordinator::close);
  }

  /** The agent: bumps the version, then (asked to fix the build) moves App to the new API. */
  private FakeAgent agent() {
    return FakeAgent.builder("claude-code")
        .timeSource(time)
        .session(
            FakeTurn.builder()
                .write("version.txt", "2.0\n")
                .message("Bumped the dependency to 2.0.")
                .endTurn(TURN))
        .session(
            FakeTurn.builder()
                .write("src/App.java", "class App { newApi(); }\n")
                .message("Moved App to the new API.")
                .endTurn(TURN))
        .build();
  }

  /** Publishes nothing anywhere: records the call and answers with a pull request. */
  private final PullRequestPublisher publisher =
      (worktree, task, gate, summary) -> {
        published.add(task.title());
        worktree.commitLeftovers(task, "");
        String head = worktree.git().check("rev-parse", "HEAD");
        return new PublishResult(
            worktree.branch(),
            1,
            head,
            true,
            Optional.empty(),
            Optional.of("https://example.test/pr/" + published.size()),
            Optional.empty());
      };

  private AgentCoordinator coordinator(TaskQueue q, AgentProvider agent, String worker) {
    AgentCoordinator c =
        AgentCoordinator.builder(config)
            .taskQueue(q)
            .agentProviders(List.of(agent))
            .timeSource(time)
            .stateDir(state)
            .workerId(worker)
            .publisher(publisher)
            .decisionEngine(context -> Optional.empty())
            .pipelines(Pipelines.of(operations(), repo.dir()))
            .build();
    coordinators.add(c);
    return c;
  }

  private static Map<String, dev.overnight.api.pipeline.PipelineOperation> operations() {
    Map<String, dev.overnight.api.pipeline.PipelineOperation> ops = new LinkedHashMap<>();
    BuiltInOperations.all().forEach(o -> ops.put(o.name(), o));
    return ops;
  }

  private Task enqueueUpgrade() {
    Pipelines pipelines = Pipelines.of(operations(), repo.dir());
    PipelineManifest m = pipelines.catalog().load(PipelineCatalog.reference("upgrade-dependency"));
    TaskSpec spec =
        pipelines.enqueue(
            PipelineCatalog.reference("upgrade-dependency"),
            Map.of("dependency", "acme-core", "version", "2.0"),
            m.shortHash(),
            config,
            Set.of("claude-code"));
    return queue.enqueue(spec).task();
  }

  private void runCycle(AgentCoordinator c) {
    Instant now = time.instant();
    new ManualCycle("cycle-" + ++cycles, now, now.plusSeconds(config.timeBudgetSec())).runOn(c);
  }

  private Task now(Task task) {
    return queue.get(task.id()).orElseThrow();
  }

  @Test
  void theUpgradeBreaksTheBuildTheAgentFixesItTheGateGoesGreenAndAPullRequestIsOpened() {
    Task task = enqueueUpgrade();
    FakeAgent agent = agent();

    runCycle(coordinator(queue, agent, "w1"));

    Task done = now(task);
    assertThat(done.status()).as(done.lastError().orElse("")).isEqualTo(TaskStatus.COMPLETED);
    Map<String, StepRecord> steps = StepRecord.on(done);
    assertThat(steps.keySet()).containsExactly("bump", "build", "fix", "verify", "pr");
    assertThat(steps.get("build").status()).isEqualTo(StepStatus.FAILED);
    assertThat(steps.get("build").outputs().get("output")).contains("cannot find symbol oldApi");
    assertThat(steps.get("fix").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(steps.get("verify").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(steps.get("pr").outputs()).containsEntry("pr_url", "https://example.test/pr/1");
    // The fixing agent was shown what broke.
    assertThat(agent.prompts().get(1)).contains("cannot find symbol oldApi").contains("acme-core");
    assertThat(published).containsExactly("Upgrade acme-core to 2.0");
    String branch = done.metadata().get("branch");
    assertThat(repo.show(branch, "version.txt")).isEqualTo("2.0");
    assertThat(repo.show(branch, "src/App.java")).isEqualTo("class App { newApi(); }");
    assertThat(done.metadata())
        .containsEntry("pr_url", "https://example.test/pr/1")
        .containsEntry("tokens", "2500");
  }

  @Test
  void aCrashAtEveryStepBoundaryResumesWithoutRepeatingFinishedSideEffects() {
    // How many records a clean run writes: each is a boundary a crash can follow.
    int boundaries;
    {
      CountingQueue counting = new CountingQueue(queue, Integer.MAX_VALUE);
      Task task = enqueueUpgrade();
      runCycle(coordinator(counting, agent(), "w0"));
      assertThat(now(task).status()).isEqualTo(TaskStatus.COMPLETED);
      boundaries = counting.records.get();
    }
    assertThat(boundaries).as("five steps and one pull request").isEqualTo(6);

    for (int crashAfter = 1; crashAfter <= boundaries; crashAfter++) {
      aRepositoryWhoseBuildBreaksAfterTheBump();
      published.clear();
      Task task = enqueueUpgrade();
      FakeAgent first = agent();
      CountingQueue crashing = new CountingQueue(queue, crashAfter);

      runCycle(coordinator(crashing, first, "crashed-" + crashAfter));
      assertThat(now(task).status())
          .as("crash after record %s", crashAfter)
          .isEqualTo(TaskStatus.IN_PROGRESS);
      Map<String, StepRecord> before = StepRecord.on(now(task));

      // Another Overnight finds the dead worker's lease expired and takes the task over.
      time.advance(AgentCoordinator.LEASE.plusMinutes(1));
      FakeAgent second = agentAfter(before.keySet());
      runCycle(coordinator(queue, second, "resumed-" + crashAfter));

      Task done = now(task);
      assertThat(done.status())
          .as("after crash %s: %s", crashAfter, done.lastError().orElse(""))
          .isEqualTo(TaskStatus.COMPLETED);
      assertThat(StepRecord.on(done).keySet())
          .containsExactly("bump", "build", "fix", "verify", "pr");
      // Every finished step's side effects happened once: one bump, one fix, one pull request.
      List<String> prompts = new ArrayList<>(first.prompts());
      prompts.addAll(second.prompts());
      assertThat(prompts.stream().filter(p -> p.contains("Change the version")).count())
          .isEqualTo(1);
      assertThat(prompts.stream().filter(p -> p.contains("Fix the code")).count()).isEqualTo(1);
      assertThat(published).as("after crash %s", crashAfter).hasSize(1);
      String branch = done.metadata().get("branch");
      assertThat(repo.show(branch, "version.txt")).isEqualTo("2.0");
      assertThat(repo.show(branch, "src/App.java")).isEqualTo("class App { newApi(); }");
    }
  }

  /** The resumed Overnight's agent: plays only the turns the steps not yet recorded need. */
  private FakeAgent agentAfter(Collection<String> recorded) {
    FakeAgent.Builder b = FakeAgent.builder("claude-code").timeSource(time);
    if (!recorded.contains("bump")) {
      b.session(FakeTurn.builder().write("version.txt", "2.0\n").message("Bumped.").endTurn(TURN));
    }
    if (!recorded.contains("fix")) {
      b.session(
          FakeTurn.builder()
              .write("src/App.java", "class App { newApi(); }\n")
              .message("Fixed.")
              .endTurn(TURN));
    }
    b.session(FakeTurn.endTurn(TURN));
    return b.build();
  }

  /** The process dying: nothing after it runs, nothing catches it as a step's failure. */
  static final class Crash extends Error {
    Crash(String message) {
      super(message);
    }
  }

  /**
   * The queue, counting the pipeline records written (a finished step, a side effect); after the
   * {@code crashAfter}-th is stored, the process "dies".
   */
  static final class CountingQueue extends ForwardingTaskQueue {
    private final int crashAfter;
    final AtomicInteger records = new AtomicInteger();

    CountingQueue(TaskQueue queue, int crashAfter) {
      super(queue);
      this.crashAfter = crashAfter;
    }

    @Override
    public Task annotate(TaskId id, String workerId, Map<String, String> metadata) {
      Task t = inner.annotate(id, workerId, metadata);
      if ((metadata.containsKey(TaskFacts.PIPELINE_STEPS.key())
              || metadata.containsKey(TaskFacts.PIPELINE_EFFECTS.key()))
          && records.incrementAndGet() == crashAfter) {
        throw new Crash("crash after record " + crashAfter + ": " + metadata.keySet());
      }
      return t;
    }

    /** The test closes the queue it wrapped. */
    @Override
    public void close() {}
  }

  static String describe(Map<String, StepRecord> steps) {
    return steps.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue().status())
        .collect(Collectors.joining(", "));
  }
}
