package dev.overnight.core.runtime;

import dev.overnight.api.Subscription;

/**
 * Something that watches a whole runtime from outside, such as metrics in an application's meter
 * registry or traces in its OpenTelemetry collector. It attaches once the runtime is assembled,
 * through the subscriptions the runtime offers ({@link OvernightRuntime#subscribe}, {@link
 * OvernightRuntime#observe}, {@link OvernightRuntime#sessions()}), and never changes what the
 * runtime does.
 *
 * <p><b>Finding one.</b> Given to {@link OvernightRuntime.Builder#instrumentation}, or discovered
 * through {@link java.util.ServiceLoader} (a public class with a public no-argument constructor,
 * listed in {@code META-INF/services/dev.overnight.core.runtime.RuntimeInstrumentation} and {@code
 * provides} in its module). A given one wins over a discovered one of the same {@link #name()}: the
 * {@code orchestration-micrometer} module, for example, discovers one that records into
 * Micrometer's global registry, and an application gives its own registry instead under the same
 * name.
 *
 * <p><b>Life.</b> {@link #attach} is called once per runtime, at the end of {@link
 * OvernightRuntime.Builder#build()}, on the building thread; the returned subscription is closed
 * when the runtime shuts down (after its last cycle has ended), or when building fails later. An
 * instrumentation that throws from {@code attach} is logged and left out: Overnight runs without
 * it. Implementations must be thread-safe: a runtime's events come from several threads.
 *
 * @since 0.1.0
 */
public interface RuntimeInstrumentation {

  /**
   * The name that ties an explicit instrumentation to the discovered one it replaces, e.g. {@code
   * micrometer}, {@code opentelemetry}.
   */
  String name();

  /**
   * Starts watching {@code runtime}.
   *
   * @return what stops watching it, and releases what was registered for it
   */
  Subscription attach(OvernightRuntime runtime);
}
