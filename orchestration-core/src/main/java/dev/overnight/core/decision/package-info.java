/**
 * Deciding what to work on next: {@link dev.overnight.core.decision.HeuristicDecisionEngine} and
 * its explanation, the inputs it is built from ({@link dev.overnight.core.decision.GitActivity},
 * {@link dev.overnight.core.decision.TestFinder}, the session histories of Overnight, Claude Code
 * and Codex) assembled by {@link dev.overnight.core.decision.DecisionInputs}, and {@link
 * dev.overnight.core.decision.DecisionPlanner}, which says what would run next and why without
 * running anything.
 */
package dev.overnight.core.decision;
