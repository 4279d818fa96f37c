/**
 * Deciding what to work on next: the decision engine, its inputs (git activity, session history,
 * goals, focus, agent availability) and its explained output.
 */
package dev.overnight.api.decision;
