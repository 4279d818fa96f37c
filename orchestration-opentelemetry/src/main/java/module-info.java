/**
 * Overnight's cycles, task attempts and agent turns as OpenTelemetry spans, with the GenAI semantic
 * conventions' usage attributes and the trace context handed to agent processes. Optional: a
 * runtime finds it through its instrumentation discovery, and core never needs it.
 */
module dev.overnight.opentelemetry {
  requires transitive dev.overnight.core;
  requires transitive io.opentelemetry.api;
  requires io.opentelemetry.context;

  exports dev.overnight.opentelemetry;

  provides dev.overnight.core.runtime.RuntimeInstrumentation with
      dev.overnight.opentelemetry.internal.GlobalTracingInstrumentation;
}
