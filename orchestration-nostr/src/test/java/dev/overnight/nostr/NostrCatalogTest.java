package dev.overnight.nostr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.overnight.api.config.CatalogSettings;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.nostr.internal.RelayConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing, searching and fetching manifests against a real relay ({@code @nostr-relay/core},
 * which checks every event itself), with every event we publish also checked by nostr-tools; and
 * the relays that fail: down, answering garbage, serving a forged event, refusing a large one.
 */
class NostrCatalogTest {
  private static final String TIDY = "name: tidy\ndescription: Tidy the changelog.\n";
  private static final Instant T0 = Instant.parse("2026-12-01T02:00:00Z");

  @TempDir Path dir;
  Node.Relay relay;
  NostrIdentity key;

  @BeforeEach
  void startRelay() throws IOException {
    relay = Node.relay("relay");
    key = NostrIdentity.loadOrCreate(dir.resolve("nostr/key"));
  }

  @AfterEach
  void stopRelay() {
    relay.close();
  }

  private static NostrCatalog catalog(Instant now, URI... relays) {
    return NostrCatalog.of(
            new CatalogSettings(List.of(relays), CatalogSettings.DEFAULT_KIND),
            Clock.fixed(now, ZoneOffset.UTC))
        .withTimeout(Duration.ofSeconds(10));
  }

  @Test
  void aPublishedManifestIsFoundAndFetchedByItsAddress() {
    NostrCatalog catalog = catalog(T0, relay.uri);

    NostrCatalog.Published published =
        catalog.publish(key, "tidy", "Tidy the changelog.", List.of("Docs", "changelog"), TIDY);

    assertThat(published.accepted()).containsOnlyKeys(relay.uri);
    assertThat(published.refused()).isEmpty();
    assertThat(Node.verify(List.of(published.event())))
        .containsExactly("valid " + published.event().id());
    assertThat(published.event().kind()).isEqualTo(30078);
    assertThat(published.event().tag("d")).contains("tidy");
    assertThat(published.event().tagValues("t"))
        .containsExactly(NostrCatalog.TOPIC, "docs", "changelog");
    assertThat(published.address())
        .isEqualTo(new Naddr("tidy", key.publicKey(), 30078, List.of(relay.uri)));

    NostrCatalog.Found byWords = catalog.search(List.of("CHANGELOG", "tidy"), Optional.empty());
    assertThat(byWords.problems()).isEmpty();
    assertThat(byWords.listings()).extracting(NostrCatalog.Listing::name).containsExactly("tidy");
    assertThat(byWords.listings().get(0).description()).isEqualTo("Tidy the changelog.");
    assertThat(byWords.listings().get(0).topics()).containsExactly("docs", "changelog");
    assertThat(catalog.search(List.of("kubernetes"), Optional.empty()).listings()).isEmpty();
    assertThat(catalog.search(List.of(), Optional.of("docs")).listings()).hasSize(1);
    assertThat(catalog.search(List.of(), Optional.of("rust")).listings()).isEmpty();

    NostrCatalog.Listing fetched = catalog(T0).fetch(Naddr.decode(published.address().encode()));
    assertThat(fetched.manifest()).isEqualTo(TIDY);
    assertThat(fetched.event()).isEqualTo(published.event());
  }

  @Test
  void publishingTheSameNameAgainReplacesIt() {
    NostrCatalog.Published first =
        catalog(T0, relay.uri).publish(key, "tidy", "v1", List.of(), TIDY);
    NostrCatalog.Published second =
        catalog(T0.plusSeconds(60), relay.uri)
            .publish(key, "tidy", "v2", List.of(), TIDY + "# v2\n");

    assertThat(Node.verify(List.of(first.event(), second.event())))
        .containsExactly("valid " + first.event().id(), "valid " + second.event().id());
    assertThat(catalog(T0, relay.uri).search(List.of(), Optional.empty()).listings())
        .extracting(NostrCatalog.Listing::description)
        .containsExactly("v2");
    assertThat(catalog(T0, relay.uri).fetch(first.address()).manifest()).endsWith("# v2\n");
  }

