package dev.overnight.core.sandbox;

import dev.overnight.api.OrchestrationException;

/**
 * A command was to run confined, but no sandbox can be used on this machine. The message says why
 * and how to install one or relax {@code permissions.sandbox}.
 *
 * @since 0.1.0
 */
public final class SandboxUnavailableException extends OrchestrationException {
  private static final long serialVersionUID = 1L;

  /** With the message a user reads. */
  public SandboxUnavailableException(String message) {
    super(message);
  }
}
