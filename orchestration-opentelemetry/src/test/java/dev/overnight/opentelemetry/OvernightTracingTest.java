package dev.overnight.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.acp.AcpAgentProvider;
import dev.overnight.api.Subscription;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.QualityGate;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import dev.overnight.fakes.ScriptedAgent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spans of a real runtime, exported by the SDK's in-memory exporter, on virtual time: with the
 * scripted agent as a real ACP process (the trace context reaches it through its environment) and
 * with an in-process agent for retries across cycles.
 */
class OvernightTracingTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk openTelemetry =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .build();
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
  void close() {
    runtimes.forEach(OvernightRuntime::close);
    openTelemetry.close();
  }

  private OrchestrationConfig.Builder config() {
    return OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
        .id("traced")
        .decision(new DecisionSettings(30, 20, List.of()));
  }

  /** A runtime on this test's virtual time, traced into the in-memory exporter. */
  private OvernightRuntime build(
      OrchestrationConfig config, UnaryOperator<OvernightRuntime.Builder> part) {
    return untraced(
        config,
        b -> part.apply(b).instrumentation(OvernightTracing.instrumentation(openTelemetry)));
  }

  /** A runtime on this test's virtual time, with no instrumentation given or discovered. */
  private OvernightRuntime untraced(
      OrchestrationConfig config, UnaryOperator<OvernightRuntime.Builder> part) {
    OvernightRuntime.Builder builder =
        OvernightRuntime.builder(config)
            .statePaths(new StatePaths(dir.resolve("state")))
            .timeSource(time)
            .environment(Map.of())
            .homeDirectory(dir.resolve("home"))
            .shutdownHook(false)
            .cycleExecutor(Runnable::run)
            .providerLoader(ProviderLoader.none())
            .decisionEngine(context -> Optional.empty());
    OvernightRuntime runtime = part.apply(builder).build();
    runtimes.add(runtime);
    return runtime;
  }

  @Test
  void aCycleATaskAndTwoTurnsOfARealAcpAgentWithUsageModelAndTheTraceInItsEnvironment()
      throws Exception {
    Path record = dir.resolve("agent-record.jsonl");
    String script =
        """
        {"model": "scripted-model-7", "turns": [
          [{"exec": {"command": "sh", "args": ["-c", "printf 'traceparent=%s' \\"$TRACEPARENT\\""]}},
           {"tokens": {"inputTokens": 120, "outputTokens": 30}},
           {"stop": "end_turn"}],
          [{"write": {"path": "FIXED", "content": "yes"}},
           {"tokens": {"inputTokens": 40, "outputTokens": 8}},
           {"stop": "end_turn"}]
        ]}
        """;
    OrchestrationConfig config =
        config().qualityGate(new QualityGate(Optional.of("test -f FIXED"), 60, true, 2)).build();
    OvernightRuntime runtime =
        build(
            config,
            b ->
                b.agentProvider(
                    AcpAgentProvider.command(
                        "scripted",
                        ScriptedAgent.command(
                            "--script-json", script, "--record", record.toString()))));
    Task task =
        runtime
            .taskQueue()
            .enqueue(TaskSpec.builder("Fix it").title("Fix it").agentId("scripted").build())
            .task();

    runtime.runOnce();

    assertThat(runtime.taskQueue().get(task.id()).orElseThrow().status())
        .isEqualTo(TaskStatus.COMPLETED);
    List<SpanData> spans = exporter.getFinishedSpanItems();
    SpanData cycle = single(spans, "overnight.cycle");
    SpanData attempt = single(spans, "overnight.task");
    List<SpanData> turns = named(spans, "invoke_agent scripted");

    assertThat(cycle.getParentSpanId()).isEqualTo(SpanId.getInvalid());
    assertThat(cycle.getStartEpochNanos())
        .as("on the runtime's virtual clock")
        .isEqualTo(TimeUnit.SECONDS.toNanos(ONE_AM.getEpochSecond()));
    assertThat(cycle.getAttributes().get(AttributeKey.longKey("overnight.cycle.tasks_run")))
        .isEqualTo(1);

    assertThat(attempt.getParentSpanId()).isEqualTo(cycle.getSpanId());
    assertThat(attempt.getTraceId()).isEqualTo(cycle.getTraceId());
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("overnight.task.id")))
        .isEqualTo(task.id().value());
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("overnight.task.outcome")))
        .isEqualTo("completed");
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("gen_ai.agent.name")))
        .isEqualTo("scripted");
    assertThat(attempt.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .isEqualTo(160);
    assertThat(attempt.getEvents())
        .extracting(
            e -> e.getAttributes().get(AttributeKey.booleanKey("overnight.quality_gate.passed")))
        .containsExactly(false, true);

    assertThat(turns)
        .hasSize(2)
        .allSatisfy(t -> assertThat(t.getKind()).isEqualTo(SpanKind.CLIENT));
    turns.sort(
        Comparator.comparing(
            t -> t.getAttributes().get(AttributeKey.longKey("overnight.turn.index"))));
    SpanData first = turns.get(0);
    SpanData followUp = turns.get(1);
    for (SpanData turn : turns) {
      assertThat(turn.getParentSpanId()).isEqualTo(attempt.getSpanId());
      assertThat(turn.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
          .isEqualTo("invoke_agent");
      assertThat(turn.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
          .isEqualTo("scripted-model-7");
      assertThat(turn.getAttributes().get(AttributeKey.stringKey("gen_ai.agent.name")))
          .isEqualTo("scripted");
      assertThat(
              turn.getAttributes()
                  .get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
          .containsExactly("end_turn");
    }
    assertThat(first.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .isEqualTo(120);
    assertThat(first.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
        .isEqualTo(30);
    assertThat(followUp.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .isEqualTo(40);
    assertThat(followUp.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
        .isEqualTo(8);
    assertThat(first.getLinks()).isEmpty();
    assertThat(followUp.getLinks())
        .extracting(l -> l.getSpanContext().getSpanId(), RuntimeTracerLinks::type)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(attempt.getSpanId(), "task"),
            org.assertj.core.groups.Tuple.tuple(first.getSpanId(), "follows_up"));

    assertThat(record)
        .content()
        .as("the agent process got the attempt's trace context in TRACEPARENT")
        .contains(
            "traceparent=00-"
                + attempt.getTraceId()
                + "-"
                + attempt.getSpanId()
                + "-"
                + attempt.getSpanContext().getTraceFlags().asHex());
  }

  @Test
  void aRetryInALaterCycleLinksToTheAttemptBeforeItAndNamesTheProvider() {
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(FakeTurn.crash("the agent fell over"))
            .session(FakeTurn.builder().write("NOTES.md", "Notes.\n").endTurn())
            .build();
    OvernightRuntime runtime = build(config().maxAttempts(3).build(), b -> b.agentProvider(agent));
    runtime
        .taskQueue()
        .enqueue(
            TaskSpec.builder("Write notes").title("Write notes").agentId("claude-code").build());

    runtime.runOnce();
    time.advance(Duration.ofMinutes(30));
    runtime.runOnce();

    List<SpanData> attempts = named(exporter.getFinishedSpanItems(), "overnight.task");
    attempts.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
    assertThat(attempts).hasSize(2);
    SpanData failed = attempts.get(0);
    SpanData retried = attempts.get(1);
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getAttributes().get(AttributeKey.stringKey("overnight.task.outcome")))
        .isEqualTo("retry");
    assertThat(retried.getTraceId())
        .as("each cycle is its own trace")
        .isNotEqualTo(failed.getTraceId());
    assertThat(retried.getLinks())
        .singleElement()
        .satisfies(
            link -> {
              assertThat(link.getSpanContext()).isEqualTo(failed.getSpanContext());
              assertThat(RuntimeTracerLinks.type(link)).isEqualTo("previous_attempt");
            });
    assertThat(retried.getEndEpochNanos() - retried.getStartEpochNanos())
        .as("nothing advanced the virtual clock while it ran")
        .isZero();

    List<SpanData> turns = named(exporter.getFinishedSpanItems(), "invoke_agent claude-code");
    assertThat(turns)
        .hasSize(2)
        .allSatisfy(
            t -> {
              assertThat(t.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
                  .isEqualTo("anthropic");
              assertThat(t.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
                  .as("an in-process agent names no model")
                  .isNull();
            });
    assertThat(turns)
        .filteredOn(t -> t.getStatus().getStatusCode() == StatusCode.ERROR)
        .singleElement()
        .satisfies(
            t -> assertThat(t.getEvents()).extracting(e -> e.getName()).contains("exception"));
  }

  @Test
  void aBuiltRuntimeIsTracedFromAttachUntilTheSubscriptionCloses() {
    OvernightRuntime runtime = untraced(config().build(), b -> b);
    assertThat(runtime.instrumentations()).isEmpty();
    runtime.runOnce();
    assertThat(exporter.getFinishedSpanItems()).isEmpty();

    Subscription tracing = OvernightTracing.attach(runtime, openTelemetry);
    runtime.runOnce();
    assertThat(named(exporter.getFinishedSpanItems(), "overnight.cycle")).hasSize(1);

    tracing.close();
    runtime.runOnce();
    assertThat(named(exporter.getFinishedSpanItems(), "overnight.cycle")).hasSize(1);
  }

  private static List<SpanData> named(List<SpanData> spans, String name) {
    return new ArrayList<>(spans.stream().filter(s -> s.getName().equals(name)).toList());
  }

  private static SpanData single(List<SpanData> spans, String name) {
    List<SpanData> found = named(spans, name);
    assertThat(found).as(name).hasSize(1);
    return found.get(0);
  }

  /** Reads the link type Overnight puts on each link. */
  static final class RuntimeTracerLinks {
    private RuntimeTracerLinks() {}

    static String type(LinkData link) {
      return link.getAttributes().get(AttributeKey.stringKey("overnight.link.type"));
    }
  }
}
