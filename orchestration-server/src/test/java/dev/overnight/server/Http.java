package dev.overnight.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client of the dashboard, on the JDK's own client. */
final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private Http() {}

  static HttpRequest.Builder request(DashboardServer server, String path) {
    return HttpRequest.newBuilder(URI.create(server.baseUri() + path.substring(1)))
        .timeout(Duration.ofSeconds(30));
  }

  static HttpRequest.Builder authorized(DashboardServer server, String path) {
    return request(server, path).header("Authorization", "Bearer " + server.token());
  }

  static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> get(DashboardServer server, String path) {
    return send(authorized(server, path).GET());
  }

  static HttpResponse<String> post(DashboardServer server, String path, String body) {
    return send(
        authorized(server, path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GETs a path with the token and returns its JSON, insisting on 200. */
  static JsonNode getJson(DashboardServer server, String path) {
    HttpResponse<String> response = get(server, path);
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return json(response);
  }
}
