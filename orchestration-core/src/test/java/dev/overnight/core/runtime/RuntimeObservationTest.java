package dev.overnight.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.Subscription;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.QualityGate;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.coordinator.AttemptObserver;
import dev.overnight.core.coordinator.AttemptOutcome;
import dev.overnight.core.coordinator.GateResult;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.spi.TestServices;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a runtime shows the code that watches it from outside: each attempt with its agent, turns,
 * gate runs, usage and end; the agent environment an observer adds; and instrumentations, given or
 * discovered, attached once and detached at shutdown.
 */
class RuntimeObservationTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final List<OvernightRuntime> runtimes = new ArrayList<>();
  private Path workspace;

  @BeforeEach
  void aRepository() throws IOException {
    workspace = Files.createDirectories(dir.resolve("repo"));
    Git git = new Git(workspace);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.name", "Dev");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "commit.gpgsign", "false");
    Files.writeString(workspace.resolve("README.md"), "# Demo\n");
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "Start");
    Recording.ATTACHED.clear();
  }

  @AfterEach
  void closeRuntimes() {
    runtimes.forEach(OvernightRuntime::close);
  }

  private OrchestrationConfig.Builder config() {
    return OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
        .id("observed")
        .decision(new DecisionSettings(30, 20, List.of()));
  }

  private OvernightRuntime.Builder runtime(OrchestrationConfig config) {
    return OvernightRuntime.builder(config)
        .statePaths(new StatePaths(dir.resolve("state")))
        .timeSource(time)
        .environment(Map.of())
        .homeDirectory(dir.resolve("home"))
        .shutdownHook(false)
        .cycleExecutor(Runnable::run)
        .providerLoader(ProviderLoader.none())
        .decisionEngine(context -> Optional.empty());
  }

  private OvernightRuntime build(OvernightRuntime.Builder builder) {
    OvernightRuntime runtime = builder.build();
    runtimes.add(runtime);
    return runtime;
  }

  private static Task enqueue(OvernightRuntime runtime, String title) {
    return runtime
        .taskQueue()
        .enqueue(TaskSpec.builder("Do this: " + title).title(title).agentId("claude-code").build())
        .task();
  }

  @Test
  void anObserverSeesTheAttemptItsTurnsItsGateRunsAndItsEndAndGivesTheAgentVariables() {
    Usage first = new Usage(100, 20, 0, 0, Optional.empty());
    Usage second = new Usage(50, 10, 0, 0, Optional.empty());
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(
                FakeTurn.builder().write("NOTES.md", "Notes.\n").endTurn(first),
                FakeTurn.builder().write("FIXED", "yes\n").endTurn(second))
            .build();
    OrchestrationConfig config =
        config().qualityGate(new QualityGate(Optional.of("test -f FIXED"), 60, true, 2)).build();
    List<String> seen = new CopyOnWriteArrayList<>();
    List<AttemptObserver.End> ends = new CopyOnWriteArrayList<>();
    OvernightRuntime runtime = build(runtime(config).agentProvider(agent));
    runtime.observe(
        start ->
            new AttemptObserver.Attempt() {
              @Override
              public Map<String, String> agentEnvironment() {
                seen.add("environment for " + start.agentId() + " in " + start.cycleId());
                return Map.of("TRACEPARENT", "00-trace-" + start.task().id().shortId());
              }

              @Override
              public AttemptObserver.TurnWatch turnStarted(AttemptObserver.Turn turn) {
                seen.add("turn " + turn.index() + (turn.followUp() ? " (follow-up)" : ""));
                return new AttemptObserver.TurnWatch() {
                  @Override
                  public void ended(Instant at, AgentOutcome outcome) {
                    seen.add(
                        "turn "
                            + turn.index()
                            + " ended "
                            + outcome.stopReason()
                            + " with "
                            + outcome.usage().inputTokens()
                            + " in");
                  }
                };
              }

              @Override
              public void gateChecked(Instant at, GateResult result) {
                seen.add("gate " + (result.passed() ? "passed" : "failed"));
              }

              @Override
              public void ended(AttemptObserver.End end) {
                ends.add(end);
                seen.add("ended " + end.outcome());
              }
            });
    Task task = enqueue(runtime, "Write the notes");

    runtime.runOnce();

    assertThat(seen)
        .hasSize(8)
        .containsSubsequence(
            "turn 0",
            "turn 0 ended END_TURN with 100 in",
            "gate failed",
            "turn 1 (follow-up)",
            "turn 1 ended END_TURN with 50 in",
            "gate passed",
            "ended completed");
    assertThat(seen.get(0)).startsWith("environment for claude-code in once-");
    assertThat(agent.requests())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.environment())
                    .containsEntry("TRACEPARENT", "00-trace-" + task.id().shortId()));
    assertThat(ends)
        .singleElement()
        .satisfies(
            end -> {
              assertThat(end.outcome()).isEqualTo(AttemptOutcome.COMPLETED);
              assertThat(end.task().id()).isEqualTo(task.id());
              assertThat(end.usage().inputTokens()).isEqualTo(150);
              assertThat(end.usage().outputTokens()).isEqualTo(30);
            });
  }

  @Test
  void anObserverThatThrowsChangesNothingAndAClosedOneSeesNoMoreAttempts() {
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(FakeTurn.builder().write("A.md", "a\n").endTurn())
            .session(FakeTurn.builder().write("B.md", "b\n").endTurn())
            .build();
    OvernightRuntime runtime = build(runtime(config().build()).agentProvider(agent));
    List<String> started = new CopyOnWriteArrayList<>();
    runtime.observe(
        start -> {
          throw new IllegalStateException("a broken observer");
        });
    runtime.observe(
        start ->
            new AttemptObserver.Attempt() {
              @Override
              public AttemptObserver.TurnWatch turnStarted(AttemptObserver.Turn turn) {
                throw new IllegalStateException("broken too");
              }
            });
    Subscription watching = runtime.observe(start -> record(started, start.task().title()));
    enqueue(runtime, "First");

    runtime.runOnce();
    watching.close();
    enqueue(runtime, "Second");
    runtime.runOnce();

    assertThat(started).containsExactly("First");
    assertThat(runtime.coordinator().metrics().tasksCompleted()).isEqualTo(2);
  }

  private static AttemptObserver.Attempt record(List<String> into, String what) {
    into.add(what);
    return AttemptObserver.Attempt.NONE;
  }

  @Test
  void aDiscoveredInstrumentationAttachesAndIsDetachedWhenTheRuntimeShutsDown() {
    OvernightRuntime runtime =
        build(
            runtime(config().build())
                .providerLoader(
                    TestServices.in(dir.resolve("services"))
                        .register(RuntimeInstrumentation.class, Recording.class, Broken.class)
                        .loader()));

    assertThat(runtime.instrumentations())
        .as("one that fails to attach is left out")
        .extracting(RuntimeInstrumentation::name)
        .containsExactly("recording");
    assertThat(Recording.ATTACHED).containsExactly("discovered attached to observed");

    runtime.close();

    assertThat(Recording.ATTACHED)
        .containsExactly("discovered attached to observed", "discovered detached");
  }

  @Test
  void aGivenInstrumentationReplacesTheDiscoveredOneOfItsName() {
    Recording given = new Recording("given");
    OvernightRuntime runtime =
        build(
            runtime(config().build())
                .instrumentation(given)
                .providerLoader(
                    TestServices.in(dir.resolve("services"))
                        .register(RuntimeInstrumentation.class, Recording.class)
                        .loader()));

    assertThat(runtime.instrumentations()).containsExactly(given);
    assertThat(Recording.ATTACHED).containsExactly("given attached to observed");
    assertThatThrownBy(
            () -> runtime(config().build()).instrumentation(given).instrumentation(given))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recording");
  }

  /** Records when it is attached and detached; discovered with its no-argument constructor. */
  public static final class Recording implements RuntimeInstrumentation {
    static final List<String> ATTACHED = new CopyOnWriteArrayList<>();
    private final String label;

    public Recording() {
      this("discovered");
    }

    Recording(String label) {
      this.label = label;
    }

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public Subscription attach(OvernightRuntime runtime) {
      ATTACHED.add(label + " attached to " + runtime.config().id());
      return () -> ATTACHED.add(label + " detached");
    }
  }

  /** Fails to attach. */
  public static final class Broken implements RuntimeInstrumentation {
    @Override
    public String name() {
      return "broken";
    }

    @Override
    public Subscription attach(OvernightRuntime runtime) {
      throw new IllegalStateException("no collector");
    }
  }
}
