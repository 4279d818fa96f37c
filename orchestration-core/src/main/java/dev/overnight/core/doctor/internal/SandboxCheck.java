package dev.overnight.core.doctor.internal;

import dev.overnight.api.Availability;
import dev.overnight.api.config.SandboxMode;
import dev.overnight.core.doctor.DoctorReport.SandboxReport;
import dev.overnight.core.sandbox.Sandbox;
import dev.overnight.core.sandbox.SandboxChoice;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Finds the sandbox this machine has (bubblewrap on Linux, {@code sandbox-exec} on macOS) and says
 * what the config's {@code permissions.sandbox} makes of it. No usable sandbox with {@code
 * required} is a problem: no task would start. Commands that would run unconfined ({@code off}, or
 * {@code best_effort} without a sandbox) are a warning. Finding the sandbox may run it once, within
 * a few seconds.
 */
public final class SandboxCheck implements DoctorCheck {
  private final Supplier<Sandbox> machine;
  private final SandboxMode mode;

  /**
   * @param machine finds the sandbox this machine has
   * @param mode the config's {@code permissions.sandbox}
   */
  public SandboxCheck(Supplier<Sandbox> machine, SandboxMode mode) {
    this.machine = Objects.requireNonNull(machine, "machine");
    this.mode = Objects.requireNonNull(mode, "mode");
  }

  @Override
  public void run(Findings findings) {
    Sandbox found;
    try {
      found = machine.get();
    } catch (RuntimeException e) {
      found = Sandbox.unavailable("finding a sandbox failed: " + e, "run overnight doctor again");
    }
    SandboxChoice choice = new SandboxChoice(mode, found);
    Availability a = found.availability();
    boolean usable = found.confines() && a.available();
    findings.reportSandbox(
        new SandboxReport(
            found.name(), usable, a.reason(), a.remedy(), mode.jsonName(), choice.describe()));
    if (choice.refuses()) {
      Availability refusal = choice.availability();
      findings.problem(
          refusal.reason()
              + ": no task will start"
              + refusal.remedy().map(r -> " (" + r + ")").orElse(""));
    }
    choice.warning().ifPresent(findings::warning);
  }
}
