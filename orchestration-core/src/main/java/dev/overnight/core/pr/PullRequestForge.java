package dev.overnight.core.pr;

import dev.overnight.api.OrchestrationException;

/**
 * The forge hosting the pull requests Overnight opened, as their follow-ups need it: what is wrong
 * with one now, and a comment to say what a follow-up changed. {@link GitHubPullRequests} is the
 * GitHub one.
 *
 * <p>Implementations are thread-safe; every call blocks on the network.
 *
 * @since 0.1.0
 */
public interface PullRequestForge {

  /**
   * The checks and reviews of pull request {@code number} that ask for changes now.
   *
   * @throws OrchestrationException when the forge cannot be asked, saying why
   */
  PullRequestFeedback feedback(long number);

  /**
   * Adds a comment to pull request {@code number}.
   *
   * @throws OrchestrationException when the forge refuses or cannot be reached, saying why
   */
  void comment(long number, String body);
}
