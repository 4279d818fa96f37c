/**
 * Git isolation: one worktree and branch per task, under the state folder, so the user's checkout
 * is never touched.
 */
package dev.overnight.core.worktree;
