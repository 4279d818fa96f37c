/**
 * Overnight's foundation types: the exception root, time as a dependency, keep-awake, and provider
 * availability.
 *
 * <p>Everything in {@code dev.overnight.api} and its subpackages depends on the JDK only. Types are
 * immutable unless they say otherwise; interfaces say whether they block and which threads may call
 * them. Every method that can fail throws a subclass of {@link
 * dev.overnight.api.OrchestrationException}.
 */
package dev.overnight.api;