  @Test
  void aRelayThatIsDownIsAClearErrorAndTheOthersStillServe() throws IOException {
    URI down;
    try (ServerSocket s = new ServerSocket(0)) {
      down = URI.create("ws://127.0.0.1:" + s.getLocalPort());
    }

    assertThatThrownBy(() -> catalog(T0, down).publish(key, "tidy", "", List.of(), TIDY))
        .isInstanceOf(NostrException.class)
        .hasMessageContaining("no relay took the manifest tidy")
        .hasMessageContaining("cannot reach the relay " + down + ": connection refused");

    NostrCatalog.Published p =
        catalog(T0, down, relay.uri).publish(key, "tidy", "", List.of(), TIDY);
    assertThat(p.accepted()).containsOnlyKeys(relay.uri);
    assertThat(p.refused().get(down)).contains("connection refused");

    NostrCatalog.Found found = catalog(T0, down, relay.uri).search(List.of(), Optional.empty());
    assertThat(found.listings()).hasSize(1);
    assertThat(found.problems()).singleElement().asString().contains("cannot reach the relay");
  }

  @Test
  void aRelayAnsweringGarbageIsAClearError() throws Exception {
    try (Node.Relay garbage = Node.relay("garbage")) {
      assertThatThrownBy(() -> catalog(T0, garbage.uri).publish(key, "tidy", "", List.of(), TIDY))
          .isInstanceOf(NostrException.class)
          .hasMessageContaining(
              "the relay "
                  + garbage.uri
                  + " answered with something that is not a Nostr message: <html>502 Bad"
                  + " Gateway</html>");
      assertThatThrownBy(() -> catalog(T0, garbage.uri).search(List.of(), Optional.empty()))
          .isInstanceOf(NostrException.class)
          .hasMessageContaining("no relay answered")
          .hasMessageContaining("not a Nostr message");
    }
  }

  @Test
  void aForgedEventIsRefusedNeverUsed() throws Exception {
    try (Node.Relay forged = Node.relay("forged")) {
      NostrCatalog.Published p = catalog(T0, forged.uri).publish(key, "tidy", "", List.of(), TIDY);

      assertThatThrownBy(() -> catalog(T0).fetch(p.address()))
          .isInstanceOf(NostrException.class)
          .hasMessageContaining("no sound event for tidy")
          .hasMessageContaining("fails its checks: its signature is not its author's (forged?)");
      NostrCatalog.Found found = catalog(T0, forged.uri).search(List.of(), Optional.empty());
      assertThat(found.listings()).isEmpty();
      assertThat(found.problems()).singleElement().asString().contains("forged?");
    }
  }

  @Test
  void theRelayRefusesAForgedEventAndSaysWhy() {
    NostrEvent e = key.sign(T0.getEpochSecond(), 30078, List.of(List.of("d", "tidy")), TIDY);
    String otherSig = (e.sig().charAt(0) == '0' ? "1" : "0") + e.sig().substring(1);
    NostrEvent forged =
        new NostrEvent(
            e.id(), e.pubkey(), e.createdAt(), e.kind(), e.tags(), e.content(), otherSig);

    try (RelayConnection c = RelayConnection.open(relay.uri, Duration.ofSeconds(10))) {
      c.send(OvernightJson.array().add("EVENT").add(forged.toJson()));
      ArrayNode ok = c.next();
      assertThat(ok.get(0).asText()).isEqualTo("OK");
      assertThat(ok.get(2).asBoolean()).isFalse();
      assertThat(ok.get(3).asText()).isEqualTo("invalid: nostr-tools refused it");
    }
    assertThat(catalog(T0, relay.uri).search(List.of(), Optional.empty()).listings()).isEmpty();
  }

  @Test
  void anOversizedEventIsRefusedBeforeItIsSentAndARelaysOwnLimitIsNamed() throws Exception {
    String huge = TIDY + "# " + "x".repeat(NostrCatalog.MAX_EVENT_BYTES) + "\n";
    assertThatThrownBy(() -> catalog(T0, relay.uri).publish(key, "tidy", "", List.of(), huge))
        .isInstanceOf(NostrException.class)
        .hasMessageContaining("relays take at most 65536: make the manifest smaller");

    try (Node.Relay small = Node.relay("relay", "4096")) {
      String large = TIDY + "# " + "x".repeat(8000) + "\n";
      assertThatThrownBy(() -> catalog(T0, small.uri).publish(key, "tidy", "", List.of(), large))
          .isInstanceOf(NostrException.class)
          .hasMessageContaining("the relay " + small.uri + " closed the connection (1009");
    }
  }

  @Test
  void withoutRelaysTheCommandsSayWhatToConfigure() {
    assertThatThrownBy(() -> catalog(T0).publish(key, "tidy", "", List.of(), TIDY))
        .isInstanceOf(NostrException.class)
        .hasMessageContaining("no relays configured");
    assertThatThrownBy(
            () -> catalog(T0).fetch(new Naddr("tidy", key.publicKey(), 30078, List.of())))
        .hasMessageContaining("no relay to ask");
  }
}
