package dev.overnight.core.coordinator;

import dev.overnight.api.queue.Task;
import dev.overnight.core.worktree.Worktree;

/** The text sent to an agent for a task. */
final class Prompts {
  private Prompts() {}

  /**
   * The task's prompt, framed for unattended work: where the agent is, that nobody will answer
   * questions, and that its commits on this branch are the result.
   */
  static String forTask(Task task, Worktree worktree) {
    return task.prompt()
        + "\n\n---\n"
        + "You are working unattended (nobody will answer questions) in a git worktree at "
        + worktree.path()
        + " on branch "
        + worktree.branch()
        + (worktree.resumed()
            ? ". An earlier attempt already made progress on this branch: read its commits"
                + " (git log) and continue from there"
            : "")
        + ". Keep changes focused on the task, run the project's tests if you can, and commit your"
        + " work on this branch with clear messages. Do not push and do not switch branches.";
  }
}
