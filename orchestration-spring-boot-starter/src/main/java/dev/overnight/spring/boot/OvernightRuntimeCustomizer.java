package dev.overnight.spring.boot;

import dev.overnight.core.runtime.OvernightRuntime;

/**
 * A bean that adjusts how the starter assembles Overnight: called with the runtime's builder after
 * the starter has given it the application's beans (agents, checkers, decision engine, listeners,
 * store, instrumentations), right before it is built. Use it for what no bean type says, such as
 * {@code statePaths(...)} or {@code cycleExecutor(...)}.
 *
 * <p>Customizers run in {@link org.springframework.core.annotation.Order} order, on the thread that
 * creates the runtime bean. A setting the builder accepts once (the time source, the store) must
 * not be set again here when the starter set it from a bean.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface OvernightRuntimeCustomizer {

  /** Adjusts the builder. */
  void customize(OvernightRuntime.Builder builder);
}
