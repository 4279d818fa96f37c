package dev.overnight.core.doctor.internal;

import dev.overnight.api.WakeAvailability;
import dev.overnight.api.WakeScheduler;
import dev.overnight.api.WakeSchedulerProvider;
import dev.overnight.core.doctor.DoctorReport.WakeReport;
import dev.overnight.core.spi.Discovery;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Records whether this machine can be woken from sleep before a night's window, through which
 * mechanism, or why not: no provider for this operating system, no program to do it, or no
 * permission. Asks the chosen scheduler's {@link WakeScheduler#availability()} and schedules
 * nothing. Informational: a machine that cannot be woken still runs nights while it is awake.
 */
public final class WakeCheck implements DoctorCheck {
  private final List<WakeSchedulerProvider> providers;

  /** Examines the supported provider among {@code providers}, as discovery would choose it. */
  public WakeCheck(List<WakeSchedulerProvider> providers) {
    this.providers = List.copyOf(providers);
  }

  @Override
  public void run(Findings findings) {
    Optional<WakeSchedulerProvider> chosen = Discovery.chooseWakeScheduler(providers);
    if (chosen.isEmpty()) {
      findings.reportWake(
          new WakeReport(
              false,
              "",
              "no wake scheduler for "
                  + System.getProperty("os.name")
                  + ": Overnight wakes Linux (rtcwake, systemd timers) and macOS (IOKit) machines",
              Optional.empty()));
      return;
    }
    WakeSchedulerProvider provider = chosen.get();
    String providerName = provider.getClass().getName();
    WakeAvailability availability;
    try {
      availability = Objects.requireNonNull(provider.create().availability(), "availability()");
    } catch (RuntimeException | LinkageError e) {
      availability = WakeAvailability.impossible(providerName + " failed: " + e);
    }
    findings.reportWake(
        new WakeReport(
            availability.possible(),
            availability.mechanism(),
            availability.detail(),
            Optional.of(providerName)));
  }
}
