package dev.overnight.core.pr;

import dev.overnight.api.OrchestrationException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * GitHub's REST API over HTTP with the JDK's client, with the environment's token when there is
 * one. Thread-safe; blocks for each request, bounded by the timeout.
 */
final class HttpTransport implements GitHubTransport {
  private final URI api;
  private final Optional<String> token;
  private final Duration timeout;
  private final HttpClient http;

  HttpTransport(URI api, Optional<String> token, Duration timeout, HttpClient http) {
    this.api = Objects.requireNonNull(api, "api");
    this.token = Objects.requireNonNull(token, "token");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = Objects.requireNonNull(http, "http");
  }

  @Override
  public Reply send(
      String method, String pathAndQuery, Map<String, String> headers, Optional<String> json) {
    HttpRequest.Builder b = GitHubRest.request(URI.create(api + pathAndQuery), timeout, token);
    headers.forEach(b::header);
    if (json.isPresent()) {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json.get(), StandardCharsets.UTF_8));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> r =
        GitHubRest.send(http, b.build(), GitHubTransport.what(method, pathAndQuery));
    Map<String, String> first = new HashMap<>();
    r.headers()
        .map()
        .forEach(
            (name, values) -> {
              List<String> v = values;
              if (!v.isEmpty()) {
                first.put(name.toLowerCase(Locale.ROOT), v.get(0));
              }
            });
    return new Reply(r.statusCode(), first, r.body() == null ? "" : r.body(), "");
  }

  @Override
  public OrchestrationException refused(String what, Reply reply) {
    return GitHubRest.refused(what, reply.status(), reply.body(), token.isPresent());
  }

  @Override
  public boolean authenticated() {
    return token.isPresent();
  }

  @Override
  public boolean throughGh() {
    return false;
  }
}
