package dev.overnight.api.config;

import java.util.Objects;

/**
 * How agents' permission requests are answered.
 *
 * @param mode the policy
 * @param allowFetch with {@link PermissionMode#UNATTENDED}, also allow network fetches
 */
public record Permissions(PermissionMode mode, boolean allowFetch) {

  /** Validates the components. */
  public Permissions {
    Objects.requireNonNull(mode, "mode");
  }

  /** The unattended default. */
  public static Permissions unattended() {
    return new Permissions(PermissionMode.UNATTENDED, false);
  }
}
