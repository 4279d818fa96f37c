package com.example.overnight.hostcheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.doctor.Doctor;
import dev.overnight.core.doctor.DoctorReport;
import dev.overnight.core.schedule.ConstraintGate;
import dev.overnight.core.schedule.ConstraintGateResult;
import dev.overnight.core.spi.NamedProviders;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.time.SystemTimeSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin on the class path is found by ServiceLoader and chosen by the name a config's {@code
 * constraints.checkers} section gives it, exactly as Overnight resolves every checker: from a
 * config file read by Overnight's loader, through the constraint gate the scheduler asks every
 * night.
 */
class PickedUpFromConfigTest {
  @TempDir Path temp;

  /** {@code "constraints": {"checkers": {"host_reachable": {"host": ..., "port": ...}}}}. */
  private static Constraints constraints(Map<String, Object> checkers) {
    return new Constraints(
        false,
        false,
        false,
        Optional.empty(),
        false,
        false,
        10,
        UnknownPolicy.FAIL,
        Duration.ofSeconds(2),
        Duration.ofMinutes(1),
        checkers);
  }

  private static NamedProviders<ConstraintCheckerProvider> discovered() {
    return new NamedProviders<>(
        "constraint checker",
        List.of(),
        ProviderLoader.standard().load(ConstraintCheckerProvider.class),
        ConstraintCheckerProvider::name,
        ConstraintCheckerProvider::order,
        ConstraintCheckerProvider::isSupported);
  }

  @Test
  void theConfigsCheckersSectionSelectsThePluginByName() throws IOException {
    try (ServerSocket ci = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Constraints constraints =
          constraints(
              Map.of("host_reachable", Map.of("host", "127.0.0.1", "port", ci.getLocalPort())));
      assertThat(constraints.enabledCheckers()).containsExactly("host_reachable");

      for (String name : constraints.enabledCheckers()) {
        ConstraintCheckerProvider provider = discovered().select(name).orElseThrow();
        assertThat(provider).isInstanceOf(HostReachableProvider.class);
        ConstraintResult result =
            provider
                .create(new ConstraintSettings(name, constraints.checkers().get(name), constraints))
                .check();
        assertThat(result)
            .isEqualTo(ConstraintResult.satisfied("127.0.0.1:" + ci.getLocalPort() + " answered"));
      }
    }
  }

  @Test
  void aConfigFileNamingThePluginGatesTheNightThroughIt() throws IOException {
    Path file = temp.resolve("overnight.json");
    int port;
    try (ServerSocket ci = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = ci.getLocalPort();
      Files.writeString(
          file,
          """
          {"id": "build-box", "workspace_root": "%s",
           "schedule": {"expression": "0 2 * * *"},
           "constraints": {"checkers": {"host_reachable": {"host": "127.0.0.1", "port": %d}}}}
          """
              .formatted(temp, port));
      OrchestrationConfig config = ConfigLoader.standard().load(file);

      try (SystemTimeSource time = SystemTimeSource.create();
          ConstraintGate gate =
              ConstraintGate.builder(config.constraints()).timeSource(time).build()) {
        ConstraintGateResult open = gate.check();
        assertThat(open.satisfied()).isTrue();
        assertThat(open.results())
            .containsEntry(
                "host_reachable", ConstraintResult.satisfied("127.0.0.1:" + port + " answered"));
      }
    }
    // The CI box is gone: the same config now holds the night.
    OrchestrationConfig config = ConfigLoader.standard().load(file);
    try (SystemTimeSource time = SystemTimeSource.create();
        ConstraintGate gate =
            ConstraintGate.builder(config.constraints()).timeSource(time).build()) {
      ConstraintGateResult held = gate.check();
      assertThat(held.satisfied()).isFalse();
      assertThat(held.results().get("host_reachable").status())
          .isEqualTo(ConstraintStatus.UNSATISFIED);
    }
  }

  @Test
  void badSettingsInTheSectionAreReportedWithTheirPaths() {
    Constraints constraints = constraints(Map.of("host_reachable", Map.of("port", "https")));
    ConstraintCheckerProvider provider = discovered().select("host_reachable").orElseThrow();
    try {
      provider.create(
          new ConstraintSettings(
              "host_reachable", constraints.checkers().get("host_reachable"), constraints));
      throw new AssertionError("expected a ConfigException");
    } catch (ConfigException e) {
      assertThat(e.problems())
          .extracting(ConfigProblem::path)
          .containsExactly(
              "/constraints/checkers/host_reachable/host",
              "/constraints/checkers/host_reachable/port");
    }
  }

  @Test
  void overnightDoctorReportsThePluginAndWhoServedIt() throws IOException {
    try (ServerSocket ci = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      OrchestrationConfig config =
          OrchestrationConfig.builder(ConfigValue.of(temp.toString()))
              .constraints(
                  constraints(
                      Map.of(
                          "host_reachable",
                          Map.of("host", "127.0.0.1", "port", ci.getLocalPort()))))
              .build();
      DoctorReport report =
          Doctor.builder()
              .config(config, "test config")
              .checkerProviders(ProviderLoader.standard().load(ConstraintCheckerProvider.class))
              .stateDir(temp.resolve("state"))
              .build()
              .run();
      DoctorReport.CheckerReport checker =
          report.checkers().stream()
              .filter(c -> c.name().equals("host_reachable"))
              .findFirst()
              .orElseThrow();
      assertThat(checker.enabled()).isTrue();
      assertThat(checker.status()).isEqualTo(ConstraintStatus.SATISFIED);
      assertThat(checker.provider()).contains(HostReachableProvider.class.getName());
      assertThat(report.toJson()).contains("\"name\" : \"host_reachable\"");
    }
  }
}
