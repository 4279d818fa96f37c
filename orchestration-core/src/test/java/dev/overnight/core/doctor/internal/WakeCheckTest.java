package dev.overnight.core.doctor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.WakeAvailability;
import dev.overnight.api.WakeScheduler;
import dev.overnight.api.WakeSchedulerProvider;
import dev.overnight.core.doctor.DoctorReport.WakeReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WakeCheckTest {

  /** A scheduler that only answers availability and records anything else asked of it. */
  static final class Answering implements WakeScheduler {
    final WakeAvailability availability;
    final List<String> calls = new ArrayList<>();

    Answering(WakeAvailability availability) {
      this.availability = availability;
    }

    @Override
    public WakeAvailability availability() {
      return availability;
    }

    @Override
    public Scheduled schedule(Instant at, String reason) {
      calls.add("schedule " + at);
      return Scheduled.failed("not here");
    }

    @Override
    public void cancel(WakeId id) {
      calls.add("cancel " + id);
    }

    @Override
    public String describe() {
      return "answering";
    }
  }

  static class Provider implements WakeSchedulerProvider {
    final boolean supported;
    final WakeScheduler scheduler;

    Provider(boolean supported, WakeScheduler scheduler) {
      this.supported = supported;
      this.scheduler = scheduler;
    }

    @Override
    public String name() {
      return "test";
    }

    @Override
    public boolean isSupported() {
      return supported;
    }

    @Override
    public WakeScheduler create() {
      return scheduler;
    }
  }

  private static WakeReport run(List<WakeSchedulerProvider> providers) {
    Findings findings = new Findings();
    new WakeCheck(providers).run(findings);
    assertThat(findings.warnings()).isEmpty();
    assertThat(findings.problems()).isEmpty();
    return findings.wake().orElseThrow();
  }

  @Test
  void aPossibleWakeNamesItsMechanismAndSchedulesNothing() {
    Answering scheduler = new Answering(WakeAvailability.possible("rtcwake", "sets the RTC alarm"));

    WakeReport report = run(List.of(new Provider(true, scheduler)));

    assertThat(report.possible()).isTrue();
    assertThat(report.mechanism()).isEqualTo("rtcwake");
    assertThat(report.provider()).hasValue(Provider.class.getName());
    assertThat(scheduler.calls).isEmpty();
  }

  @Test
  void aNotPermittedWakeSaysWhy() {
    WakeReport report =
        run(
            List.of(
                new Provider(
                    true,
                    new Answering(
                        WakeAvailability.impossible("rtcwake needs root or CAP_SYS_TIME")))));

    assertThat(report.possible()).isFalse();
    assertThat(report.detail()).isEqualTo("rtcwake needs root or CAP_SYS_TIME");
  }

  @Test
  void onASystemNoProviderServesTheReportSaysWhichSystemsCanBeWoken() {
    WakeReport report =
        run(List.of(new Provider(false, new Answering(WakeAvailability.possible("x", "")))));

    assertThat(report.possible()).isFalse();
    assertThat(report.provider()).isEmpty();
    assertThat(report.detail()).startsWith("no wake scheduler for ").contains("Linux", "macOS");
  }

  @Test
  void aProviderThatThrowsIsReportedAsImpossible() {
    WakeSchedulerProvider broken =
        new Provider(true, null) {
          @Override
          public WakeScheduler create() {
            throw new IllegalStateException("no IOKit");
          }
        };

    WakeReport report = run(List.of(broken));

    assertThat(report.possible()).isFalse();
    assertThat(report.detail()).contains("no IOKit");
  }
}
