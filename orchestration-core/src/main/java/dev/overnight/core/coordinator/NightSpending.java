package dev.overnight.core.coordinator;

import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.SpendingLimit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a night has spent so far (tokens, dollars, agent seconds), against its spending limit
 * ({@code limits.per_night}). Cycles further apart than {@link #NIGHT_GAP} belong to different
 * nights: the first cycle of a night starts the count again.
 *
 * <p>Thread-safe.
 */
final class NightSpending {
  /** How long a night's spending is counted together: cycles further apart start a new night. */
  static final Duration NIGHT_GAP = Duration.ofHours(6);

  private Instant lastCycle;
  private long tokens;
  private double cost;
  private long seconds;
  private boolean warned;

  /** A cycle of the night starts at {@code now}; a new night if the last was long ago. */
  synchronized void startCycle(Instant now) {
    if (lastCycle == null || Duration.between(lastCycle, now).compareTo(NIGHT_GAP) > 0) {
      tokens = 0;
      cost = 0;
      seconds = 0;
      warned = false;
    }
    lastCycle = now;
  }

  synchronized void add(Usage usage, Duration agentTime) {
    tokens += usage.totalTokens();
    cost += usage.costUsd().orElse(0.0);
    seconds += agentTime.toSeconds();
  }

  /** Why no agent's turn may start any more tonight, when {@code limit} is reached. */
  Optional<String> limitReached(SpendingLimit limit) {
    return reached(limit).map(r -> "night limit reached (" + r + ")");
  }

  private synchronized Optional<String> reached(SpendingLimit limit) {
    if (limit.tokens().filter(t -> tokens >= t).isPresent()) {
      return Optional.of(tokens + " tokens of " + limit.tokens().get());
    }
    if (limit.costUsd().filter(c -> cost >= c).isPresent()) {
      return Optional.of(dollars(cost) + " of " + dollars(limit.costUsd().get()));
    }
    if (limit.agentSeconds().filter(s -> seconds >= s).isPresent()) {
      return Optional.of(seconds + " agent seconds of " + limit.agentSeconds().get());
    }
    return Optional.empty();
  }

  /** Dollars to the tenth of a cent, so a limit of $0.025 does not read as $0.03. */
  private static String dollars(double amount) {
    return "$"
        + BigDecimal.valueOf(amount)
            .setScale(3, RoundingMode.HALF_UP)
            .stripTrailingZeros()
            .toPlainString();
  }

  /** A warning, the first time in a night that over 80% of {@code limit} is used. */
  synchronized Optional<String> nearing(SpendingLimit limit) {
    if (warned) {
      return Optional.empty();
    }
    boolean near =
        limit.tokens().filter(t -> tokens >= t * 0.8).isPresent()
            || limit.costUsd().filter(c -> cost >= c * 0.8).isPresent()
            || limit.agentSeconds().filter(s -> seconds >= s * 0.8).isPresent();
    if (near) {
      warned = true;
      return Optional.of("over 80% of the night's spending limit used");
    }
    return Optional.empty();
  }
}
