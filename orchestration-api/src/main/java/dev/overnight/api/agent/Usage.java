package dev.overnight.api.agent;

import java.util.Objects;
import java.util.Optional;

/**
 * What a turn or session used, as the agent reported it. Zero where not reported.
 *
 * @param inputTokens tokens read
 * @param outputTokens tokens written
 * @param cachedReadTokens tokens served from cache
 * @param cachedWriteTokens tokens written to cache
 * @param costUsd cost in US dollars, when reported
 * @since 0.1.0
 */
public record Usage(
    long inputTokens,
    long outputTokens,
    long cachedReadTokens,
    long cachedWriteTokens,
    Optional<Double> costUsd) {

  /** Nothing used. */
  public static final Usage NONE = new Usage(0, 0, 0, 0, Optional.empty());

  /** Validates the components. */
  public Usage {
    Objects.requireNonNull(costUsd, "costUsd");
  }

  /** Input plus output tokens. */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  /** The sum of this usage and another. */
  public Usage plus(Usage other) {
    Optional<Double> cost =
        costUsd.isEmpty() && other.costUsd.isEmpty()
            ? Optional.empty()
            : Optional.of(costUsd.orElse(0.0) + other.costUsd.orElse(0.0));
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cachedReadTokens + other.cachedReadTokens,
        cachedWriteTokens + other.cachedWriteTokens,
        cost);
  }
}
