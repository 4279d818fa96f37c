package com.example.overnight.boot;

import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application with Overnight inside: the starter assembles the runtime from {@code
 * application.properties}, starts its scheduler with the application, reports it under {@code
 * /actuator/health} and {@code /actuator/overnight}, and records its metrics and traces into the
 * application's own Micrometer registry and OpenTelemetry SDK.
 */
@SpringBootApplication
public class NightShiftApplication {

  public static void main(String[] args) {
    SpringApplication.run(NightShiftApplication.class, args);
  }

  /**
   * Spans go to every {@link SpanExporter} bean: an OTLP exporter in production, an in-memory one
   * in the test. Spring Boot builds its OpenTelemetry SDK around this tracer provider.
   */
  @Bean
  SdkTracerProvider tracerProvider(ObjectProvider<SpanExporter> exporters) {
    SdkTracerProviderBuilder builder = SdkTracerProvider.builder();
    exporters
        .orderedStream()
        .forEach(e -> builder.addSpanProcessor(BatchSpanProcessor.builder(e).build()));
    return builder.build();
  }
}
