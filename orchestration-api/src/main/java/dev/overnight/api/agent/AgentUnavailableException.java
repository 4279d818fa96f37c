package dev.overnight.api.agent;

/**
 * The agent cannot run here: its command is missing or it is not configured. The message says how
 * to fix it.
 *
 * @since 0.1.0
 */
public class AgentUnavailableException extends AgentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public AgentUnavailableException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public AgentUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
