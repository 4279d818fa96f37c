package dev.overnight.macos.internal;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.core.platform.IdleRequirement;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * {@code suspend_if_active} from IOKit's {@code HIDIdleTime} (system-wide; works from SSH and
 * launchd agents), falling back to CoreGraphics' seconds since the last input event.
 */
public final class MacIdleChecker implements ConstraintChecker {
  private final MacSystem system;
  private final IdleRequirement requirement;

  /** Creates the checker. */
  public MacIdleChecker(MacSystem system, IdleRequirement requirement) {
    this.system = system;
    this.requirement = requirement;
  }

  @Override
  public String name() {
    return "suspend_if_active";
  }

  @Override
  public ConstraintResult check() {
    String hidFailure = "no value";
    try {
      OptionalLong nanos = system.hidIdleNanos();
      if (nanos.isPresent() && nanos.getAsLong() >= 0) {
        return requirement.judge(Duration.ofNanos(nanos.getAsLong()), "HIDIdleTime");
      }
    } catch (RuntimeException | LinkageError e) {
      hidFailure = e.toString();
    }
    String cgFailure = "no value";
    try {
      OptionalDouble seconds = system.secondsSinceLastInput();
      if (seconds.isPresent()) {
        return requirement.judge(
            Duration.ofMillis(Math.round(seconds.getAsDouble() * 1000)), "CGEventSource");
      }
    } catch (RuntimeException | LinkageError e) {
      cgFailure = e.toString();
    }
    return ConstraintResult.unknown(
        "no idle time: HIDIdleTime gave " + hidFailure + ", CGEventSource gave " + cgFailure);
  }
}
