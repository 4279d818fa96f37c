package dev.overnight.server.internal;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the errors Jetty raises itself — a malformed or oversized request, an ambiguous path, a
 * handler that broke — in the API's own shape, {@code {"error": ..., "message": ...}}, instead of
 * Jetty's HTML page: clients of the API read JSON whatever went wrong, and nothing names the
 * server's software. A server error's cause goes to the log, not to the client. Thread-safe.
 */
public final class JsonErrorHandler implements Request.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandler.class);

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String message = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
    Throwable cause = (Throwable) request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
    if (cause instanceof HttpException http) {
      status = http.getCode();
      if (message == null) {
        message = http.getReason();
      }
    }
    if (HttpStatus.hasNoBody(status)) {
      response.setStatus(status);
      callback.succeeded();
      return true;
    }
    if (status >= 500) {
      LOG.warn(
          "Dashboard {} {} failed",
          request.getMethod(),
          request.getHttpURI() == null ? "" : request.getHttpURI().getPath(),
          cause);
      message = "the dashboard failed to answer; its log says why";
    } else if (message == null || message.isBlank()) {
      message = HttpStatus.getMessage(status);
    }
    Http.error(response, callback, status, message);
    return true;
  }
}
