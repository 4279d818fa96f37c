package dev.overnight.core.worktree;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskId;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * @since 0.1.0
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

  /**
   * Commits whatever the agent left uncommitted, except the {@link #localFiles() local files}
   * (copied secrets such as {@code .env} must never reach a branch that may be pushed), so a
   * retried task resumes from it and nothing is lost. Does nothing when nothing else changed.
   *
   * @param note a suffix for the subject line, e.g. {@code " (work in progress)"}
   */
  public void commitLeftovers(Task task, String note) {
    Git git = git();
    if (!git.isDirty()) {
      return;
    }
    List<String> add = new ArrayList<>(List.of("add", "-A", "--", "."));
    localFiles.forEach(f -> add.add(":(exclude,literal)" + f));
    git.check(add.toArray(String[]::new));
    if (git.run("diff", "--cached", "--quiet").succeeded()) {
      return; // Only local files were left.
    }
    List<String> args = new ArrayList<>();
    if (!git.hasIdentity()) {
      args.addAll(List.of("-c", "user.name=Overnight", "-c", "user.email=overnight@localhost"));
    }
    args.addAll(
        List.of(
            "commit",
            "--no-verify",
            "-m",
            task.title() + note,
            "-m",
            "Overnight task " + task.id() + ", attempt " + task.attempts() + "."));
    git.check(args.toArray(String[]::new));
  }
}
