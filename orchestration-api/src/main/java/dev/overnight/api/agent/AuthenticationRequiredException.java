package dev.overnight.api.agent;

/**
 * The agent needs a login or an API key it does not have. The message names the agent and what to
 * set or run.
 *
 * @since 0.1.0
 */
public class AuthenticationRequiredException extends AgentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public AuthenticationRequiredException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public AuthenticationRequiredException(String message, Throwable cause) {
    super(message, cause);
  }
}
