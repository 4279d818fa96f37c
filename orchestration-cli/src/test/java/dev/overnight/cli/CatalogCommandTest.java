package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.core.pipeline.PipelineLoader;
import dev.overnight.fakes.ScriptedAgent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code overnight catalog publish|search|install} against a real Nostr relay from npm (the one the
 * Nostr module's tests run): publish, find, install, show, and a run refused until the installed
 * manifest's hash is accepted.
 */
class CatalogCommandTest {
  private static final Path NODE =
      Path.of(System.getProperty("overnight.nostr.nodeDir", "../orchestration-nostr/src/test/node"))
          .toAbsolutePath();
  private static final String TIDY =
      "name: tidy\ndescription: Tidy the changelog.\nsteps:\n"
          + "  - {id: tidy, op: agent_turn, with: {prompt: Tidy CHANGELOG.md.}}\n";

  @TempDir Path dir;
  Process relay;
  String relayUri;

  @BeforeEach
  void startRelay() throws IOException {
    relay =
        new ProcessBuilder("node", "relay.mjs", "relay")
            .directory(NODE.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String line =
        new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    assertThat(line).startsWith("listening ");
    relayUri = "ws://127.0.0.1:" + line.substring("listening ".length());
  }

  @AfterEach
  void stopRelay() throws InterruptedException {
    relay.destroy();
    if (!relay.waitFor(10, TimeUnit.SECONDS)) {
      relay.destroyForcibly();
    }
  }

  private Path config(Path folder, String relay) throws IOException {
    Files.createDirectories(folder);
    Path config =
        WorkerSetup.config(
            folder,
            WorkerSetup.repository(folder).dir(),
            folder.resolve("state"),
            ScriptedAgent.argv("--script-json", "{\"steps\": [{\"message\": \"Done.\"}]}"));
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(config.toFile());
    root.putObject("catalog").putArray("relays").add(relay);
    json.writeValue(config.toFile(), root);
    return config;
  }

  private static CliRun cli(Path config, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static String naddrIn(String text) {
    Matcher m = Pattern.compile("naddr1[02-9ac-hj-np-z]+").matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return m.group();
  }

  @Test
  void publishSearchInstallShowAndRunOnlyOnceAccepted() throws Exception {
    Path publisher = config(dir.resolve("publisher"), relayUri);
    Path manifest = Files.writeString(dir.resolve("tidy.yaml"), TIDY);
    String hash = PipelineLoader.hash(TIDY);

    CliRun publish = cli(publisher, "catalog", "publish", manifest.toString(), "--tag", "docs");
    assertThat(publish.exitCode()).as(publish.err()).isZero();
    assertThat(publish.out())
        .contains("Published tidy (hash " + hash.substring(0, 12) + ")")
        .contains("taken by " + relayUri);
    Path key = dir.resolve("publisher/state/nostr/key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    String naddr = naddrIn(publish.out());

    Path user = config(dir.resolve("user"), relayUri);
    CliRun search = cli(user, "catalog", "search", "changelog");
    assertThat(search.exitCode()).as(search.err()).isZero();
    assertThat(search.out()).contains("tidy  Tidy the changelog.  [docs]  by ");
    assertThat(naddrIn(search.out())).isEqualTo(naddr);
    assertThat(cli(user, "catalog", "search", "--tag", "docs").out()).contains("tidy");
    assertThat(cli(user, "catalog", "search", "--tag", "rust").out())
        .contains("No manifest found.");

    CliRun install = cli(user, "catalog", "install", naddr);
    assertThat(install.exitCode()).as(install.err()).isZero();
    assertThat(install.out())
        .contains("prompt: Tidy CHANGELOG.md.")
        .contains("Hash: " + hash)
        .contains("Installed tidy from event ");

    CliRun show = cli(user, "pipeline", "show", "tidy");
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out())
        .contains("Hash: " + hash)
        .contains("Installed from nostr:naddr1")
        .contains("Within this config's policy.");
    assertThat(cli(user, "pipeline", "list").out()).contains("tidy  [" + hash.substring(0, 12));

    CliRun refused = cli(user, "pipeline", "run", "tidy");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.err()).contains("not accepted: its hash is " + hash.substring(0, 12));

    CliRun run = cli(user, "pipeline", "run", "tidy", "--accept", hash.substring(0, 12));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Queued pipeline tidy");
  }

  @Test
  void badAddressesAndUnreachableRelaysSayWhy() throws Exception {
    int free;
    try (ServerSocket s = new ServerSocket(0)) {
      free = s.getLocalPort();
    }
    Path config = config(dir.resolve("user"), "ws://127.0.0.1:" + free);

    CliRun bad = cli(config, "catalog", "install", "npub1notanaddress");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("not an naddr");

    Path manifest = Files.writeString(dir.resolve("tidy.yaml"), TIDY);
    CliRun publish = cli(config, "catalog", "publish", manifest.toString());
    assertThat(publish.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(publish.err())
        .contains("no relay took the manifest tidy")
        .contains("connection refused");

    CliRun search = cli(config, "catalog", "search");
    assertThat(search.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(search.err()).contains("no relay answered");
  }
}
