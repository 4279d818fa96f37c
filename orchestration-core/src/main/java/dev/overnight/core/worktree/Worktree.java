package dev.overnight.core.worktree;

import dev.overnight.api.queue.TaskId;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A task's isolated checkout.
 *
 * @param taskId the task
 * @param path the worktree's folder
 * @param branch the task's branch
 * @param base the commit the branch started from
 * @param resumed whether the branch already existed (a retried task continuing its work)
 * @param localFiles files copied in from the user's checkout ({@code worktree.copy_files}, such as
 *     {@code .env}), relative to the worktree: they belong to this machine, and Overnight never
 *     commits them
 */
public record Worktree(
    TaskId taskId,
    Path path,
    String branch,
    String base,
    boolean resumed,
    List<String> localFiles) {
  /** Validates and copies the components. */
  public Worktree {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(base, "base");
    localFiles = List.copyOf(localFiles);
  }

  /** A worktree with no local files. */
  public Worktree(TaskId taskId, Path path, String branch, String base, boolean resumed) {
    this(taskId, path, branch, base, resumed, List.of());
  }

  /** Git in this worktree. */
  public Git git() {
    return new Git(path);
  }
}
