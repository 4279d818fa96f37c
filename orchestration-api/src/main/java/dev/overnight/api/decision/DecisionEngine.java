package dev.overnight.api.decision;

import java.util.Optional;

/**
 * Decides what task to run next when the queue is empty.
 *
 * <p>Deterministic for a given context (ties broken by path), and never repeats finished work: a
 * candidate whose op hash is in {@link DecisionContext#finishedOpHashes()} is passed over for the
 * next. Pure computation: no I/O, thread-safe.
 */
@FunctionalInterface
public interface DecisionEngine {

  /**
   * Decides, or returns empty when there is nothing worth doing (or no allowed agent is available).
   */
  Optional<Decision> decide(DecisionContext context);
}
