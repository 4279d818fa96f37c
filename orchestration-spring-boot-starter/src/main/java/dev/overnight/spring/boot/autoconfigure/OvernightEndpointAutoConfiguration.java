package dev.overnight.spring.boot.autoconfigure;

import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.spring.boot.OvernightEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The Actuator endpoint {@link OvernightEndpoint} ({@code overnight}), with Actuator on the class
 * path and the endpoint available (enabled and exposed). The endpoint API is the same on Boot 3.5
 * and 4.0.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = OvernightAutoConfiguration.class)
@ConditionalOnClass(
    name = {
      "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
      "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"
    })
@ConditionalOnBean(OvernightRuntime.class)
public class OvernightEndpointAutoConfiguration {

  /** Creates the auto-configuration (Spring does). */
  public OvernightEndpointAutoConfiguration() {}

  /** The endpoint. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint(endpoint = OvernightEndpoint.class)
  public OvernightEndpoint overnightEndpoint(OvernightRuntime runtime) {
    return new OvernightEndpoint(runtime);
  }
}
