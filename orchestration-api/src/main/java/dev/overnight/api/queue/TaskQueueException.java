package dev.overnight.api.queue;

import dev.overnight.api.OrchestrationException;

/**
 * A queue operation failed: the store could not be opened, read or written. The message names the
 * store (e.g. the database file) and what to do.
 *
 * @since 0.1.0
 */
public class TaskQueueException extends OrchestrationException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public TaskQueueException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public TaskQueueException(String message, Throwable cause) {
    super(message, cause);
  }
}
