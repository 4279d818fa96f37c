package dev.overnight.server;

import static dev.overnight.server.Fixtures.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.queue.InMemoryTaskQueue;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP server under bad input: requests whose bodies never come, methods and paths it does not
 * serve, malformed and oversized requests, a backend that breaks. Real Jetty, real sockets.
 */
class HttpBadInputTest {
  @TempDir Path reports;
  private final InMemoryTaskQueue queue = InMemoryTaskQueue.builder(Fixtures.CLOCK).build();
  private InMemoryDashboardBackend backend;
  private DashboardServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private DashboardServer start(TaskQueue tasks, UnaryOperator<DashboardServer.Builder> options) {
    backend =
        InMemoryDashboardBackend.builder(tasks)
            .clock(Fixtures.CLOCK)
            .reportsDirectory(reports)
            .build();
    server = options.apply(DashboardServer.builder(backend)).clock(Fixtures.CLOCK).build().start();
    return server;
  }

  private DashboardServer start() {
    return start(queue, b -> b);
  }

  @Test
  void requestsWhoseBodiesNeverArriveHoldUpNoOneElse() throws IOException {
    start();
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        stalled.add(
            RawHttp.send(
                server,
                RawHttp.head(
                        server,
                        "POST",
                        "/api/pause",
                        "Content-Type: application/json",
                        "Content-Length: 100")
                    + "{\"reason\":"));
      }
      // Far longer than an answer takes, far shorter than a stalled request used to hold a thread.
      HttpResponse<String> status =
          Http.send(Http.authorized(server, "/api/status").timeout(Duration.ofSeconds(15)).GET());
      assertThat(status.statusCode()).isEqualTo(200);
      assertThat(backend.controlLog()).isEmpty();
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
    }
  }

  @Test
  void aBodyThatStopsArrivingIsAnsweredWithATimeout() throws IOException {
    start(queue, b -> b.readTimeout(Duration.ofMillis(300)));
    try (Socket socket =
        RawHttp.send(
            server,
            RawHttp.head(
                    server,
                    "POST",
                    "/api/pause",
                    "Content-Type: application/json",
                    "Content-Length: 100")
                + "{\"reason\":")) {
      RawHttp.Response response = RawHttp.read(socket);
      assertThat(response.status()).isEqualTo(408);
      assertJsonError(response, "request_timeout");
    }
  }

  @Test
  void theStreamIsNotCutByTheReadTimeout() {
    start(queue, b -> b.readTimeout(Duration.ofMillis(200)).idleTimeout(Duration.ofMillis(1500)));
    try (StreamClient client = StreamClient.connect(server)) {
      assertThat(client.next().get("type").asText()).isEqualTo("hello");
      // Pings come every 500 ms: three of them span five read timeouts with nothing to read.
      client.awaitPings(3);
      backend.onSessionEvent(message("s1", 1, "still here"));
      assertThat(client.next().at("/data/content/text").asText()).isEqualTo("still here");
      assertThat(client.closed()).isNotDone();
    }
  }

  @Test
  void headIsAnsweredOnEveryReadRouteWithTheHeadersOfGet() throws IOException {
    start();
    Task task = queue.enqueue(TaskSpec.builder("Tidy the build").build()).task();
    backend.onSessionEvent(message("s1", 1, "Reading the parser"));
    Files.writeString(reports.resolve("latest.md"), "# Night\n");
    for (String path :
        List.of(
            "/api",
            "/api/status",
            "/api/tasks",
            "/api/tasks/" + task.id(),
            "/api/sessions",
            "/api/sessions/s1",
            "/api/decisions",
            "/api/reports",
            "/api/reports/latest.md",
            "/api/tasks/no-such-task")) {
      HttpResponse<String> get = Http.get(server, path);
      HttpResponse<String> head =
          Http.send(
              Http.authorized(server, path).method("HEAD", HttpRequest.BodyPublishers.noBody()));
      assertThat(head.statusCode()).as("HEAD %s", path).isEqualTo(get.statusCode());
      assertThat(head.body()).as("HEAD %s", path).isEmpty();
      assertThat(head.headers().firstValue("Content-Type"))
          .as("HEAD %s", path)
          .isEqualTo(get.headers().firstValue("Content-Type"));
      assertThat(head.headers().firstValueAsLong("Content-Length"))
          .as("HEAD %s", path)
          .hasValue(get.body().getBytes(StandardCharsets.UTF_8).length);
    }
    HttpResponse<String> wrong = Http.post(server, "/api/status", "");
    assertThat(wrong.statusCode()).isEqualTo(405);
    assertThat(wrong.headers().firstValue("Allow")).hasValue("GET, HEAD");
    HttpResponse<String> headOfControl =
        Http.send(
            Http.authorized(server, "/api/run-now")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(headOfControl.statusCode()).isEqualTo(405);
    assertThat(headOfControl.headers().firstValue("Allow")).hasValue("POST");
    assertThat(backend.controlLog()).isEmpty();
  }

  @Test
  void everyApiErrorIsJsonWithoutTheServersName() {
    TaskQueue broken =
        (TaskQueue)
            Proxy.newProxyInstance(
                TaskQueue.class.getClassLoader(),
                new Class<?>[] {TaskQueue.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("list")) {
                    throw new NoClassDefFoundError("org/example/MissingFromTheInstall");
                  }
                  try {
                    return method.invoke(queue, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    start(broken, b -> b);
    record Case(String request, int status, String error) {}
    List<Case> cases =
        List.of(
            new Case(RawHttp.head(server, "GET", "/api/tasks?status=%zz"), 400, "bad_request"),
            new Case(
                RawHttp.head(server, "GET", "/api/reports/..%2Fsecret.md"), 400, "bad_request"),
            new Case(RawHttp.head(server, "GET", "/api/status", "Bad Header"), 400, "bad_request"),
            new Case(RawHttp.head(server, "GET", "/api/nothing-here"), 404, "not_found"),
            new Case(RawHttp.head(server, "DELETE", "/api/status"), 405, "method_not_allowed"),
            new Case(
                RawHttp.head(
                        server,
                        "POST",
                        "/api/pause",
                        "Content-Type: application/json",
                        "Content-Length: 70000")
                    + "{\"reason\":\""
                    + "x".repeat(69_987)
                    + "\"}",
                413,
                "too_large"),
            new Case(
                RawHttp.head(server, "GET", "/api/status", "X-Padding: " + "p".repeat(20_000)),
                431,
                "request_header_fields_too_large"),
            new Case(RawHttp.head(server, "GET", "/api/tasks"), 500, "server_error"),
            new Case(
                "GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:"
                    + server.port()
                    + "\r\nConnection: close\r\n\r\n",
                401,
                "unauthorized"));
    for (Case c : cases) {
      RawHttp.Response response = RawHttp.exchange(server, c.request());
      String first = c.request().substring(0, Math.min(60, c.request().indexOf('\r')));
      assertThat(response.status()).as(first).isEqualTo(c.status());
      assertJsonError(response, c.error());
    }
    assertThat(backend.controlLog()).isEmpty();
  }

  @Test
  void answersDoNotNameTheServerSoftware() {
    start();
    assertThat(Http.get(server, "/api/status").headers().firstValue("Server")).isEmpty();
    assertThat(Http.get(server, "/").headers().firstValue("Server")).isEmpty();
    assertThat(RawHttp.exchange(server, "NONSENSE\r\n\r\n").header("Server")).isEmpty();
  }

  private static void assertJsonError(RawHttp.Response response, String error) {
    assertThat(response.header("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(response.header("Server")).isEmpty();
    assertThat(ShapeSchemas.errors("http-api.schema.json#/$defs/error", response.body()))
        .as(response.body())
        .isEmpty();
    JsonNode body = OvernightJson.read(response.body());
    assertThat(body.get("error").asText()).as(response.body()).isEqualTo(error);
    assertThat(response.body()).doesNotContainIgnoringCase("<html").doesNotContain("Jetty");
  }
}
