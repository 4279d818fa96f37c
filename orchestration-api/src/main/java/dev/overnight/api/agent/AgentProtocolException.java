package dev.overnight.api.agent;

/**
 * The agent answered with something that is not valid ACP: non-JSON, an oversized line, an error to
 * a required request, an unknown protocol version.
 *
 * @since 0.1.0
 */
public class AgentProtocolException extends AgentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public AgentProtocolException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public AgentProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
