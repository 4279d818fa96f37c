/**
 * Overnight's cycles, task attempts, queue, agents' turns, tokens and cost, quality gate runs and
 * session stream as Micrometer meters. Optional: a runtime finds it through its instrumentation
 * discovery, and core never needs it.
 */
module dev.overnight.micrometer {
  requires transitive dev.overnight.core;
  requires transitive micrometer.core;

  exports dev.overnight.micrometer;

  provides dev.overnight.core.runtime.RuntimeInstrumentation with
      dev.overnight.micrometer.internal.GlobalRegistryInstrumentation;
}
