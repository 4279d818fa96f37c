package dev.overnight.spring.boot.internal;

import dev.overnight.core.runtime.OvernightRuntime;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Overnight's health on Spring Boot 4 ({@code org.springframework.boot.health.contributor}): see
 * {@link RuntimeStatus#health}. Thread-safe; each call asks the store and the agents.
 */
public final class Boot4HealthIndicator implements HealthIndicator {
  private final OvernightRuntime runtime;

  /** The health of {@code runtime}. */
  public Boot4HealthIndicator(OvernightRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Health health() {
    RuntimeStatus.Health h = RuntimeStatus.health(runtime);
    return Health.status(new Status(h.level().name())).withDetails(h.details()).build();
  }
}
