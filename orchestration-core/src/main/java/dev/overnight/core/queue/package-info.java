/**
 * The in-memory task queue, and the status rules every Overnight queue applies ({@link
 * dev.overnight.core.queue.TaskTransitions}) so that all stores behave alike.
 */
package dev.overnight.core.queue;
