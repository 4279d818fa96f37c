package dev.overnight.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.core.queue.InMemoryTaskQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTest {
  @TempDir Path state;
  private final InMemoryDashboardBackend backend =
      InMemoryDashboardBackend.builder(InMemoryTaskQueue.builder(Fixtures.CLOCK).build()).build();
  private DashboardServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private DashboardServer start(DashboardServer.Builder builder) {
    server = builder.build().start();
    return server;
  }

  @Test
  void theTokenIsCreatedOnceOwnerOnlyAndKeptAcrossRestarts() throws IOException {
    start(DashboardServer.builder(backend).stateDirectory(state));
    Path file = state.resolve("dashboard-token");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String token = server.token();
    assertThat(token).hasSizeGreaterThanOrEqualTo(43);
    assertThat(Files.readString(file).strip()).isEqualTo(token);
    assertThat(server.url().toString())
        .isEqualTo("http://127.0.0.1:" + server.port() + "/?token=" + token);
    server.close();

    start(DashboardServer.builder(backend).stateDirectory(state));
    assertThat(server.token()).isEqualTo(token);
  }

  @Test
  void aTokenFileReadableByOthersIsNarrowed() throws IOException {
    Path file = state.resolve("dashboard-token");
    Files.writeString(file, "a-token-someone-wrote-by-hand-0123456789\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    start(DashboardServer.builder(backend).stateDirectory(state));
    assertThat(server.token()).isEqualTo("a-token-someone-wrote-by-hand-0123456789");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void differentStateFoldersHaveDifferentTokens(@TempDir Path other) {
    String first = DashboardServer.builder(backend).stateDirectory(state).build().token();
    String second = DashboardServer.builder(backend).stateDirectory(other).build().token();
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void aBrowserWithoutTheTokenGetsThe401PageAndNoData() {
    start(DashboardServer.builder(backend));
    HttpResponse<String> page = Http.send(Http.request(server, "/").GET());
    assertThat(page.statusCode()).isEqualTo(401);
    assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(page.body()).contains("Token required").doesNotContain("app.js");
    assertThat(Http.send(Http.request(server, "/app.js").GET()).statusCode()).isEqualTo(401);
    assertThat(Http.send(Http.request(server, "/?token=wrong-token-0123456789").GET()).statusCode())
        .isEqualTo(401);
  }

  @Test
  void theFirstVisitSetsACookieAndDropsTheTokenFromTheAddress() {
    start(DashboardServer.builder(backend));
    HttpResponse<String> first =
        Http.send(Http.request(server, "/?token=" + server.token() + "&session=s1").GET());
    assertThat(first.statusCode()).isEqualTo(303);
    assertThat(first.headers().firstValue("Location").orElseThrow())
        .endsWith("/?session=s1")
        .doesNotContain(server.token());
    String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith("overnight_" + server.port() + "=")
        .contains("HttpOnly", "SameSite=Strict", "Path=/")
        .as("every server on this host receives the cookie: it must not carry the token")
        .doesNotContain(server.token());
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    HttpResponse<String> page = Http.send(Http.request(server, "/").header("Cookie", cookie));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"app.js\"");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'", "frame-ancestors 'none'");
    assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(Http.send(Http.request(server, "/api/status").header("Cookie", cookie)).statusCode())
        .isEqualTo(200);
    assertThat(
            Http.send(Http.request(server, "/api/status?token=" + server.token()).GET())
                .statusCode())
        .as("a client may also pass the token as a query parameter")
        .isEqualTo(200);
  }

  @Test
  void changesMustComeFromTheDashboardsOwnOrigin() {
    start(DashboardServer.builder(backend).allowedOrigin("https://overnight.example.org"));
    String cookie = browserCookie(server);
    String own = "http://127.0.0.1:" + server.port();

    HttpResponse<String> foreign =
        Http.send(
            Http.request(server, "/api/run-now")
                .header("Cookie", cookie)
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(foreign.statusCode()).isEqualTo(403);
    HttpResponse<String> noOrigin =
        Http.send(
            Http.request(server, "/api/run-now")
                .header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(noOrigin.statusCode())
        .as("a cookie alone, without an origin, does not change anything")
        .isEqualTo(403);
    HttpResponse<String> foreignWithToken =
        Http.send(
            Http.authorized(server, "/api/run-now")
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(foreignWithToken.statusCode()).isEqualTo(403);
    assertThat(backend.controlLog()).isEmpty();

    HttpResponse<String> fromPage =
        Http.send(
            Http.request(server, "/api/run-now")
                .header("Cookie", cookie)
                .header("Origin", own)
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(fromPage.statusCode()).isEqualTo(200);
    HttpResponse<String> fromProxy =
        Http.send(
            Http.request(server, "/api/run-now")
                .header("Cookie", cookie)
                .header("Origin", "https://overnight.example.org")
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(fromProxy.statusCode()).isEqualTo(200);
    HttpResponse<String> script =
        Http.send(
            Http.authorized(server, "/api/run-now").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(script.statusCode())
        .as("a client with the token in its header needs no origin")
        .isEqualTo(200);
    assertThat(backend.controlLog()).containsExactly("run_now", "run_now", "run_now");
  }

  @Test
  void aDashboardsCookieOpensThatDashboardOnlyNotOneOnAnotherPortWithTheSameToken()
      throws IOException {
    DashboardServer first = start(DashboardServer.builder(backend).stateDirectory(state));
    try (DashboardServer second =
        DashboardServer.builder(backend).stateDirectory(state).build().start()) {
      assertThat(second.token()).isEqualTo(first.token());
      String firstCookie = browserCookie(first);
      String secondCookie = browserCookie(second);
      assertThat(firstCookie).isNotEqualTo(secondCookie);

      assertThat(Http.send(Http.request(first, "/api/status").header("Cookie", firstCookie)))
          .extracting(HttpResponse::statusCode)
          .isEqualTo(200);
      assertThat(Http.send(Http.request(second, "/api/status").header("Cookie", firstCookie)))
          .as("a cookie another server on the host received is no use on another port")
          .extracting(HttpResponse::statusCode)
          .isEqualTo(401);
      String value = firstCookie.substring(firstCookie.indexOf('=') + 1);
      assertThat(
              Http.send(
                  Http.request(first, "/api/status").header("Authorization", "Bearer " + value)))
          .as("nor is its value a token")
          .extracting(HttpResponse::statusCode)
          .isEqualTo(401);
    }
  }

  @Test
  void theTokensFolderIsCreatedForItsOwnerOnly() throws IOException {
    Path folder = state.resolve("home/.local/state/overnight/nightly");
    start(DashboardServer.builder(backend).stateDirectory(folder));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
        .isEqualTo("rwx------");
    assertThat(server.tokenFile()).contains(folder.resolve("dashboard-token"));
  }

  @Test
  void onLoopbackOnlyLoopbackHostNamesAreAnswered() throws IOException {
    start(DashboardServer.builder(backend));
    assertThat(rawStatus("127.0.0.1:" + server.port())).isEqualTo(200);
    assertThat(rawStatus("localhost:" + server.port())).isEqualTo(200);
    assertThat(rawStatus("overnight.localhost:" + server.port()))
        .as("a name of its own, which browsers resolve to loopback, keeps its cookie apart")
        .isEqualTo(200);
    assertThat(rawStatus("localhost.attacker.example:" + server.port())).isEqualTo(403);
    assertThat(rawStatus("attacker.example:" + server.port()))
        .as("a page whose name was rebound to 127.0.0.1")
        .isEqualTo(403);
  }

  @Test
  void bindingAnotherAddressIsDeliberateAndStillNeedsTheToken() throws IOException {
    start(DashboardServer.builder(backend).bind("0.0.0.0"));
    assertThat(server.url().getHost()).isEqualTo("127.0.0.1");
    assertThat(rawStatus("my-laptop.lan:" + server.port())).isEqualTo(200);
    assertThat(Http.send(Http.request(server, "/api/status").GET()).statusCode()).isEqualTo(401);
  }

  @Test
  void badSettingsAreRefusedEarly() {
    assertThatThrownBy(() -> DashboardServer.builder(backend).token("short"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DashboardServer.builder(backend).port(70000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> DashboardServer.builder(backend).bind("no-such-host.invalid").build().start())
        .isInstanceOf(dev.overnight.api.OrchestrationException.class)
        .hasMessageContaining("no-such-host.invalid");
    start(DashboardServer.builder(backend));
    assertThatThrownBy(() -> DashboardServer.builder(backend).port(server.port()).build().start())
        .isInstanceOf(dev.overnight.api.OrchestrationException.class)
        .hasMessageContaining(String.valueOf(server.port()));
  }

  @Test
  void aServerStartsOnce() {
    DashboardServer once = DashboardServer.builder(backend).build();
    assertThatThrownBy(once::port).isInstanceOf(IllegalStateException.class);
    once.start();
    assertThatThrownBy(once::start).isInstanceOf(IllegalStateException.class);
    once.close();
    once.close();
    assertThatThrownBy(once::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  /** The cookie a browser keeps after its first visit with the token, as {@code name=value}. */
  private static String browserCookie(DashboardServer server) {
    HttpResponse<String> first = Http.send(Http.request(server, "/?token=" + server.token()).GET());
    String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  /** Sends a request with a chosen Host header (the JDK client does not allow setting it). */
  private int rawStatus(String host) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /api/status HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nAuthorization: Bearer "
                  + server.token()
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Integer.parseInt(response.substring(9, 12));
    }
  }
}
