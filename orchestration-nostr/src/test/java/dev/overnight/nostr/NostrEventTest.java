package dev.overnight.nostr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events signed here are sound by our checks and by nostr-tools'; changed ones are not. */
class NostrEventTest {
  @TempDir Path dir;

  @Test
  void signedEventsAreSoundHereAndForNostrTools() {
    NostrIdentity key = NostrIdentity.loadOrCreate(dir.resolve("key"));
    NostrEvent plain =
        key.sign(1_700_000_000L, 30078, List.of(List.of("d", "tidy")), "name: tidy\n");
    NostrEvent awkward =
        key.sign(
            1_700_000_001L,
            30078,
            List.of(List.of("d", "x"), List.of("t", "ünïcode"), List.of("summary", "a \"b\" \\ c")),
            "tabs\tquotes\" back\\slash\r\nnul-ish \u0001 \u001f del \u007f emoji 🌙 line\u2028sep\f\b");

    assertThat(plain.problem()).isEmpty();
    assertThat(awkward.problem()).isEmpty();
    assertThat(plain.pubkey()).isEqualTo(key.publicKey());
    assertThat(Node.verify(List.of(plain, awkward)))
        .containsExactly("valid " + plain.id(), "valid " + awkward.id());
  }

  @Test
  void aChangedContentOrSignatureIsCaught() {
    NostrIdentity key = NostrIdentity.loadOrCreate(dir.resolve("key"));
    NostrEvent e = key.sign(1_700_000_000L, 30078, List.of(List.of("d", "tidy")), "name: tidy\n");
    NostrEvent changed =
        new NostrEvent(
            e.id(), e.pubkey(), e.createdAt(), e.kind(), e.tags(), "name: evil\n", e.sig());
    String otherSig = (e.sig().charAt(0) == '0' ? "1" : "0") + e.sig().substring(1);
    NostrEvent forged =
        new NostrEvent(
            e.id(), e.pubkey(), e.createdAt(), e.kind(), e.tags(), e.content(), otherSig);
    NostrEvent otherAuthor =
        NostrIdentity.loadOrCreate(dir.resolve("other"))
            .sign(1_700_000_000L, 30078, List.of(List.of("d", "tidy")), "name: tidy\n");
    NostrEvent stolen =
        new NostrEvent(
            otherAuthor.id(),
            e.pubkey(),
            e.createdAt(),
            e.kind(),
            e.tags(),
            e.content(),
            otherAuthor.sig());

    assertThat(changed.problem())
        .contains("its id is not the hash of its content (changed on the way?)");
    assertThat(forged.problem()).contains("its signature is not its author's (forged?)");
    assertThat(stolen.problem()).isPresent();
    assertThat(Node.verify(List.of(changed, forged)))
        .containsExactly("invalid " + e.id(), "invalid " + e.id());
  }

  @Test
  void eventsReadBackFromJsonAsTheyWere() {
    NostrIdentity key = NostrIdentity.loadOrCreate(dir.resolve("key"));
    NostrEvent e =
        key.sign(1_700_000_000L, 30078, List.of(List.of("d", "tidy"), List.of("t", "a")), "x");
    assertThat(NostrEvent.fromJson(e.toJson())).isEqualTo(e);
    assertThat(e.tag("d")).contains("tidy");
    assertThat(e.tagValues("t")).containsExactly("a");
  }
}
