package dev.overnight.nostr;

import dev.overnight.api.OrchestrationException;

/**
 * A Nostr operation failed: no relay reached or accepted an event, a relay answered with something
 * that is not Nostr, an event failed its checks, the key file is unsafe. The message says which
 * relay and why.
 *
 * @since 0.1.0
 */
public class NostrException extends OrchestrationException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public NostrException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public NostrException(String message, Throwable cause) {
    super(message, cause);
  }
}
