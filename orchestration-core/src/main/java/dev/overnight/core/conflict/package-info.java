/**
 * Keeping Overnight's branches mergeable: taking in a moved base ({@link
 * dev.overnight.core.conflict.BaseSync}), and predicting which tasks would touch the same files so
 * they do not run side by side ({@link dev.overnight.core.conflict.OverlapPredictor}).
 */
package dev.overnight.core.conflict;
