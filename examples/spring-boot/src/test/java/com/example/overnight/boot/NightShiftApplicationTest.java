package com.example.overnight.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.fakes.ScriptedAgent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application started for real, on a random port, with a scripted ACP agent in a real child
 * process working in a temporary git repository: health, a task taken over HTTP and run, its
 * metrics at Actuator and its spans in the exporter.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      // Cycles run only when the test asks; the schedule would otherwise fire at night.
      "overnight.scheduler.auto-start=false",
      "overnight.agent-preferences.prefer=scripted"
    })
class NightShiftApplicationTest {
  /** Writes FIXED.md and reports its usage, as a coding agent would. */
  private static final String SCRIPT =
      "{\"name\":\"scripted-agent\",\"model\":\"scripted-model\",\"steps\":["
          + "{\"write\":{\"path\":\"FIXED.md\",\"content\":\"Fixed overnight.\\n\"}},"
          + "{\"tokens\":{\"inputTokens\":1200,\"outputTokens\":300}},"
          + "{\"message\":\"Wrote FIXED.md.\"}]}";

  private static Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;
  @Autowired InMemorySpanExporter spans;
  @Autowired SdkTracerProvider tracerProvider;

  @DynamicPropertySource
  static void overnight(DynamicPropertyRegistry properties) {
    properties.add("overnight.workspace-root", () -> folder().resolve("repo").toString());
    properties.add("overnight.state-dir", () -> folder().resolve("state").toString());
    List<String> agent = ScriptedAgent.argv("--script-json", SCRIPT);
    properties.add("overnight.agents.scripted.command", () -> agent.get(0));
    for (int i = 1; i < agent.size(); i++) {
      String arg = agent.get(i);
      properties.add("overnight.agents.scripted.args[" + (i - 1) + "]", () -> arg);
    }
  }

  @Test
  void aTaskTakenOverHttpRunsWithTheAgentAndShowsInHealthMetricsAndTraces() throws Exception {
    JsonNode health = get("/actuator/health");
    assertThat(health.path("status").asText()).isEqualTo("UP");
    JsonNode overnight = health.path("components").path("overnight");
    assertThat(overnight.path("status").asText()).isEqualTo("UP");
    assertThat(overnight.path("details").path("store").asText()).isEqualTo("reachable");
    assertThat(overnight.path("details").path("agents").toString()).contains("scripted");

    JsonNode queued =
        post(
            "/tasks",
            "{\"title\":\"Fix it\",\"prompt\":\"Write FIXED.md\",\"agent\":\"scripted\"}");
    assertThat(queued.path("duplicate").asBoolean()).isFalse();
    post("/cycles", "");

    JsonNode status = get("/actuator/overnight");
    assertThat(status.path("queue").path("completed").asInt()).isEqualTo(1);
    JsonNode attempts = get("/actuator/metrics/overnight.task.attempts?tag=outcome:completed");
    assertThat(attempts.path("measurements").get(0).path("value").asDouble()).isEqualTo(1.0);
    JsonNode tokens = get("/actuator/metrics/overnight.agent.tokens?tag=type:input");
    assertThat(tokens.path("measurements").get(0).path("value").asDouble()).isEqualTo(1200.0);

    tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished)
        .extracting(SpanData::getName)
        .contains("overnight.cycle", "overnight.task", "invoke_agent scripted");
    SpanData task =
        finished.stream().filter(s -> s.getName().equals("overnight.task")).findFirst().get();
    assertThat(task.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .isEqualTo(1200L);
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET().build(), 200);
  }

  private JsonNode post(String path, String body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        body.isEmpty() ? 200 : 202);
  }

  private JsonNode send(HttpRequest request, int expected)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
    return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private static synchronized Path folder() {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("night-shift");
        Path repo = Files.createDirectories(dir.resolve("repo"));
        git(repo, "init", "-q", "-b", "main");
        git(repo, "config", "user.name", "Dev");
        git(repo, "config", "user.email", "dev@example.com");
        git(repo, "config", "commit.gpgsign", "false");
        Files.writeString(repo.resolve("README.md"), "# Shop\n");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "Start");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  private static void git(Path repo, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    try {
      assertThat(p.waitFor()).as("git %s", String.join(" ", args)).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** What the test adds to the application: an exporter to read spans from, and no own ideas. */
  @TestConfiguration
  static class Observed {
    @Bean
    InMemorySpanExporter spanExporter() {
      return InMemorySpanExporter.create();
    }

    /** Only what the test enqueues runs: the default engine would look for work of its own. */
    @Bean
    DecisionEngine onlyWhatIsQueued() {
      return context -> Optional.empty();
    }
  }
}
