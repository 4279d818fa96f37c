package dev.overnight.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.cli.ShapeSchemas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
