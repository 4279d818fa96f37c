package dev.overnight.spring.boot.internal;

import dev.overnight.core.runtime.OvernightRuntime;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * Overnight's health on Spring Boot 3 ({@code org.springframework.boot.actuate.health}): see {@link
 * RuntimeStatus#health}. Thread-safe; each call asks the store and the agents.
 */
public final class Boot3HealthIndicator implements HealthIndicator {
  private final OvernightRuntime runtime;

  /** The health of {@code runtime}. */
  public Boot3HealthIndicator(OvernightRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Health health() {
    RuntimeStatus.Health h = RuntimeStatus.health(runtime);
    return Health.status(new Status(h.level().name())).withDetails(h.details()).build();
  }
}
