package dev.overnight.core.config.internal;

import dev.overnight.core.process.CommandResult;
import dev.overnight.core.worktree.Git;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a workspace can hold task worktrees: a git repository with at least one commit, since
 * every task gets a worktree on a branch that starts from a commit. Asks the user's own git, so
 * worktrees, {@code GIT_DIR} and safe-directory rules count as they will at night. Blocks for at
 * most git's time limit; stateless.
 */
final class RepositoryCheck {
  private RepositoryCheck() {}

  /**
   * What stops {@code dir} from being a workspace, if anything.
   *
   * @param shown the workspace as the config wrote it, for the message
   */
  static Optional<String> problem(Path dir, String shown) {
    Git git = new Git(dir);
    CommandResult inside = git.run("rev-parse", "--is-inside-work-tree");
    if (inside.outcome() != CommandResult.Outcome.EXITED) {
      return Optional.of(
          "could not run git to check that \""
              + shown
              + "\" is a repository: "
              + inside.describe());
    }
    if (!inside.succeeded() || !inside.stdout().strip().equals("true")) {
      return Optional.of(
          "\""
              + shown
              + "\" is not a git repository: every task works in a worktree on its own branch"
              + " (run git init there, then commit)");
    }
    if (!git.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}").succeeded()) {
      return Optional.of(
          "\""
              + shown
              + "\" is a git repository without commits: task branches start from a commit"
              + " (commit something first)");
    }
    return Optional.empty();
  }
}
