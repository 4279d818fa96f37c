package dev.overnight.core.doctor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.core.doctor.DoctorReport;
import dev.overnight.core.doctor.DoctorReport.ConfigInfo;
import dev.overnight.core.doctor.DoctorReport.KeepAwakeReport;
import dev.overnight.core.doctor.DoctorReport.SandboxReport;
import dev.overnight.core.doctor.DoctorReport.SystemInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FindingsTest {
  private static final Instant AT = Instant.parse("2026-11-25T03:00:00Z");
  private static final SystemInfo SYSTEM =
      new SystemInfo("Linux", "6.1", "amd64", "LINUX", "17", "vendor", "/jdk", 2, "development");
  private static final ConfigInfo CONFIG =
      new ConfigInfo("defaults", "default", List.of(), "fail", Duration.ofSeconds(2));
  private static final KeepAwakeReport KEEP_AWAKE =
      new KeepAwakeReport("no-op", Optional.empty(), List.of(), false, "held nothing");
  private static final SandboxReport SANDBOX =
      new SandboxReport(
          "bubblewrap",
          true,
          "bubblewrap 0.8.0 (/usr/bin/bwrap)",
          Optional.empty(),
          "required",
          "agents' commands run in bubblewrap 0.8.0 (/usr/bin/bwrap)");

  private static Findings complete() {
    Findings findings = new Findings();
    findings.reportSystem(SYSTEM);
    findings.reportConfig(CONFIG);
    findings.reportCheckers(List.of());
    findings.reportKeepAwake(KEEP_AWAKE);
    findings.reportSandbox(SANDBOX);
    findings.reportAgents(List.of());
    findings.reportTools(List.of());
    findings.reportState(List.of());
    return findings;
  }

  @Test
  void theReportHoldsEverySectionAndListsProblemsAndWarningsInTheOrderRaised() {
    Findings findings = complete();
    findings.warning("first warning");
    findings.problem("first problem");
    findings.warning("second warning");
    findings.problem("second problem");

    DoctorReport report = findings.toReport(AT);

    assertThat(report.generatedAt()).isEqualTo(AT);
    assertThat(report.system()).isEqualTo(SYSTEM);
    assertThat(report.config()).isEqualTo(CONFIG);
    assertThat(report.keepAwake()).isEqualTo(KEEP_AWAKE);
    assertThat(report.sandbox()).isEqualTo(SANDBOX);
    assertThat(report.problems()).containsExactly("first problem", "second problem");
    assertThat(report.warnings()).containsExactly("first warning", "second warning");
  }

  @Test
  void aReportWithSectionsNoCheckRecordedNamesThem() {
    Findings findings = new Findings();
    findings.reportSystem(SYSTEM);
    findings.reportConfig(CONFIG);
    findings.reportCheckers(List.of());
    findings.reportAgents(List.of());

    assertThatThrownBy(() -> findings.toReport(AT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "no check recorded the keep-awake, sandbox, tools, state section(s) of the report");
  }

  @Test
  void aSectionRecordedTwiceIsRejectedAndTheFirstKept() {
    Findings findings = new Findings();
    findings.reportKeepAwake(KEEP_AWAKE);
    KeepAwakeReport other =
        new KeepAwakeReport("other", Optional.empty(), List.of(), true, "acquired and released");

    assertThatThrownBy(() -> findings.reportKeepAwake(other))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the keep-awake section was recorded twice");
    assertThat(findings.keepAwake()).contains(KEEP_AWAKE);
  }

  @Test
  void sectionsNotYetRecordedAreEmpty() {
    Findings findings = new Findings();
    findings.reportTools(List.of());

    assertThat(findings.tools()).contains(List.of());
    assertThat(findings.state()).isEmpty();
    assertThat(findings.problems()).isEmpty();
  }
}
