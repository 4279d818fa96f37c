/**
 * The coordinator: one cycle of work — recover, claim or decide, run each task in its own worktree
 * with its agent inside the budget, check it, publish it, record it.
 */
package dev.overnight.core.coordinator;
