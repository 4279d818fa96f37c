package dev.overnight.core.cleanup;

import java.util.Locale;
import java.util.Objects;

/**
 * One thing {@link Cleanup} looked at and what it did, or would do, with it.
 *
 * @param kind what it is
 * @param subject the worktree's folder or the branch's name
 * @param action what became of it
 * @param reason why, in words
 * @since 0.1.0
 */
public record CleanupStep(Kind kind, String subject, Action action, String reason) {

  /** What a step is about. */
  public enum Kind {
    /** A task's worktree under the state folder. */
    WORKTREE,
    /** A local branch with Overnight's prefix. */
    BRANCH,
    /** That branch on the remote. */
    REMOTE_BRANCH;

    /** The kind as JSON and the CLI write it, e.g. {@code remote_branch}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What became of it. */
  public enum Action {
    /** Removed. */
    REMOVED,
    /** Would be removed: a dry run. */
    WOULD_REMOVE,
    /** Kept, for the reason given. */
    KEPT,
    /** Removing it failed; the reason says how. */
    FAILED;

    /** The action as JSON and the CLI write it, e.g. {@code would_remove}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Checks presence. */
  public CleanupStep {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * One line for the terminal, e.g. {@code removed branch overnight/x: its pull request was
   * merged}.
   */
  public String describe() {
    return action.key().replace('_', ' ')
        + " "
        + kind.key().replace('_', ' ')
        + " "
        + subject
        + (reason.isEmpty() ? "" : ": " + reason);
  }
}
