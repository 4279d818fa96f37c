package dev.overnight.core.sandbox.internal;

import dev.overnight.api.Availability;
import dev.overnight.core.sandbox.Sandbox;
import dev.overnight.core.sandbox.SandboxProfile;
import dev.overnight.core.sandbox.SandboxUnavailableException;
import java.util.List;
import java.util.Objects;

/**
 * The two cases where nothing confines: unconfined on purpose (commands run as they are), and
 * unavailable (no sandbox can be used here; wrapping refuses). Immutable.
 */
public final class NoSandbox implements Sandbox {
  /** Runs commands as they are. */
  public static final NoSandbox UNCONFINED =
      new NoSandbox(Availability.available("no sandbox: commands run unconfined"));

  private final Availability availability;

  private NoSandbox(Availability availability) {
    this.availability = availability;
  }

  /** No sandbox can be used here, because {@code reason}; {@code remedy} says what to do. */
  public static NoSandbox unavailable(String reason, String remedy) {
    return new NoSandbox(
        Availability.unavailable(
            Objects.requireNonNull(reason, "reason"), Objects.requireNonNull(remedy, "remedy")));
  }

  @Override
  public String name() {
    return "none";
  }

  @Override
  public boolean confines() {
    return false;
  }

  @Override
  public Availability availability() {
    return availability;
  }

  @Override
  public List<String> wrap(List<String> argv, SandboxProfile profile) {
    if (!availability.available()) {
      throw new SandboxUnavailableException(
          "cannot run "
              + argv.get(0)
              + " in a sandbox: "
              + availability.reason()
              + availability.remedy().map(r -> " (" + r + ")").orElse(""));
    }
    return List.copyOf(argv);
  }

  @Override
  public String toString() {
    return "Sandbox[" + availability + "]";
  }
}
