package dev.overnight.core.worktree;

import dev.overnight.api.queue.TaskId;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A task's isolated checkout.
 *
 * @param taskId the task
 * @param path the worktree's folder
 * @param branch the task's branch
 * @param base the commit the branch started from
 * @param resumed whether the branch already existed (a retried task continuing its work)
 */
public record Worktree(TaskId taskId, Path path, String branch, String base, boolean resumed) {
  /** Validates the components. */
  public Worktree {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(base, "base");
  }

  /** Git in this worktree. */
  public Git git() {
    return new Git(path);
  }
}
