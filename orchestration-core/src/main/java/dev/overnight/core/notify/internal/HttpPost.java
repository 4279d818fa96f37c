package dev.overnight.core.notify.internal;

import dev.overnight.api.notify.NotificationException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One bounded HTTP POST: connecting and the whole exchange each give up after the timeout. A status
 * outside 2xx, a refused connection or a timeout is a {@link NotificationException} that names what
 * failed but never the URL, which may hold a secret (a Slack webhook's does). Thread- safe.
 */
public final class HttpPost {
  private final HttpClient client;
  private final Duration timeout;

  /** A poster whose every request gives up after {@code timeout}. */
  public HttpPost(Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /**
   * Posts {@code body} to {@code url} with {@code headers}.
   *
   * @param what the receiver, for the error message, e.g. {@code slack}
   * @throws NotificationException when the receiver cannot be reached, times out or answers with an
   *     error status
   */
  public void post(
      String what, URI url, String contentType, Map<String, String> headers, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", contentType)
            .header("User-Agent", "Overnight")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(b::header);
    HttpResponse<String> response;
    try {
      response = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new NotificationException(
          what + " did not answer within " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      throw new NotificationException(what + " could not be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotificationException(what + ": interrupted while sending");
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      String said = response.body() == null ? "" : response.body().strip();
      throw new NotificationException(
          what
              + " answered HTTP "
              + status
              + (said.isEmpty()
                  ? ""
                  : ": " + (said.length() > 200 ? said.substring(0, 200) + "…" : said)));
    }
  }
}
