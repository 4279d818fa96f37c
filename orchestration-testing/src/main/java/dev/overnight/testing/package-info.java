/**
 * Compatibility kits: JUnit 5 test classes that an implementation of an SPI extends to prove it
 * keeps the SPI's contract ({@link dev.overnight.testing.TaskQueueCompatibilityKit}, {@link
 * dev.overnight.testing.SchedulerStateStoreCompatibilityKit}, and the constraint checker kit). The
 * fakes they drive the implementation with (virtual time, recording listeners, the scripted agent)
 * live in {@code orchestration-fakes}.
 */
package dev.overnight.testing;
