package dev.overnight.micrometer.internal;

import dev.overnight.api.Subscription;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.RuntimeInstrumentation;
import dev.overnight.micrometer.OvernightMetrics;
import io.micrometer.core.instrument.Metrics;

/**
 * Discovered when {@code orchestration-micrometer} is on the class path: records every runtime's
 * meters into Micrometer's global registry, which forwards them to whatever registries the
 * application added to it (none: nothing is kept). An application that gives its own registry
 * through {@link OvernightMetrics#instrumentation} replaces this one.
 *
 * @since 0.1.0
 */
public final class GlobalRegistryInstrumentation implements RuntimeInstrumentation {

  @Override
  public String name() {
    return OvernightMetrics.INSTRUMENTATION_NAME;
  }

  @Override
  public Subscription attach(OvernightRuntime runtime) {
    return OvernightMetrics.instrumentation(Metrics.globalRegistry).attach(runtime);
  }
}
