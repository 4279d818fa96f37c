package dev.overnight.api.agent;

import java.util.Objects;

/**
 * One answer an agent offers for a permission request.
 *
 * @param optionId the id to send back when choosing it
 * @param name its label
 * @param kind {@code allow_once}, {@code allow_always}, {@code reject_once} or {@code
 *     reject_always} (or a kind this version does not know)
 * @since 0.1.0
 */
public record PermissionOption(String optionId, String name, String kind) {
  /** Validates the components. */
  public PermissionOption {
    Objects.requireNonNull(optionId, "optionId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
  }

  /** Whether choosing this option allows the action. */
  public boolean allows() {
    return kind.startsWith("allow");
  }
}
