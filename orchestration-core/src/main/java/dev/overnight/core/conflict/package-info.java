/**
 * Keeping Overnight's branches mergeable: taking in a moved base ({@link
 * dev.overnight.core.conflict.BaseSync}) before a task's pull request opens and while it is open,
 * and predicting which tasks would touch the same files so they do not run side by side ({@link
 * dev.overnight.core.conflict.OverlapPredictor}).
 */
package dev.overnight.core.conflict;
