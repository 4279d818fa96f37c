package dev.overnight.api.queue;

/**
 * A queue operation would break the task status rules (see {@link TaskStatus}): completing a
 * pending task, failing a completed one, or acting on a task whose lease another worker holds.
 *
 * @since 0.1.0
 */
public class IllegalTransitionException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the task, both statuses and the rule broken. */
  public IllegalTransitionException(String message) {
    super(message);
  }
}
