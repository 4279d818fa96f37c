package dev.overnight.core.doctor.internal;

import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.doctor.DoctorReport.ConfigInfo;
import java.util.Objects;

/**
 * Records which configuration the doctor examined and where it came from, so a pasted report says
 * what the other sections were judged against. Never raises a problem: a configuration that cannot
 * be read never gets this far.
 */
public final class ConfigCheck implements DoctorCheck {
  private final OrchestrationConfig config;
  private final String source;

  /**
   * Describes {@code config}.
   *
   * @param source where it came from: a file path, or a note that defaults were used and why
   */
  public ConfigCheck(OrchestrationConfig config, String source) {
    this.config = Objects.requireNonNull(config, "config");
    this.source = Objects.requireNonNull(source, "source");
  }

  @Override
  public void run(Findings findings) {
    Constraints constraints = config.constraints();
    findings.reportConfig(
        new ConfigInfo(
            source,
            config.id(),
            constraints.enabledCheckers(),
            constraints.onUnknown().jsonName(),
            constraints.checkTimeout()));
  }
}
