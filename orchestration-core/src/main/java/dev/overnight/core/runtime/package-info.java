/**
 * The assembled runtime: one configuration's scheduler, coordinator, queue, session hub and
 * keep-awake wired together, and where its state lives.
 */
package dev.overnight.core.runtime;
