package dev.overnight.core.worktree;

import dev.overnight.api.OrchestrationException;

/**
 * Worktrees already use the disk the config allows ({@code worktree.max_disk_mb}); the task waits
 * for space.
 *
 * @since 0.1.0
 */
public class WorktreeDiskLimitException extends OrchestrationException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public WorktreeDiskLimitException(String message) {
    super(message);
  }
}
