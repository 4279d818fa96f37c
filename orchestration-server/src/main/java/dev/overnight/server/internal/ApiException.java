package dev.overnight.server.internal;

import dev.overnight.api.OrchestrationException;

/** A request the API refuses, with the HTTP status to answer and a message for the caller. */
public final class ApiException extends OrchestrationException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /** A refusal with an HTTP status. */
  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status to answer with. */
  public int status() {
    return status;
  }
}
