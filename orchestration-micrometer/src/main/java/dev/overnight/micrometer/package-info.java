/**
 * Overnight's meters in Micrometer: {@link dev.overnight.micrometer.OvernightMetrics}, a binder for
 * one runtime, and the instrumentation that binds it when the runtime is built.
 */
package dev.overnight.micrometer;
