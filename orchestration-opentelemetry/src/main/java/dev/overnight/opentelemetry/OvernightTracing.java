package dev.overnight.opentelemetry;

import dev.overnight.api.Subscription;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.RuntimeInstrumentation;
import dev.overnight.opentelemetry.internal.RuntimeTracer;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;

/**
 * Overnight's traces in OpenTelemetry: a span per cycle, per task attempt and per agent turn, the
 * turns carrying the GenAI semantic conventions' usage attributes, and the attempt's trace context
 * handed to the agent process in its {@code TRACEPARENT} (and {@code TRACESTATE}) environment
 * variable, so an agent that traces itself joins the task's trace. The module's README lists every
 * span and attribute.
 *
 * <p>Give {@link #instrumentation(OpenTelemetry)} to {@link
 * OvernightRuntime.Builder#instrumentation}; or, with this module on the class path and nothing
 * given, a runtime traces into {@link io.opentelemetry.api.GlobalOpenTelemetry} (a no-op until the
 * application or the OpenTelemetry agent sets it). {@link #attach} traces a runtime that is built
 * already.
 *
 * <p>Span times are the runtime's own clock, so a runtime on virtual time produces spans on virtual
 * time. Thread-safe.
 *
 * @since 0.1.0
 */
public final class OvernightTracing {
  /** The name under which it instruments a runtime; see {@link RuntimeInstrumentation#name()}. */
  public static final String INSTRUMENTATION_NAME = "opentelemetry";

  /** The instrumentation scope of Overnight's spans. */
  public static final String INSTRUMENTATION_SCOPE = "dev.overnight";

  private OvernightTracing() {}

  /**
   * What traces a runtime into {@code openTelemetry}, for {@link
   * OvernightRuntime.Builder#instrumentation}; it replaces the one this module discovers.
   */
  public static RuntimeInstrumentation instrumentation(OpenTelemetry openTelemetry) {
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    return new RuntimeInstrumentation() {
      @Override
      public String name() {
        return INSTRUMENTATION_NAME;
      }

      @Override
      public Subscription attach(OvernightRuntime runtime) {
        return OvernightTracing.attach(runtime, openTelemetry);
      }

      @Override
      public String toString() {
        return "Overnight traces into " + openTelemetry;
      }
    };
  }

  /**
   * Starts tracing a built runtime into {@code openTelemetry}: cycles, attempts and turns that
   * start from now on.
   *
   * @return what stops it (spans already started still end)
   */
  public static Subscription attach(OvernightRuntime runtime, OpenTelemetry openTelemetry) {
    return RuntimeTracer.attach(runtime, openTelemetry);
  }
}
