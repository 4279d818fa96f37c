package dev.overnight.api;

/**
 * The root of every exception Overnight throws.
 *
 * <p>Unchecked, so callers handle what they can and let the rest reach a boundary (the daemon's
 * cycle loop, the CLI's exit code). Subclasses name the failure: {@link
 * dev.overnight.api.config.ConfigException}, {@link dev.overnight.api.queue.TaskQueueException} and
 * {@link dev.overnight.api.agent.AgentException}.
 *
 * @since 0.1.0
 */
public class OrchestrationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says what failed and, where known, how to fix it. */
  public OrchestrationException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the cause underneath it. */
  public OrchestrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
