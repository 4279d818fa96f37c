package dev.overnight.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writing whole responses: JSON, text and bytes. */
final class Http {
  static final String JSON = "application/json; charset=utf-8";

  private Http() {}

  static void json(Response response, Callback callback, int status, JsonNode body) {
    text(response, callback, status, JSON, Json.write(body));
  }

  static void error(Response response, Callback callback, int status, String message) {
    ObjectNode body = Json.object();
    body.put("error", errorName(status));
    body.put("message", message);
    json(response, callback, status, body);
  }

  static void text(
      Response response, Callback callback, int status, String contentType, String body) {
    bytes(
        response,
        callback,
        status,
        contentType,
        body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static void bytes(
      Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** The {@code error} field of an error answer: a stable word for the status. */
  static String errorName(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 408 -> "request_timeout";
      case 409 -> "conflict";
      case 413 -> "too_large";
      default ->
          status >= 500
              ? "server_error"
              : HttpStatus.getMessage(status)
                  .toLowerCase(Locale.ROOT)
                  .replaceAll("[^a-z0-9]+", "_")
                  .replaceAll("^_|_$", "");
    };
  }
}
