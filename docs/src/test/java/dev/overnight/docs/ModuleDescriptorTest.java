package dev.overnight.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.OrchestrationException;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.runtime.RuntimeInstrumentation;
import dev.overnight.micrometer.OvernightMetrics;
import dev.overnight.opentelemetry.OvernightTracing;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The published module descriptors, read black-box from the built artifacts: exactly the public
 * packages are exported, nothing is exported to a chosen few, and the SPIs are declared.
 */
class ModuleDescriptorTest {

  private static ModuleDescriptor descriptorOf(Class<?> member) throws URISyntaxException {
    Path location = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
    return ModuleFinder.of(location).findAll().stream()
        .map(ModuleReference::descriptor)
        .findFirst()
        .orElseThrow();
  }

  private static Set<String> exports(ModuleDescriptor d) {
    assertThat(d.exports()).allMatch(e -> !e.isQualified());
    return d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
  }

  @Test
  void apiExportsItsPackagesAndUsesItsSpis() throws Exception {
    ModuleDescriptor api = descriptorOf(OrchestrationException.class);
    assertThat(api.name()).isEqualTo("dev.overnight.api");
    assertThat(api.isAutomatic()).isFalse();
    assertThat(exports(api))
        .containsExactlyInAnyOrder(
            "dev.overnight.api",
            "dev.overnight.api.agent",
            "dev.overnight.api.config",
            "dev.overnight.api.constraint",
            "dev.overnight.api.decision",
            "dev.overnight.api.notify",
            "dev.overnight.api.fleet",
            "dev.overnight.api.pipeline",
            "dev.overnight.api.queue",
            "dev.overnight.api.schedule",
            "dev.overnight.api.store");
    assertThat(api.requires())
        .allMatch(r -> r.name().equals("java.base"), "requires nothing but java.base");
    assertThat(api.uses())
        .contains(
            "dev.overnight.api.constraint.ConstraintCheckerProvider",
            "dev.overnight.api.KeepAwakeProvider",
            "dev.overnight.api.agent.AgentProviderFactory",
            "dev.overnight.api.decision.DecisionEngineProvider",
            "dev.overnight.api.decision.SessionHistorySourceProvider",
            "dev.overnight.api.pipeline.PipelineOperation",
            "dev.overnight.api.store.StoreProvider",
            "dev.overnight.api.notify.NotifierProvider");
  }

  @Test
  void theObservabilityModulesExportTheirPublicPackageAndProvideAnInstrumentation()
      throws Exception {
    ModuleDescriptor micrometer = descriptorOf(OvernightMetrics.class);
    assertThat(micrometer.name()).isEqualTo("dev.overnight.micrometer");
    assertThat(exports(micrometer)).containsExactly("dev.overnight.micrometer");
    assertThat(micrometer.provides())
        .singleElement()
        .satisfies(p -> assertThat(p.service()).isEqualTo(RuntimeInstrumentation.class.getName()));

    ModuleDescriptor tracing = descriptorOf(OvernightTracing.class);
    assertThat(tracing.name()).isEqualTo("dev.overnight.opentelemetry");
    assertThat(exports(tracing)).containsExactly("dev.overnight.opentelemetry");
    assertThat(tracing.provides())
        .singleElement()
        .satisfies(p -> assertThat(p.service()).isEqualTo(RuntimeInstrumentation.class.getName()));
    assertThat(tracing.requires())
        .extracting(ModuleDescriptor.Requires::name)
        .as("the API only: the SDK is the application's choice")
        .noneMatch(name -> name.startsWith("io.opentelemetry.sdk"));

    assertThat(descriptorOf(ConfigLoader.class).uses())
        .contains(RuntimeInstrumentation.class.getName());
  }

  @Test
  void coreExportsNoInternalPackage() throws Exception {
    ModuleDescriptor core = descriptorOf(ConfigLoader.class);
    assertThat(core.name()).isEqualTo("dev.overnight.core");
    assertThat(exports(core))
        .contains("dev.overnight.core.config", "dev.overnight.core.spi")
        .noneMatch(p -> p.contains(".internal"));
    assertThat(core.packages()).anyMatch(p -> p.contains(".internal"));
  }
}
