package dev.overnight.server.internal;

import dev.overnight.api.OrchestrationException;
import java.util.Optional;

/** A request the API refuses, with the HTTP status to answer and a message for the caller. */
public final class ApiException extends OrchestrationException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String allow;

  /** A refusal with an HTTP status. */
  public ApiException(int status, String message) {
    this(status, message, null);
  }

  private ApiException(int status, String message, String allow) {
    super(message);
    this.status = status;
    this.allow = allow;
  }

  /**
   * A 405: the path exists, the method does not.
   *
   * @param allow the methods the path takes, as the {@code Allow} header lists them
   */
  public static ApiException methodNotAllowed(String allow) {
    return new ApiException(405, "use " + allow.replace(", ", " or "), allow);
  }

  /** The HTTP status to answer with. */
  public int status() {
    return status;
  }

  /** For a 405, the methods the path takes. */
  public Optional<String> allow() {
    return Optional.ofNullable(allow);
  }
}
