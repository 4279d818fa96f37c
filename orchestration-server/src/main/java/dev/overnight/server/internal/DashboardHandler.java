package dev.overnight.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.server.DashboardBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves what is behind the {@link AccessGuard}: the JSON API under {@code /api/}, the reports as
 * files under {@code /reports/}, and the dashboard's page. Blocking: the API reads the task queue,
 * once the request's body has arrived.
 */
public final class DashboardHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardHandler.class);
  private static final int MAX_BODY = 64 * 1024;

  /** The page's policy: its own files only; the WebSocket on its own origin. */
  private static final String PAGE_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  /**
   * A report is shown in a frame of the dashboard: its own inline style may apply, nothing may run,
   * and it may be framed by the dashboard only.
   */
  private static final String REPORT_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox;"
          + " frame-ancestors 'self'";

  private final ApiRoutes api;
  private final DashboardBackend backend;
  private final StaticFiles files;

  /** A handler over a backend. */
  public DashboardHandler(ApiRoutes api, DashboardBackend backend, StaticFiles files) {
    super(InvocationType.BLOCKING);
    this.api = api;
    this.backend = backend;
    this.files = files;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    if (path.equals("/api") || path.startsWith("/api/")) {
      api(request, response, callback, method, path);
      return true;
    }
    boolean read = HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method);
    if (path.startsWith("/reports/") && read) {
      report(response, callback, path.substring("/reports/".length()));
      return true;
    }
    Optional<StaticFiles.File> file = files.get(path);
    if (file.isPresent() && read) {
      response.getHeaders().put("Content-Security-Policy", PAGE_POLICY);
      response.getHeaders().put("X-Frame-Options", "DENY");
      Http.bytes(response, callback, 200, file.get().contentType(), file.get().bytes());
      return true;
    }
    if (path.equals("/ws")) {
      Http.error(response, callback, 400, "this address takes WebSocket upgrades only");
      return true;
    }
    Http.error(response, callback, file.isPresent() ? 405 : 404, "nothing at " + path);
    return true;
  }

  /**
   * Reads the body without holding a thread while it arrives — a request whose body never comes
   * waits on its connection's read timeout, not in a thread the other requests need — then answers.
   */
  private void api(
      Request request, Response response, Callback callback, String method, String path) {
    Fields query = Request.extractQueryParameters(request);
    Content.Source.asByteBufferAsync(request, MAX_BODY)
        .whenComplete(
            (body, failure) -> {
              try {
                if (failure == null) {
                  answer(response, callback, method, path, query, body);
                } else {
                  refuse(response, callback, failure);
                }
              } catch (Throwable broken) {
                // The future would keep it: hand it to Jetty, which answers 500 through the error
                // handler.
                callback.failed(broken);
              }
            });
  }

  private void answer(
      Response response,
      Callback callback,
      String method,
      String path,
      Fields query,
      ByteBuffer body) {
    try {
      JsonNode answer =
          api.handle(
              method,
              path,
              name -> Optional.ofNullable(query.getValue(name)),
              () -> StandardCharsets.UTF_8.decode(body).toString());
      Http.json(response, callback, 200, answer);
    } catch (ApiException e) {
      e.allow().ifPresent(allow -> response.getHeaders().put(HttpHeader.ALLOW, allow));
      Http.error(response, callback, e.status(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("Dashboard API {} {} failed", method, path, e);
      Http.error(response, callback, 500, String.valueOf(e.getMessage()));
    }
  }

  /** A body that did not arrive in time, did not fit, or whose client went away. */
  private static void refuse(Response response, Callback callback, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof TimeoutException) {
      // The connection stays in an unknown state mid-body: answer and close it.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      Http.error(
          response,
          callback,
          408,
          "the request's body stopped arriving; send it whole, as soon as the headers");
    } else if (cause instanceof IOException) {
      callback.failed(cause);
    } else {
      Http.error(response, callback, 413, "the body may not exceed " + MAX_BODY + " bytes");
    }
  }

  private void report(Response response, Callback callback, String name) {
    Optional<String> format = ReportFolder.formatOf(name);
    Optional<String> content = format.isPresent() ? backend.readReport(name) : Optional.empty();
    if (content.isEmpty()) {
      Http.error(response, callback, 404, "no report " + name);
      return;
    }
    response.getHeaders().put("Content-Security-Policy", REPORT_POLICY);
    response.getHeaders().put("X-Frame-Options", "SAMEORIGIN");
    String type =
        format.get().equals("html") ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
    Http.text(response, callback, 200, type, content.get());
  }
}
