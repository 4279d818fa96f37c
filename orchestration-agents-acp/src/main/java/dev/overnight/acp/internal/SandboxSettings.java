package dev.overnight.acp.internal;

import dev.overnight.api.config.SandboxMode;
import dev.overnight.core.sandbox.Sandbox;
import dev.overnight.core.sandbox.SandboxChoice;
import dev.overnight.core.sandbox.Sandboxes;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a provider confines its sessions. Immutable.
 *
 * @param mode the config's {@code permissions.sandbox}
 * @param allowNetwork whether commands in the client's terminals may use the network
 * @param hiddenPaths what no sandboxed command may see, on top of the user's secrets and
 *     Overnight's per-user state (e.g. the configured state folder)
 * @param agentFolders more folders the agent's process may write, on top of its profile's
 * @param confineAgentProcess whether the agent's own process runs in the sandbox; empty means as
 *     its profile says (agents that run commands themselves)
 * @param machine the sandbox to use; empty means the one this machine has, found on first use
 */
public record SandboxSettings(
    SandboxMode mode,
    boolean allowNetwork,
    List<Path> hiddenPaths,
    List<Path> agentFolders,
    Optional<Boolean> confineAgentProcess,
    Optional<Sandbox> machine) {

  /** Validates and copies. */
  public SandboxSettings {
    Objects.requireNonNull(mode, "mode");
    hiddenPaths = List.copyOf(hiddenPaths);
    agentFolders = List.copyOf(agentFolders);
    Objects.requireNonNull(confineAgentProcess, "confineAgentProcess");
    Objects.requireNonNull(machine, "machine");
  }

  /**
   * What the mode makes of the sandbox. Unless the mode is off, finding this machine's sandbox runs
   * it once per JVM.
   */
  public SandboxChoice choice() {
    if (mode == SandboxMode.OFF) {
      return new SandboxChoice(mode, machine.orElseGet(Sandbox::unconfined));
    }
    return new SandboxChoice(mode, machine.orElseGet(Sandboxes::forThisMachine));
  }
}
