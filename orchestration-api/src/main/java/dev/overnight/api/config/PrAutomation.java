package dev.overnight.api.config;

import java.util.Objects;
import java.util.Optional;

/**
 * What happens to a finished task's branch: commit, push, open a pull request.
 *
 * @param enabled whether to commit, push and open pull requests at all
 * @param draft open pull requests as drafts
 * @param branchPrefix prefix of every task branch, e.g. {@code "overnight/"}
 * @param baseBranch the branch task branches start from and pull requests target; empty means the
 *     workspace's current branch
 * @param push push task branches to {@link #remote()}
 * @param remote the git remote to push to
 * @since 0.1.0
 */
public record PrAutomation(
    boolean enabled,
    boolean draft,
    String branchPrefix,
    Optional<String> baseBranch,
    boolean push,
    String remote) {

  /** Default branch prefix. */
  public static final String DEFAULT_BRANCH_PREFIX = "overnight/";

  /** Validates the components. */
  public PrAutomation {
    Objects.requireNonNull(branchPrefix, "branchPrefix");
    Objects.requireNonNull(baseBranch, "baseBranch");
    Objects.requireNonNull(remote, "remote");
  }

  /** Disabled: task branches stay local, nothing is pushed. */
  public static PrAutomation disabled() {
    return new PrAutomation(false, true, DEFAULT_BRANCH_PREFIX, Optional.empty(), false, "origin");
  }
}
