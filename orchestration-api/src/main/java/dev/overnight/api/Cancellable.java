package dev.overnight.api;

/**
 * A handle on something scheduled or subscribed that can be called off.
 *
 * <p>Thread-safe; {@link #cancel()} is idempotent and never blocks.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Cancellable {
  /**
   * Calls the action off.
   *
   * @return {@code true} if this call cancelled it, {@code false} if it had already run or been
   *     cancelled
   */
  boolean cancel();
}
