package dev.overnight.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A small HTTP client of the dashboard, on the JDK's own client. Every JSON answer it reads is
 * validated against the HTTP API's published schema for its endpoint.
 */
final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TASK = Pattern.compile("/api/tasks/[^/]+");
  private static final Pattern TASK_ACTION = Pattern.compile("/api/tasks/[^/]+/(cancel|retry)");
  private static final Pattern SESSION = Pattern.compile("/api/sessions/[^/]+");
  private static final Pattern REPORT = Pattern.compile("/api/reports/[^/]+");
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

  /** The answer's JSON, after checking it against the schema of its endpoint. */
  static JsonNode json(HttpResponse<String> response) {
    JsonNode json;
    try {
      json = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String schema = "http-api.schema.json#/$defs/" + definition(response);
    assertThat(ShapeSchemas.errors(schema, response.body()))
        .as("%s %s against %s", response.request().method(), response.request().uri(), schema)
        .isEmpty();
    return json;
  }

  /** The schema definition of an answer, from its status, method and path. */
  static String definition(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      return "error";
    }
    String path = response.request().uri().getPath().replaceFirst("/$", "");
    if (TASK_ACTION.matcher(path).matches()) {
      return "task";
    }
    switch (path) {
      case "/api":
        return "index";
      case "/api/status":
      case "/api/pause":
      case "/api/resume":
        return "status";
      case "/api/tasks":
        return response.request().method().equals("POST") ? "enqueued" : "task_page";
      case "/api/fleet":
        return "fleet";
      case "/api/sessions":
        return "sessions";
      case "/api/decisions":
        return "decisions";
      case "/api/cycles":
        return "cycles";
      case "/api/reports":
        return "reports";
      case "/api/run-now":
        return "run_now";
      default:
        break;
    }
    if (TASK.matcher(path).matches()) {
      return "task_detail";
    }
    if (SESSION.matcher(path).matches()) {
      return "session_detail";
    }
    if (REPORT.matcher(path).matches()) {
      return "report";
    }
    throw new AssertionError("no schema for " + path);
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
