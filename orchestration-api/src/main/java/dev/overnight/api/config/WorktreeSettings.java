package dev.overnight.api.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How each task's git worktree is prepared and bounded.
 *
 * @param setupCommand a shell command run in a fresh worktree before the agent starts (e.g. {@code
 *     npm ci})
 * @param copyFiles files copied from the user's checkout into each fresh worktree (e.g. {@code
 *     .env}), relative to the workspace root
 * @param maxDiskMb disk all worktrees together may use; a task that would exceed it waits
 * @param keepFailed keep the worktree of a failed task for inspection (branches are always kept)
 * @since 0.1.0
 */
public record WorktreeSettings(
    Optional<String> setupCommand, List<String> copyFiles, long maxDiskMb, boolean keepFailed) {

  /** Default disk bound for worktrees. */
  public static final long DEFAULT_MAX_DISK_MB = 4096;

  /** Validates and copies the components. */
  public WorktreeSettings {
    Objects.requireNonNull(setupCommand, "setupCommand");
    copyFiles = List.copyOf(copyFiles);
  }

  /** No setup, nothing copied, the default disk bound. */
  public static WorktreeSettings defaults() {
    return new WorktreeSettings(Optional.empty(), List.of(), DEFAULT_MAX_DISK_MB, false);
  }
}
