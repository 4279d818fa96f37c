package dev.overnight.spring.boot.autoconfigure;

import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.spring.boot.internal.Boot3HealthIndicator;
import dev.overnight.spring.boot.internal.Boot4HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Overnight's Actuator health indicator, {@code overnight}: the scheduler's state, whether the
 * store can be read and which agents are available; {@code DOWN} when the runtime stopped by itself
 * or its store cannot be read, {@code UNKNOWN} when no agent is available. Boot 3 and Boot 4 keep
 * the health API in different packages: each line's indicator is configured only where that line's
 * types are, and only with Actuator on the class path. Off with {@code
 * management.health.overnight.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = OvernightAutoConfiguration.class)
@ConditionalOnBean(OvernightRuntime.class)
public class OvernightHealthAutoConfiguration {

  /** Creates the auto-configuration (Spring does). */
  public OvernightHealthAutoConfiguration() {}

  /** Spring Boot 3.x. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "org.springframework.boot.actuate.health.HealthIndicator",
        "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"
      })
  @org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator(
      "overnight")
  static class Boot3 {
    @Bean
    @ConditionalOnMissingBean(name = "overnightHealthIndicator")
    Boot3HealthIndicator overnightHealthIndicator(OvernightRuntime runtime) {
      return new Boot3HealthIndicator(runtime);
    }
  }

  /** Spring Boot 4.x. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "org.springframework.boot.health.contributor.HealthIndicator",
        "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator"
      })
  @org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator(
      "overnight")
  static class Boot4 {
    @Bean
    @ConditionalOnMissingBean(name = "overnightHealthIndicator")
    Boot4HealthIndicator overnightHealthIndicator(OvernightRuntime runtime) {
      return new Boot4HealthIndicator(runtime);
    }
  }
}
