package dev.overnight.api.agent;

import dev.overnight.api.OrchestrationException;

/**
 * An agent could not be started, broke the protocol, or failed its turn. The message says which
 * agent and what happened.
 *
 * @since 0.1.0
 */
public class AgentException extends OrchestrationException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public AgentException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
