package dev.overnight.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.cli.ShapeSchemas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code overnight serve} as users run it: a real process over a state folder, Ctrl-C to stop. */
class ServeProcessIT {
  @TempDir Path state;

  @Test
  void serveShowsTheFoldersQueueBehindItsTokenWarnsWhenExposedAndStopsOnCtrlC() throws Exception {
    OvernightProcess.Result added =
        OvernightProcess.run(
            "queue", "add", "--state-dir", state.toString(), "--prompt", "Tidy the build");
    assertThat(added.exitCode()).as(added.output()).isZero();

    try (OvernightProcess serve =
        OvernightProcess.start("serve", "--state-dir", state.toString(), "--bind", "0.0.0.0")) {
      String line = serve.await(l -> l.startsWith("Dashboard for "), "the dashboard address");
      assertThat(serve.output()).contains("reachable from other machines");
      URI withToken = URI.create(line.substring(line.lastIndexOf(": ") + 2).trim());
      String token = Files.readString(state.resolve("dashboard-token")).trim();
      assertThat(withToken.getQuery()).isEqualTo("token=" + token);
      URI tasks = withToken.resolve("/api/tasks");

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> refused =
          http.send(HttpRequest.newBuilder(tasks).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(401);
      HttpResponse<String> listed =
          http.send(
              HttpRequest.newBuilder(tasks).header("Authorization", "Bearer " + token).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(listed.statusCode()).isEqualTo(200);
      assertThat(listed.body()).contains("Tidy the build");
      assertThat(ShapeSchemas.errors("http-api.schema.json#/$defs/task_page", listed.body()))
          .isEmpty();

      serve.interrupt(); // Ctrl-C
      assertThat(serve.awaitExit()).as(serve.output()).isZero();
    }
  }

  @Test
  void serveOverANightsFolderSaysNoDaemonRunsRefusesTheControlsAndShowsTheNight() throws Exception {
    Path dir = state.resolve("demo");
    OvernightProcess.Result night =
        OvernightProcess.run("demo", "--fast", "--no-dashboard", "--dir", dir.toString());
    assertThat(night.exitCode()).as(night.output()).isZero();
    Path folder = dir.resolve("state");

    try (OvernightProcess serve =
        OvernightProcess.start("serve", "--state-dir", folder.toString())) {
      String line = serve.await(l -> l.startsWith("Dashboard for "), "the dashboard address");
      URI withToken = URI.create(line.substring(line.lastIndexOf(": ") + 2).trim());
      String token = Files.readString(folder.resolve("dashboard-token")).trim();
      HttpClient http = HttpClient.newHttpClient();

      JsonNode status = get(http, withToken.resolve("/api/status"), token, "status");
      assertThat(status.at("/daemon/running").asBoolean()).isFalse();
      assertThat(status.at("/daemon/controls").asBoolean()).isFalse();
      assertThat(status.at("/scheduler/name").asText()).isEqualTo("stopped");
      assertThat(status.at("/metrics/cycle_count").asLong()).isPositive();
      for (String control : List.of("/api/run-now", "/api/pause", "/api/resume")) {
        HttpResponse<String> refused =
            http.send(
                HttpRequest.newBuilder(withToken.resolve(control))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(control + ": " + refused.body()).isEqualTo(409);
        assertThat(refused.body()).contains("No daemon is running on this state folder");
      }
      assertThat(get(http, withToken.resolve("/api/cycles"), token, "cycles").get("cycles"))
          .isNotEmpty();
      JsonNode sessions = get(http, withToken.resolve("/api/sessions"), token, "sessions");
      assertThat(sessions.get("sessions")).hasSize(2).allMatch(s -> s.has("task_id"));
      String first = sessions.at("/sessions/0/session_id").asText();
      JsonNode detail =
          new ObjectMapper()
              .readTree(send(http, withToken.resolve("/api/sessions/" + first), token).body());
      assertThat(detail.get("events")).isNotEmpty();

      OvernightProcess.Result shown =
          OvernightProcess.run("status", "--state-dir", folder.toString());
      assertThat(shown.output())
          .contains("  serve      " + withToken.resolve("/") + " (overnight serve, pid ");

      serve.interrupt();
      assertThat(serve.awaitExit()).as(serve.output()).isZero();
    }
    assertThat(folder.resolve("serve.json")).doesNotExist();
  }

  private static JsonNode get(HttpClient http, URI uri, String token, String definition)
      throws Exception {
    HttpResponse<String> response = send(http, uri, token);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(ShapeSchemas.errors("http-api.schema.json#/$defs/" + definition, response.body()))
        .isEmpty();
    return new ObjectMapper().readTree(response.body());
  }

  private static HttpResponse<String> send(HttpClient http, URI uri, String token)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
