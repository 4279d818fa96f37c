package dev.overnight.opentelemetry.internal;

import dev.overnight.api.Subscription;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.RuntimeInstrumentation;
import dev.overnight.opentelemetry.OvernightTracing;
import io.opentelemetry.api.GlobalOpenTelemetry;

/**
 * Discovered when {@code orchestration-opentelemetry} is on the class path: traces every runtime
 * into {@link GlobalOpenTelemetry}, a no-op until the application (or the OpenTelemetry Java agent)
 * sets it. An application that gives its own instance through {@link
 * OvernightTracing#instrumentation} replaces this one.
 *
 * @since 0.1.0
 */
public final class GlobalTracingInstrumentation implements RuntimeInstrumentation {

  @Override
  public String name() {
    return OvernightTracing.INSTRUMENTATION_NAME;
  }

  @Override
  public Subscription attach(OvernightRuntime runtime) {
    return OvernightTracing.attach(runtime, GlobalOpenTelemetry.get());
  }
}
