package dev.overnight.acp.internal;

import dev.overnight.api.agent.QuotaReading;
import dev.overnight.api.agent.Usage;
import java.time.Instant;
import java.util.Optional;

/**
 * What a session used so far: the tokens of its turns, summed, and the cumulative cost the agent
 * last reported; plus when a usage limit the agent hit resets, if it said. Thread-safe; never
 * blocks.
 */
final class UsageLedger {
  private volatile Double costUsd;
  private volatile Instant limitReset;
  private volatile QuotaReading quota;
  // Guarded by this.
  private Usage tokens = Usage.NONE;

  /** The agent reported its cumulative cost so far, in US dollars. */
  void costReported(double usd) {
    costUsd = usd;
  }

  /** The cumulative cost last reported, if any was. */
  Optional<Double> cost() {
    return Optional.ofNullable(costUsd);
  }

  /**
   * The cost since an earlier reading of {@link #cost()}: empty when the agent never reported one.
   */
  Optional<Double> costSince(Optional<Double> earlier) {
    return cost().map(now -> now - earlier.orElse(0.0));
  }

  /** The agent said that the usage limit it hit resets at {@code at}. */
  void limitResets(Instant at) {
    limitReset = at;
  }

  /** When the agent last said its usage limit resets. */
  Optional<Instant> limitReset() {
    return Optional.ofNullable(limitReset);
  }

  /** The agent said how much of its usage window is used, and when the window resets. */
  void quotaRead(QuotaReading reading) {
    quota = reading;
  }

  /** What the agent last said of its usage window while it had room. */
  Optional<QuotaReading> quota() {
    return Optional.ofNullable(quota);
  }

  /** Adds a finished turn's tokens (its cost is already in the cumulative cost). */
  synchronized void addTurn(Usage turn) {
    tokens =
        tokens.plus(
            new Usage(
                turn.inputTokens(),
                turn.outputTokens(),
                turn.cachedReadTokens(),
                turn.cachedWriteTokens(),
                Optional.empty()));
  }

  /** The session's tokens so far with the agent's cumulative cost. */
  Usage total() {
    Usage t;
    synchronized (this) {
      t = tokens;
    }
    return new Usage(
        t.inputTokens(), t.outputTokens(), t.cachedReadTokens(), t.cachedWriteTokens(), cost());
  }
}
