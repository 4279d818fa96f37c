package dev.overnight.server;

import dev.overnight.api.decision.Decision;
import java.time.Instant;
import java.util.Objects;

/**
 * A decision the engine made, when, and whether it became a task.
 *
 * @param at when it was made
 * @param decision what was chosen, with its rationale and signals
 * @param enqueued whether it was queued (false when the same work was already pending)
 * @since 0.1.0
 */
public record DecisionRecord(Instant at, Decision decision, boolean enqueued) {

  /** Validates the components. */
  public DecisionRecord {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(decision, "decision");
  }
}
