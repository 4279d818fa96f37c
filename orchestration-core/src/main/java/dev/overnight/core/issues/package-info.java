/**
 * Issues as tasks: labelled GitHub issues queued as tasks, withdrawn when the label goes, and told
 * what became of them.
 */
package dev.overnight.core.issues;
