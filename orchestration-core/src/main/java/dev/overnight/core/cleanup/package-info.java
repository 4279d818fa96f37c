/**
 * {@code overnight cleanup}: what a night leaves behind once its pull requests are settled —
 * worktrees of finished tasks, branches whose pull requests were merged or closed — removed, never
 * work that exists nowhere else.
 */
package dev.overnight.core.cleanup;
