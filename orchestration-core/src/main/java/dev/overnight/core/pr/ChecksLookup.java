package dev.overnight.core.pr;

import java.util.Optional;

/**
 * Reads where the checks on a branch's pull request stand ({@link GitHubPullRequests#checksOf}).
 *
 * <p>Implementations are thread-safe and may block on the network, bounded by their own timeouts; a
 * forge that cannot be asked is an {@link dev.overnight.api.OrchestrationException}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ChecksLookup {

  /** Where the checks of {@code branch}'s newest pull request stand; empty when it has none. */
  Optional<ChecksOutcome> checksOf(String branch);
}
