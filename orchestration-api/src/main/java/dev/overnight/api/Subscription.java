package dev.overnight.api;

/**
 * A listener's registration: closing it stops the deliveries. Every {@code subscribe} in Overnight
 * returns one, so a subscription made for a while is undone the same way everywhere, with
 * try-with-resources where it suits.
 *
 * <p>Thread-safe; {@link #close()} is idempotent and never blocks. A delivery already under way
 * when it is closed may still complete.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  /** Stops the deliveries. Closing twice does nothing. */
  @Override
  void close();
}
