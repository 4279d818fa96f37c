package dev.overnight.core.worktree;

import dev.overnight.api.OrchestrationException;

/**
 * A git command failed; the message names the command, the repository and git's own words.
 *
 * @since 0.1.0
 */
public class GitException extends OrchestrationException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public GitException(String message) {
    super(message);
  }
}
