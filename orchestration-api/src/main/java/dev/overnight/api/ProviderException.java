package dev.overnight.api;

/**
 * A pluggable component could not be found, loaded or created: a named constraint checker with no
 * provider on the class path, a ServiceLoader entry whose class is missing, a provider that threw
 * while being created.
 *
 * <p>The message names the component and, where known, the artifact to add.
 */
public class ProviderException extends OrchestrationException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the provider and the fix. */
  public ProviderException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the underlying failure. */
  public ProviderException(String message, Throwable cause) {
    super(message, cause);
  }
}
