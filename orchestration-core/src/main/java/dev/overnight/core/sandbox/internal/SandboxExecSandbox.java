package dev.overnight.core.sandbox.internal;

import dev.overnight.api.Availability;
import dev.overnight.core.sandbox.Sandbox;
import dev.overnight.core.sandbox.SandboxProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * macOS confinement through {@code sandbox-exec} and a generated Seatbelt profile (see {@link
 * SeatbeltProfile}). macOS does not let a sandboxed process apply a sandbox of its own, so an agent
 * that sandboxes its commands itself (Codex) finds its own sandbox refused inside this one and asks
 * before running a command without it, which the permission policy answers.
 *
 * <p>Immutable and thread-safe.
 */
public final class SandboxExecSandbox implements Sandbox {
  private final Path sandboxExec;

  /**
   * @param sandboxExec the {@code sandbox-exec} executable
   */
  public SandboxExecSandbox(Path sandboxExec) {
    this.sandboxExec = Objects.requireNonNull(sandboxExec, "sandboxExec");
  }

  @Override
  public String name() {
    return "sandbox-exec";
  }

  @Override
  public boolean confines() {
    return true;
  }

  @Override
  public Availability availability() {
    return Availability.available("sandbox-exec (" + sandboxExec + ")");
  }

  @Override
  public List<String> wrap(List<String> argv, SandboxProfile profile) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a command needs an executable");
    }
    List<String> a = new ArrayList<>();
    a.add(sandboxExec.toString());
    a.add("-p");
    a.add(SeatbeltProfile.text(profile));
    a.addAll(argv);
    return a;
  }

  @Override
  public String toString() {
    return "SandboxExecSandbox[" + sandboxExec + "]";
  }
}
