package dev.overnight.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.QualityGate;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.core.hub.HubSubscription;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The meters of a real runtime with an in-process agent, on virtual time: what a night of cycles,
 * attempts, turns and gate runs leaves in a registry, and how the binder comes and goes with the
 * runtime.
 */
class OvernightMetricsTest {
  private static final Instant MIDNIGHT = Instant.parse("2026-11-25T00:00:00Z");

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(MIDNIGHT);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
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
  }

  @AfterEach
  void closeRuntimes() {
    runtimes.forEach(OvernightRuntime::close);
  }

  private OrchestrationConfig.Builder config() {
    return OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
        .id("metered")
        .decision(new DecisionSettings(30, 20, List.of()))
        .schedule(Schedule.cron("*/30 * * * *").withTimezone(ZoneOffset.UTC));
  }

  private OvernightRuntime.Builder runtime(OrchestrationConfig config) {
    return OvernightRuntime.builder(config)
        .statePaths(new StatePaths(dir.resolve("state")))
        .timeSource(time)
        .environment(Map.of())
        .homeDirectory(dir.resolve("home"))
        .shutdownHook(false)
        .cycleExecutor(Runnable::run)
        .decisionEngine(context -> Optional.empty());
  }

  private OvernightRuntime build(OvernightRuntime.Builder builder) {
    OvernightRuntime runtime = builder.build();
    runtimes.add(runtime);
    return runtime;
  }

  private static void enqueue(OvernightRuntime runtime, String title) {
    runtime
        .taskQueue()
        .enqueue(TaskSpec.builder("Do this: " + title).title(title).agentId("claude-code").build());
  }

  @Test
  void aCycleWithACompletedAndAFailedTaskIsCountedByOutcomeAgentTokensCostAndGate() {
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(
                FakeTurn.builder()
                    .write("FIXED", "yes\n")
                    .endTurn(new Usage(100, 20, 5, 0, Optional.of(0.25))))
            .session(FakeTurn.crash("the agent fell over"))
            .build();
    OrchestrationConfig config =
        config()
            .maxAttempts(1)
            .qualityGate(new QualityGate(Optional.of("test -f FIXED"), 60, false, 0))
            .build();
    OvernightRuntime runtime =
        build(
            runtime(config)
                .agentProvider(agent)
                .instrumentation(OvernightMetrics.instrumentation(registry, Tags.of("app", "a"))));
    enqueue(runtime, "First");
    enqueue(runtime, "Second");
    HubSubscription watching = runtime.sessions().subscribe(item -> {});

    runtime.runOnce();

    assertThat(
            registry.get("overnight.cycles").tags("config", "metered", "app", "a").timer().count())
        .isEqualTo(1);
    assertThat(attempts("completed").count()).isEqualTo(1);
    assertThat(attempts("failed").count()).isEqualTo(1);
    assertThat(registry.get("overnight.agent.tokens").tags("type", "input").counter().count())
        .isEqualTo(100);
    assertThat(registry.get("overnight.agent.tokens").tags("type", "output").counter().count())
        .isEqualTo(20);
    assertThat(registry.get("overnight.agent.tokens").tags("type", "cache.read").counter().count())
        .isEqualTo(5);
    assertThat(registry.get("overnight.agent.cost").tags("agent", "claude-code").counter().count())
        .isEqualTo(0.25);
    assertThat(
            registry.get("overnight.agent.turns").tags("stop.reason", "end_turn").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("overnight.agent.turns").tags("stop.reason", "error").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("overnight.quality.gate").tags("result", "passed").timer().count())
        .isEqualTo(1);
    assertThat(queue("completed")).isEqualTo(1);
    assertThat(queue("failed")).isEqualTo(1);
    assertThat(queue("pending")).isZero();
    assertThat(registry.get("overnight.sessions.subscribers").gauge().value()).isEqualTo(1);
    watching.close();
    assertThat(registry.get("overnight.sessions.subscribers").gauge().value()).isZero();
    assertThat(registry.get("overnight.sessions.dropped").functionCounter().count()).isZero();
  }

  @Test
  void scheduledCyclesRecordHowLateTheyWokeAndMissedOnesWhyTheyWereSkipped() {
    OvernightRuntime runtime =
        build(
            runtime(config().build()).instrumentation(OvernightMetrics.instrumentation(registry)));
    assertThat(registry.get("overnight.cycles.skipped").counters())
        .as("every reason is there from the start, at zero")
        .hasSize(SkipReason.values().length)
        .allSatisfy(c -> assertThat(c.count()).isZero());

    runtime.start();
    time.advance(Duration.ofMinutes(30)); // 00:30, on time
    time.setWallClock(MIDNIGHT.plus(Duration.ofMinutes(130))); // asleep past 01:00 and 01:30
    time.runDue();

    Timer onTime =
        registry.get("overnight.scheduler.wake.lateness").tags("catch.up", "false").timer();
    assertThat(onTime.count()).isEqualTo(1);
    assertThat(onTime.totalTime(TimeUnit.SECONDS)).as("no jitter: it woke on time").isZero();
    assertThat(
            registry
                .get("overnight.cycles.skipped")
                .tags("reason", "machine_asleep")
                .counter()
                .count())
        .isGreaterThanOrEqualTo(1);
    long woke =
        registry.get("overnight.scheduler.wake.lateness").timers().stream()
            .mapToLong(Timer::count)
            .sum();
    assertThat(registry.get("overnight.cycles").timer().count()).isEqualTo(woke);
  }

  @Test
  void closingTheRuntimeRemovesItsMetersAndTheDiscoveredBinderUsesTheGlobalRegistry() {
    Metrics.addRegistry(registry);
    try {
      OvernightRuntime runtime = build(runtime(config().build()));
      assertThat(runtime.instrumentations())
          .extracting(i -> i.name())
          .containsExactly(OvernightMetrics.INSTRUMENTATION_NAME);
      assertThat(registry.find("overnight.queue.tasks").gauges()).hasSize(5);

      runtime.close();

      assertThat(registry.getMeters())
          .extracting(Meter::getId)
          .noneMatch(id -> id.getName().startsWith("overnight."));
    } finally {
      Metrics.removeRegistry(registry);
    }
  }

  @Test
  void anAttemptThatEndsAfterTheBinderClosedLeavesNoMeterBehind() {
    AtomicReference<OvernightMetrics> binder = new AtomicReference<>();
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(
                FakeTurn.builder()
                    .act(worktree -> binder.get().close())
                    .write("A.md", "a\n")
                    .endTurn(new Usage(10, 1, 0, 0, Optional.empty())))
            .build();
    OvernightRuntime runtime =
        build(runtime(config().build()).agentProvider(agent).providerLoader(ProviderLoader.none()));
    OvernightMetrics metrics = new OvernightMetrics(runtime);
    metrics.bindTo(registry);
    binder.set(metrics);
    assertThat(registry.getMeters()).isNotEmpty();
    enqueue(runtime, "First");

    runtime.runOnce();

    assertThat(runtime.coordinator().metrics().tasksCompleted()).isEqualTo(1);
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void withoutTheProviderLoaderNothingIsDiscovered() {
    OvernightRuntime runtime =
        build(runtime(config().build()).providerLoader(ProviderLoader.none()));

    assertThat(runtime.instrumentations()).isEmpty();
  }

  private Timer attempts(String outcome) {
    return registry
        .get("overnight.task.attempts")
        .tags("agent", "claude-code", "outcome", outcome)
        .timer();
  }

  private double queue(String status) {
    return registry.get("overnight.queue.tasks").tags("status", status).gauge().value();
  }
}
