package dev.overnight.postgres.internal;

import dev.overnight.api.queue.TaskQueueException;

/**
 * The connection was lost after a write was sent and before its answer came: the server may have
 * committed it or not, and nothing on this side can tell which. Callers that can look the write up
 * afterwards (an enqueue, by the task id it chose) do so; the others say so to their caller.
 *
 * <p>Immutable.
 *
 * @since 0.1.0
 */
public final class OutcomeUnknownException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  OutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
