/**
 * Overnight's traces in OpenTelemetry: {@link dev.overnight.opentelemetry.OvernightTracing}, the
 * instrumentation that traces a runtime's cycles, task attempts and agent turns.
 */
package dev.overnight.opentelemetry;
