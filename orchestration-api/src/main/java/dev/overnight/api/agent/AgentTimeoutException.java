package dev.overnight.api.agent;

/**
 * The agent did not answer in time: start-up, a request, or a turn that exceeded its budget or went
 * silent.
 *
 * @since 0.1.0
 */
public class AgentTimeoutException extends AgentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public AgentTimeoutException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public AgentTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
