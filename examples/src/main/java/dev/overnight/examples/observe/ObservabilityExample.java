package dev.overnight.examples.observe;

import dev.overnight.acp.AcpAgentProvider;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.examples.SampleWorkspace;
import dev.overnight.fakes.ScriptedAgent;
import dev.overnight.micrometer.OvernightMetrics;
import dev.overnight.opentelemetry.OvernightTracing;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Overnight's metrics and traces in an application's own Micrometer registry and OpenTelemetry SDK:
 * the runtime is given both on its builder, runs one task, and the example prints each span as it
 * ends and then the meters the task left.
 *
 * <p>A real application exports them instead (Prometheus, OTLP, ...): only the registry and the
 * span exporter change.
 */
public final class ObservabilityExample {
  private ObservabilityExample() {}

  /** Runs the example in a temporary folder, printing what happens, then deletes the folder. */
  public static void main(String[] args) throws IOException {
    try (SampleWorkspace workspace = SampleWorkspace.create();
        OpenTelemetrySdk openTelemetry =
            OpenTelemetrySdk.builder()
                .setTracerProvider(
                    SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(new PrintingExporter()))
                        .build())
                .build()) {
      Path file =
          workspace.writeConfig(
              """
              {
                "id": "observed",
                "workspace_root": "repo",
                "state_dir": "state",
                "schedule": {"expression": "0 2 * * *"}
              }
              """);
      OrchestrationConfig config = ConfigLoader.standard().load(file);
      MeterRegistry registry = new SimpleMeterRegistry();
      try (OvernightRuntime overnight =
          OvernightRuntime.builder(config)
              .agentProvider(AcpAgentProvider.command("scripted", ScriptedAgent.command()))
              .decisionEngine(context -> Optional.empty()) // run only what is enqueued here
              .instrumentation(OvernightMetrics.instrumentation(registry))
              .instrumentation(OvernightTracing.instrumentation(openTelemetry))
              .build()) {
        overnight.taskQueue().enqueue(TaskSpec.builder("Write hello.txt").build());
        overnight.runOnce();
        // The meters leave the registry when the runtime closes: read them now.
        registry.getMeters().stream()
            .filter(m -> m.getId().getName().startsWith("overnight."))
            .filter(ObservabilityExample::counted)
            .sorted(Comparator.comparing(m -> m.getId().toString()))
            .forEach(m -> System.out.println("Meter " + describe(m)));
      }
    }
  }

  /** Whether the meter recorded something: the example leaves out what stayed at zero. */
  private static boolean counted(Meter meter) {
    for (var measurement : meter.measure()) {
      if (measurement.getValue() != 0 && !Double.isNaN(measurement.getValue())) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Meter meter) {
    StringBuilder tags = new StringBuilder();
    meter.getId().getTags().stream()
        .filter(t -> !t.getKey().equals("config"))
        .forEach(
            t ->
                tags.append(tags.length() == 0 ? "" : ",")
                    .append(t.getKey())
                    .append('=')
                    .append(t.getValue()));
    String value =
        meter instanceof Timer timer
            ? timer.count() + " recorded"
            : String.valueOf(meter.measure().iterator().next().getValue());
    return meter.getId().getName() + (tags.length() == 0 ? "" : "{" + tags + "}") + " " + value;
  }

  /** Prints each span as it ends, with the attributes a reader looks for first. */
  private static final class PrintingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      for (SpanData span : spans) {
        System.out.println(
            "Span "
                + span.getName()
                + " "
                + span.getAttributes().asMap().entrySet().stream()
                    .filter(
                        e ->
                            e.getKey().getKey().startsWith("gen_ai.")
                                || e.getKey().getKey().equals("overnight.task.outcome"))
                    .map(e -> e.getKey().getKey() + "=" + e.getValue())
                    .sorted()
                    .toList());
      }
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
