package dev.overnight.api.decision;

import java.util.Optional;

/**
 * Decides what task to run next when the queue is empty.
 *
 * <p>Deterministic for a given context, and never repeats finished work: a candidate whose op hash
 * is in {@link DecisionContext#finishedOpHashes()} is passed over for the next. Engines are plugged
 * in on the runtime's builder or found through {@link DecisionEngineProvider} by the config's
 * {@code decision.engine}. Thread-safe; {@link #decide} and {@link #explain} should not block for
 * long (the coordinator calls them between tasks).
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DecisionEngine {

  /**
   * Decides, or returns empty when there is nothing worth doing (or no allowed agent is available).
   */
  Optional<Decision> decide(DecisionContext context);

  /**
   * Decides and says how: which agent would run the task and why the others would not, and what was
   * passed over. What {@code overnight plan --explain} shows, for any engine. The default explains
   * {@link #decide}'s answer from the context alone; engines that weigh candidates should say more.
   */
  default DecisionExplanation explain(DecisionContext context) {
    return DecisionExplanation.of(decide(context), context);
  }

  /**
   * What deciding has used of agents since the last call, which it resets: an engine that asks an
   * agent for its plan reports its planning runs here, and the coordinator counts them in the
   * night's limits after each decision. The default is {@link DecisionUsage#NONE}.
   */
  default DecisionUsage takeUsage() {
    return DecisionUsage.NONE;
  }

  /**
   * Whether this engine reads {@link DecisionContext#candidates()}: only then are the {@link
   * CandidateSource}s run to build the context (they read the repository, which takes time).
   */
  default boolean usesCandidates() {
    return false;
  }
}
