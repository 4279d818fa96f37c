package dev.overnight.api.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One usage-limit window of an agent's provider, as Overnight learned it: from the tokens its tasks
 * used, and from the limit errors the agent reported (a {@link UsageLimitException} says the window
 * is spent, and often when it resets). A window whose limit was hit once knows its size: the tokens
 * used up to then. The next window of the same agent is taken to be alike.
 *
 * @param agentId the agent
 * @param start when the window began (when Overnight first saw it used, or the previous one reset)
 * @param resetsAt when it resets, when known
 * @param usedTokens tokens Overnight's tasks used in it
 * @param limitTokens how many tokens the window holds, when learned
 * @param exhausted whether the agent reported the limit reached in this window
 * @since 0.1.0
 */
public record QuotaWindow(
    String agentId,
    Instant start,
    Optional<Instant> resetsAt,
    long usedTokens,
    OptionalLong limitTokens,
    boolean exhausted) {

  /** Validates the components. */
  public QuotaWindow {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(resetsAt, "resetsAt");
    Objects.requireNonNull(limitTokens, "limitTokens");
    if (usedTokens < 0) {
      throw new IllegalArgumentException("usedTokens < 0");
    }
  }

  /** Whether the window is still open at {@code now}: it has not reset yet. */
  public boolean openAt(Instant now) {
    return resetsAt.map(now::isBefore).orElse(true);
  }

  /** How long the window lasts, when its reset is known. */
  public Optional<Duration> length() {
    return resetsAt.map(r -> Duration.between(start, r));
  }

  /** The share of the window used, from 0 up, when its limit is known. */
  public Optional<Double> usedShare() {
    return limitTokens.isPresent() && limitTokens.getAsLong() > 0
        ? Optional.of((double) usedTokens / limitTokens.getAsLong())
        : Optional.empty();
  }
}
