package dev.overnight.core.doctor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.core.doctor.DoctorReport.ConfigInfo;
import dev.overnight.core.doctor.DoctorReport.SystemInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The two checks that only describe where the report was made: system and config. */
class SystemInfoCheckTest {

  @Test
  void theSystemIsReadFromTheGivenPropertiesWhenTheCheckRuns() {
    Properties properties = new Properties();
    SystemInfoCheck check = new SystemInfoCheck(properties, () -> 8, Optional.of("1.2.3"));
    properties.setProperty("os.name", "Mac OS X");
    properties.setProperty("os.version", "15.1");
    properties.setProperty("os.arch", "aarch64");
    properties.setProperty("java.version", "17.0.9");
    properties.setProperty("java.vendor", "Eclipse Adoptium");
    properties.setProperty("java.home", "/jdk");

    Findings findings = new Findings();
    check.run(findings);

    assertThat(findings.system())
        .contains(
            new SystemInfo(
                "Mac OS X",
                "15.1",
                "aarch64",
                "MACOS",
                "17.0.9",
                "Eclipse Adoptium",
                "/jdk",
                8,
                "1.2.3"));
    assertThat(findings.problems()).isEmpty();
    assertThat(findings.warnings()).isEmpty();
  }

  @Test
  void unknownPropertiesShowAsQuestionMarksAndADevelopmentBuildSaysSo() {
    Findings findings = new Findings();
    new SystemInfoCheck(new Properties(), () -> 1, Optional.empty()).run(findings);

    SystemInfo system = findings.system().orElseThrow();
    assertThat(system.osName()).isEqualTo("?");
    assertThat(system.javaHome()).isEqualTo("?");
    assertThat(system.family()).isEqualTo("OTHER");
    assertThat(system.overnightVersion()).isEqualTo("development");
  }

  @Test
  void theConfigSectionSaysWhatWasExaminedAndWhereItCameFrom() {
    Constraints constraints =
        new Constraints(
            true,
            false,
            false,
            Optional.of(60.0),
            false,
            false,
            10,
            UnknownPolicy.PASS,
            Duration.ofMillis(1500),
            Duration.ofMinutes(1),
            Map.of("host_reachable", Map.of("host", "ci")));
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of("/repo"))
            .id("nightly")
            .constraints(constraints)
            .build();

    Findings findings = new Findings();
    new ConfigCheck(config, "/home/me/overnight.json").run(findings);

    assertThat(findings.config())
        .contains(
            new ConfigInfo(
                "/home/me/overnight.json",
                "nightly",
                List.of("plugged_in", "cpu_max_percentage", "host_reachable"),
                "pass",
                Duration.ofMillis(1500)));
  }
}
