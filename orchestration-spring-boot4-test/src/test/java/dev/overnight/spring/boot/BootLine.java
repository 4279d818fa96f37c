package dev.overnight.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContext;

/** What differs between the Boot lines for the shared tests: here, Spring Boot 4. */
final class BootLine {
  /** The line's major version. */
  static final int MAJOR = 4;

  private BootLine() {}

  /** The line's health indicator type, for asserting which one was configured. */
  static Class<?> healthIndicatorType() {
    return HealthIndicator.class;
  }

  /** Overnight's health: its status under {@code status}, its details beside it. */
  static Map<String, Object> health(ApplicationContext context) {
    Health health = context.getBean("overnightHealthIndicator", HealthIndicator.class).health();
    Map<String, Object> out = new LinkedHashMap<>(health.getDetails());
    out.put("status", health.getStatus().getCode());
    return out;
  }
}
