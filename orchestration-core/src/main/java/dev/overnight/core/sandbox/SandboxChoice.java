package dev.overnight.core.sandbox;

import dev.overnight.api.Availability;
import dev.overnight.api.config.SandboxMode;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code permissions.sandbox} makes of the sandbox this machine has: with {@code required}
 * commands run confined, or, where no sandbox is available, agents refuse to start; with {@code
 * best_effort} they run confined where possible and unconfined (with a warning) elsewhere; with
 * {@code off} they always run unconfined.
 *
 * <p>Immutable and thread-safe.
 *
 * @param mode the config's setting
 * @param machine the sandbox this machine has, as {@link Sandboxes#forThisMachine()} finds it
 * @since 0.1.0
 */
public record SandboxChoice(SandboxMode mode, Sandbox machine) {

  /** Validates the components. */
  public SandboxChoice {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(machine, "machine");
  }

  /** The choice for {@code mode} on this machine. */
  public static SandboxChoice forThisMachine(SandboxMode mode) {
    return new SandboxChoice(mode, Sandboxes.forThisMachine());
  }

  /**
   * The sandbox commands run in: the machine's, or {@link Sandbox#unconfined()} when the mode is
   * off, or best effort on a machine without one. With {@code required} and no sandbox it is the
   * unavailable one, whose {@link Sandbox#wrap} refuses.
   */
  public Sandbox sandbox() {
    if (mode == SandboxMode.OFF || (mode == SandboxMode.BEST_EFFORT && !machineAvailable())) {
      return Sandbox.unconfined();
    }
    return machine;
  }

  /** Whether agents must not start: a sandbox is required and none can be used here. */
  public boolean refuses() {
    return mode == SandboxMode.REQUIRED && !machineAvailable();
  }

  /** Whether agents' commands run confined. */
  public boolean confines() {
    return !refuses() && sandbox().confines();
  }

  /**
   * What an agent's availability says about its sandbox: unavailable, with why and how to fix it,
   * exactly when {@link #refuses()}.
   */
  public Availability availability() {
    Availability found = machine.availability();
    if (refuses()) {
      return Availability.unavailable(
          "permissions.sandbox is required, but no sandbox can be used here: " + found.reason(),
          found.remedy().map(r -> r + "; or ").orElse("")
              + "set permissions.sandbox to best_effort to run agents unconfined");
    }
    return Availability.available(describe());
  }

  /** What happens to agents' commands, in one sentence. */
  public String describe() {
    if (mode == SandboxMode.OFF) {
      return "agents' commands run unconfined (permissions.sandbox is off)";
    }
    if (refuses()) {
      return "no task starts: permissions.sandbox is required and no sandbox can be used here";
    }
    if (!machineAvailable()) {
      return "agents' commands run unconfined: no sandbox can be used here (permissions.sandbox"
          + " is best_effort)";
    }
    return "agents' commands run in " + machine.availability().reason();
  }

  /**
   * What a user should hear about, if anything: commands that run unconfined, and why. Empty when
   * commands run confined, or when nothing runs at all (see {@link #availability()}).
   */
  public Optional<String> warning() {
    if (mode == SandboxMode.OFF) {
      return Optional.of(
          "permissions.sandbox is off: agents' commands can read and change everything you can,"
              + " including Overnight's state folder and your credentials");
    }
    if (mode == SandboxMode.BEST_EFFORT && !machineAvailable()) {
      Availability found = machine.availability();
      return Optional.of(
          "agents' commands run unconfined: no sandbox can be used here ("
              + found.reason()
              + found.remedy().map(r -> "; " + r).orElse("")
              + ")");
    }
    return Optional.empty();
  }

  private boolean machineAvailable() {
    return machine.confines() && machine.availability().available();
  }
}
