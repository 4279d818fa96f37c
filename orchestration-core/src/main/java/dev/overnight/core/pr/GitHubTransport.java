package dev.overnight.core.pr;

import dev.overnight.api.OrchestrationException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How one request reaches GitHub's REST API: over HTTP with a token from the environment ({@link
 * HttpTransport}), or as {@code gh api} with the user's own {@code gh} login ({@link
 * GhApiTransport}). Pull requests and issues are read and written through it alike, so every
 * request goes wherever the other ones go.
 *
 * <p>Implementations are thread-safe; {@link #send} blocks, bounded by the client's timeout.
 */
interface GitHubTransport {

  /**
   * GitHub's answer.
   *
   * @param status the HTTP status
   * @param headers the response's headers, names in lower case, the first value of each
   * @param body the body as text, empty when there is none
   * @param note what the transport said beside the answer ({@code gh}'s complaint), or empty
   */
  record Reply(int status, Map<String, String> headers, String body, String note) {
    public Reply {
      headers = Map.copyOf(headers);
    }

    /** The value of header {@code name}, any case. */
    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  /**
   * Sends {@code method} to {@code pathAndQuery} (from the API's root, e.g. {@code
   * /repos/o/r/pulls?state=all}) with GitHub's media type and API version, the extra {@code
   * headers}, and {@code json} as the body when given. Redirects are not followed over HTTP (a
   * job's log is fetched from where it points without the token); {@code gh} follows them.
   *
   * @throws OrchestrationException when no answer came (no connection, a timeout, {@code gh}
   *     missing or unable to ask), naming the request and never a token
   */
  Reply send(
      String method, String pathAndQuery, Map<String, String> headers, Optional<String> json);

  /**
   * GitHub's refusal of {@code what} (method and path), answered with {@code reply}, as an error.
   */
  OrchestrationException refused(String what, Reply reply);

  /** Whether the requests carry a token of Overnight's. */
  boolean authenticated();

  /** Whether the requests go through {@code gh api}. */
  boolean throughGh();

  /** The method and path of a request, without its query, as errors name it. */
  static String what(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    return method + " " + (q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
  }
}
