package dev.overnight.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.acp.AcpAgentProvider;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.fakes.ScriptedAgent;
import dev.overnight.fakes.ScriptedAgentScripts;
import dev.overnight.micrometer.OvernightMetrics;
import dev.overnight.opentelemetry.OvernightTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code of docs/observability.md, compiled and run: metrics and traces of an embedded runtime.
 */
class ObservabilityTest {
  @TempDir Path dir;

  @Test
  void metricsAndTracesOfAnEmbeddedRuntime() throws Exception {
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
    Path file = dir.resolve("overnight.json");
    Files.writeString(
        file,
        "{\"id\":\"nightly\",\"workspace_root\":\""
            + repo
            + "\",\"schedule\":{\"expression\":\"0 2 * * *\"}}");
    OrchestrationConfig config = ConfigLoader.standard().load(file);
    AgentCommand myAgentCommand = ScriptedAgent.command("--script-json", ScriptedAgentScripts.DEMO);
    MeterRegistry meterRegistry = new SimpleMeterRegistry();
    // The runtime's meters leave the registry when it closes: keep what they counted.
    Map<String, Double> completedAttempts = new ConcurrentHashMap<>();
    meterRegistry
        .config()
        .onMeterRemoved(
            meter -> {
              if (meter instanceof Timer timer
                  && meter.getId().getName().equals("overnight.task.attempts")
                  && "completed".equals(meter.getId().getTag("outcome"))) {
                completedAttempts.put(meter.getId().getTag("agent"), (double) timer.count());
              }
            });
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .build()) {
      OpenTelemetry openTelemetry = sdk;
      // tag::observe[]
      try (OvernightRuntime overnight =
          OvernightRuntime.builder(config)
              .statePaths(new StatePaths(dir.resolve("state")))
              .agentProvider(AcpAgentProvider.command("my-agent", myAgentCommand))
              .decisionEngine(context -> Optional.empty()) // only what is enqueued here runs
              // Your registry and your OpenTelemetry instead of the global ones:
              .instrumentation(OvernightMetrics.instrumentation(meterRegistry))
              .instrumentation(OvernightTracing.instrumentation(openTelemetry))
              .build()) {
        overnight
            .taskQueue()
            .enqueue(TaskSpec.builder("Write hello.txt").agentId("my-agent").build());
        overnight.runOnce();
        System.out.println(
            "Completed attempts: "
                + meterRegistry
                    .get("overnight.task.attempts")
                    .tags("agent", "my-agent", "outcome", "completed")
                    .timer()
                    .count());
      }
      // end::observe[]
      assertThat(completedAttempts).containsExactly(Map.entry("my-agent", 1.0));
      assertThat(meterRegistry.getMeters()).isEmpty();
      List<SpanData> spans = exporter.getFinishedSpanItems();
      assertThat(spans)
          .extracting(SpanData::getName)
          .contains("overnight.cycle", "overnight.task", "invoke_agent my-agent");
    }
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
