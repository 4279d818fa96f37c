package dev.overnight.spring.boot.autoconfigure;

import dev.overnight.api.TimeSource;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.micrometer.OvernightMetrics;
import dev.overnight.opentelemetry.OvernightTracing;
import dev.overnight.spring.boot.OvernightLifecycle;
import dev.overnight.spring.boot.OvernightProperties;
import dev.overnight.spring.boot.OvernightRuntimeCustomizer;
import dev.overnight.spring.boot.internal.ApplicationStore;
import dev.overnight.spring.boot.internal.DataSourceStore;
import dev.overnight.spring.boot.internal.PropertiesConfig;
import dev.overnight.spring.boot.internal.RuntimeAssembly;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configures Overnight in a Spring Boot application (3.5 or 4.0): its configuration from the
 * {@code overnight.*} properties or a config file, the {@link OvernightRuntime} assembled with
 * every Overnight SPI bean of the application, its store in the application's PostgreSQL {@code
 * DataSource} when there is one, metrics into the application's {@code MeterRegistry} and traces
 * into its {@code OpenTelemetry} when their modules are on the class path, and an {@link
 * OvernightLifecycle} that starts and stops the scheduler with the context.
 *
 * <p>Every bean backs off when the application defines its own of that type. {@code
 * overnight.enabled=false} turns all of it off.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnClass(OvernightRuntime.class)
@ConditionalOnProperty(
    prefix = "overnight",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(OvernightProperties.class)
public class OvernightAutoConfiguration {

  /** Creates the auto-configuration (Spring does). */
  public OvernightAutoConfiguration() {}

  /**
   * The configuration: the {@code config-file}'s or the inline properties', validated by the config
   * loader. Relative paths in inline properties resolve against the working directory; the id is
   * {@code spring.application.name} unless {@code overnight.id} says otherwise.
   *
   * @throws dev.overnight.api.config.ConfigException listing every problem by property name
   */
  @Bean
  @ConditionalOnMissingBean
  public OrchestrationConfig overnightConfig(
      OvernightProperties properties, Environment environment) {
    return PropertiesConfig.load(
        properties,
        ConfigLoader.standard(),
        Path.of("").toAbsolutePath(),
        environment.getProperty("spring.application.name", "default"));
  }

  /** The runtime, with the application's Overnight beans; closed with the context. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public OvernightRuntime overnightRuntime(
      OrchestrationConfig config,
      OvernightProperties properties,
      ObjectProvider<ApplicationStore> applicationStore,
      BeanFactory beans) {
    return RuntimeAssembly.build(
        config,
        properties,
        Optional.ofNullable(applicationStore.getIfUnique()).flatMap(ApplicationStore::store),
        beans);
  }

  /** Starts the scheduler with the context (unless told not to) and stops it with it. */
  @Bean
  @ConditionalOnMissingBean
  public OvernightLifecycle overnightLifecycle(
      OvernightRuntime runtime, OvernightProperties properties) {
    return new OvernightLifecycle(
        runtime,
        properties.getScheduler().isAutoStart(),
        Optional.ofNullable(properties.getScheduler().getShutdownTimeout()));
  }

  /** The queue in the application's PostgreSQL database, when it has one. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"dev.overnight.postgres.PostgresStore", "javax.sql.DataSource"})
  @ConditionalOnProperty(
      prefix = "overnight",
      name = "use-data-source",
      havingValue = "true",
      matchIfMissing = true)
  static class DataSourceStoreConfiguration {

    @Bean(destroyMethod = "close")
    ApplicationStore overnightDataSourceStore(
        ObjectProvider<DataSource> dataSources,
        OrchestrationConfig config,
        ObjectProvider<TimeSource> time) {
      DataSource dataSource = dataSources.getIfUnique();
      return dataSource == null
          ? DataSourceStore.none()
          : DataSourceStore.open(dataSource, config, Optional.ofNullable(time.getIfUnique()));
    }
  }

  /** Metrics into the application's own meter registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "dev.overnight.micrometer.OvernightMetrics",
        "io.micrometer.core.instrument.MeterRegistry"
      })
  static class MetricsConfiguration {

    @Bean
    OvernightRuntimeCustomizer overnightMetricsInstrumentation(
        ObjectProvider<MeterRegistry> registries) {
      return builder -> {
        MeterRegistry registry = registries.getIfUnique();
        if (registry != null) {
          builder.instrumentation(OvernightMetrics.instrumentation(registry));
        }
      };
    }
  }

  /** Traces into the application's own OpenTelemetry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {"dev.overnight.opentelemetry.OvernightTracing", "io.opentelemetry.api.OpenTelemetry"})
  static class TracingConfiguration {

    @Bean
    OvernightRuntimeCustomizer overnightTracingInstrumentation(
        ObjectProvider<OpenTelemetry> openTelemetry) {
      return builder -> {
        OpenTelemetry otel = openTelemetry.getIfUnique();
        if (otel != null) {
          builder.instrumentation(OvernightTracing.instrumentation(otel));
        }
      };
    }
  }
}
