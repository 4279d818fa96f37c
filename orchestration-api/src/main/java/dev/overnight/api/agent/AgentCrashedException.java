package dev.overnight.api.agent;

/**
 * The agent process exited or closed its output while a request was pending; the message includes
 * its exit code and last stderr lines.
 *
 * @since 0.1.0
 */
public class AgentCrashedException extends AgentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public AgentCrashedException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public AgentCrashedException(String message, Throwable cause) {
    super(message, cause);
  }
}
