package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.overnight.core.spi.ProviderLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code overnight notify test} against webhook, Slack and ntfy receivers on 127.0.0.1: each one
 * gets the test message in its own format, each result is printed, and one receiver failing makes
 * the exit code non-zero without keeping the others from their message.
 */
class NotifyTestCommandTest {
  @TempDir Path dir;

  private HttpServer server;
  private final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void receivers() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String path = exchange.getRequestURI().getPath();
          received.add(path + " " + body);
          int status = path.equals("/broken") ? 500 : 200;
          byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private Path config(String notifications) throws IOException {
    Path workspace = Files.createDirectories(dir.resolve("repo"));
    Path file = dir.resolve("overnight.json");
    Files.writeString(
        file,
        "{\"id\":\"notify-check\",\"workspace_root\":\""
            + workspace
            + "\",\"state_dir\":\""
            + dir.resolve("state")
            + "\",\"schedule\":{\"expression\":\"0 2 * * *\"},\"notifications\":["
            + notifications
            + "]}");
    return file;
  }

  private CliRun notifyTest(Map<String, String> environment, Path config) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli =
        new CommandLine(new NotifyTestCommand(environment, ProviderLoader.standard()));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("--config", config.toString());
    return new CliRun(code, out.toString(), err.toString());
  }

  @Test
  void everyReceiverGetsTheTestMessageAndEachResultIsPrinted() throws Exception {
    Path config =
        config(
            "{\"type\":\"webhook\",\"url_env\":\"HOOK_URL\"},"
                + "{\"type\":\"slack\",\"url_env\":\"SLACK_URL\"},"
                + "{\"type\":\"ntfy\",\"server\":\""
                + url("")
                + "\",\"topic\":\"night-check\",\"on\":[\"needs_human\"]}");

    CliRun run = notifyTest(Map.of("HOOK_URL", url("/hook"), "SLACK_URL", url("/slack")), config);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out())
        .contains("sent   /notifications/0")
        .contains("sent   /notifications/1")
        .contains("sent   /notifications/2")
        .contains("Every notifier sent the test message.");
    assertThat(received).hasSize(3);
    assertThat(received)
        .anySatisfy(
            r ->
                assertThat(r).startsWith("/hook ").contains("\"title\":\"Overnight test message\""))
        .anySatisfy(r -> assertThat(r).startsWith("/slack ").contains("Overnight test message"))
        .anySatisfy(r -> assertThat(r).startsWith("/night-check ").contains("notify-check"));
  }

  @Test
  void aFailingReceiverOrAnUnsetVariableExitsNonZeroAndTheOthersStillGetTheMessage()
      throws Exception {
    Path config =
        config(
            "{\"type\":\"webhook\",\"url_env\":\"BROKEN_URL\"},"
                + "{\"type\":\"webhook\",\"url_env\":\"HOOK_URL\"}");

    CliRun failing =
        notifyTest(Map.of("BROKEN_URL", url("/broken"), "HOOK_URL", url("/hook")), config);
    CliRun unset = notifyTest(Map.of("HOOK_URL", url("/hook")), config);

    assertThat(failing.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(failing.out())
        .contains("failed /notifications/0")
        .contains("500")
        .contains("sent   /notifications/1")
        .contains("1 of 2 notifiers failed.");
    assertThat(received)
        .extracting(r -> r.substring(0, r.indexOf(' ')))
        .containsExactly("/broken", "/hook");
    assertThat(unset.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(unset.err()).contains("/notifications/0").contains("BROKEN_URL");
  }
}
