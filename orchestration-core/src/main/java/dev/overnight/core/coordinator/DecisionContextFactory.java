package dev.overnight.core.coordinator;

import dev.overnight.api.Availability;
import dev.overnight.api.decision.DecisionContext;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Builds the decision engine's input when the queue is empty: reads git and session history (it may
 * block on that I/O) and combines it with what the coordinator knows.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DecisionContextFactory {

  /**
   * Builds the context.
   *
   * @param agents every agent's availability right now (parked agents unavailable)
   * @param finishedOpHashes op hashes of tasks already completed or failed, and of tasks already
   *     pending or in progress (work that is taken, so the engine moves on to the next candidate)
   * @param now the current time
   */
  DecisionContext create(
      Map<String, Availability> agents, Set<String> finishedOpHashes, Instant now);
}
