package dev.overnight.api.config;

import java.util.Objects;

/**
 * How agents' permission requests are answered, and how what agents run is confined.
 *
 * @param mode the policy
 * @param allowFetch with {@link PermissionMode#UNATTENDED}, also allow network fetches
 * @param sandbox whether agents' commands run in a sandbox, and what happens where none is
 *     available
 * @param allowNetwork whether commands run in the sandbox may use the network (agents themselves
 *     always reach their own service)
 * @since 0.1.0
 */
public record Permissions(
    PermissionMode mode, boolean allowFetch, SandboxMode sandbox, boolean allowNetwork) {

  /** Validates the components. */
  public Permissions {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(sandbox, "sandbox");
  }

  /** A policy with the default confinement: sandbox required, no network for commands. */
  public Permissions(PermissionMode mode, boolean allowFetch) {
    this(mode, allowFetch, SandboxMode.REQUIRED, false);
  }

  /** The unattended default. */
  public static Permissions unattended() {
    return new Permissions(PermissionMode.UNATTENDED, false);
  }
}
