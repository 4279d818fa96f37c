package dev.overnight.nostr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tests' node programs (installed by the build from {@code src/test/node}): a real relay
 * started per test class, and nostr-tools run as any other client would run it.
 */
final class Node {
  static final Path DIR =
      Path.of(System.getProperty("overnight.nostr.nodeDir", "src/test/node")).toAbsolutePath();

  private Node() {}

  /** A running relay process; closing it ends the process. */
  static final class Relay implements AutoCloseable {
    private final Process process;
    final URI uri;

    private Relay(Process process, URI uri) {
      this.process = process;
      this.uri = uri;
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts {@code node relay.mjs MODE ARGS...} and waits for the port it listens on. */
  static Relay relay(String mode, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("node", "relay.mjs", mode));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(DIR.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the relay's first line").startsWith("listening ");
    // Keep reading its output so it never blocks on a full pipe.
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // discarded
                }
              } catch (IOException e) {
                // The relay ended.
              }
            });
    drain.setDaemon(true);
    drain.start();
    return new Relay(p, URI.create("ws://127.0.0.1:" + line.substring("listening ".length())));
  }

  /** Runs {@code node SCRIPT} with {@code input} on standard input; its standard output. */
  static String run(String script, String input) {
    try {
      Process p =
          new ProcessBuilder("node", script)
              .directory(DIR.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try (Writer w = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
        w.write(input);
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(script + " exit code").isZero();
      return output.strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** nostr-tools' verdict on each event: "valid ID" or "invalid ID", one a line. */
  static List<String> verify(List<NostrEvent> events) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < events.size(); i++) {
      json.append(i == 0 ? "" : ",").append(events.get(i).toJson());
    }
    return run("verify.mjs", json.append("]").toString()).lines().toList();
  }
}
