package dev.overnight.api.queue;

/**
 * No task has the given id.
 *
 * @since 0.1.0
 */
public class TaskNotFoundException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for an id. */
  public TaskNotFoundException(TaskId id) {
    super("Task not found: " + id);
  }
}
