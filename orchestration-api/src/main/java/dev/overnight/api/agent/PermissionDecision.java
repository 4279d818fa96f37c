package dev.overnight.api.agent;

import java.util.Objects;

/**
 * A {@link PermissionPolicy}'s answer: allow or reject, and why (recorded in the transcript).
 *
 * <p>The client maps it onto the options the agent offered: an allow picks {@code allow_once}
 * (never {@code allow_always}, so every later call is asked again), a reject picks {@code
 * reject_once}.
 *
 * @param allowed whether the action may go ahead
 * @param reason why, e.g. {@code "edit inside the worktree"}
 * @since 0.1.0
 */
public record PermissionDecision(boolean allowed, String reason) {

  /** Validates the reason. */
  public PermissionDecision {
    Objects.requireNonNull(reason, "reason");
  }

  /** Allows, because {@code reason}. */
  public static PermissionDecision allow(String reason) {
    return new PermissionDecision(true, reason);
  }

  /** Rejects, because {@code reason}. */
  public static PermissionDecision reject(String reason) {
    return new PermissionDecision(false, reason);
  }
}
