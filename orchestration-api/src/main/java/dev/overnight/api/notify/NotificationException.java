package dev.overnight.api.notify;

import dev.overnight.api.OrchestrationException;

/**
 * A notification could not be delivered: the receiver refused the connection, answered with an
 * error, or did not answer in time. Overnight logs it and goes on; it never stops a night.
 *
 * @since 0.1.0
 */
public class NotificationException extends OrchestrationException {
  private static final long serialVersionUID = 1L;

  /** A failure with its message. */
  public NotificationException(String message) {
    super(message);
  }

  /** A failure with its message and cause. */
  public NotificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
