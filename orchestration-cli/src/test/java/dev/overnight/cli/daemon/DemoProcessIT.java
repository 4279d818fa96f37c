package dev.overnight.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.cli.ShapeSchemas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code overnight demo} on compressed real time, exactly as the README's first command runs it
 * (about a minute): the dashboard serves while the night runs, and the night ends with every task
 * completed.
 */
class DemoProcessIT {
  @TempDir Path dir;

  @Test
  void theDemoServesItsDashboardWhileTheCompressedNightRunsToTheEnd() throws Exception {
    try (OvernightProcess demo = OvernightProcess.start("demo", "--dir", dir.toString())) {
      String line = demo.await(l -> l.startsWith("Dashboard: "), "the dashboard address");
      URI withToken = URI.create(line.substring("Dashboard: ".length()).trim());
      HttpResponse<String> status =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(withToken.resolve("/api/status?" + withToken.getQuery()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(status.statusCode()).isEqualTo(200);
      assertThat(status.body()).contains("\"scheduler\"");
      assertThat(ShapeSchemas.errors("http-api.schema.json#/$defs/status", status.body()))
          .isEmpty();

      String summary = demo.await(l -> l.contains(" completed of "), "the night's summary");
      assertThat(demo.awaitExit()).as(demo.output()).isZero();
      assertThat(summary).matches(" *tasks +(\\d+) completed of \\1");
      assertThat(demo.output()).contains("The night is over.", "checkout   HEAD unchanged");
    }
  }
}
