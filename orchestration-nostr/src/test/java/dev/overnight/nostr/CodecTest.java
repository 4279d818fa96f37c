package dev.overnight.nostr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.nostr.internal.Bech32;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bech32 against BIP-173's vectors, and NIP-19 {@code naddr} against nostr-tools both ways. */
class CodecTest {
  private static final String AUTHOR =
      "7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e";

  @Test
  void bip173ValidStringsDecodeAndEncodeBack() {
    for (String valid :
        List.of(
            "a12uel5l",
            "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
            "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
            "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w")) {
      Bech32.Decoded d = Bech32.decode(valid);
      assertThat(Bech32.encode(d.hrp(), d.data())).as(valid).isEqualTo(valid);
    }
    assertThat(Bech32.decode("A12UEL5L").hrp()).isEqualTo("a");
  }

  @Test
  void bip173InvalidStringsAreRefusedWithWhy() {
    assertThatThrownBy(() -> Bech32.decode("pzry9x0s0muk")).hasMessageContaining("human-readable");
    assertThatThrownBy(() -> Bech32.decode("1pzry9x0s0muk")).hasMessageContaining("human-readable");
    assertThatThrownBy(() -> Bech32.decode("x1b4n0q5v")).hasMessageContaining("'b'");
    assertThatThrownBy(() -> Bech32.decode("A1G7SGD8")).hasMessageContaining("checksum");
    assertThatThrownBy(() -> Bech32.decode("a12UEL5L")).hasMessageContaining("mixes");
    assertThatThrownBy(() -> Bech32.decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx"))
        .hasMessageContaining("checksum");
  }

  @Test
  void anNaddrRoundTripsAndMatchesNostrTools() {
    Naddr address =
        new Naddr(
            "upgrade-dependency",
            AUTHOR,
            30078,
            List.of(URI.create("wss://relay.example.org"), URI.create("ws://127.0.0.1:7000")));
    String ours = address.encode();
    assertThat(ours).startsWith("naddr1");
    assertThat(Naddr.decode(ours)).isEqualTo(address);
    assertThat(Naddr.decode("nostr:" + ours)).isEqualTo(address);

    String theirs =
        Node.run(
            "nip19.mjs",
            "{\"encode\": {\"identifier\": \"upgrade-dependency\", \"pubkey\": \""
                + AUTHOR
                + "\", \"kind\": 30078, \"relays\": [\"wss://relay.example.org\","
                + " \"ws://127.0.0.1:7000\"]}}");
    assertThat(ours).isEqualTo(theirs);

    JsonNode decoded = OvernightJson.read(Node.run("nip19.mjs", "{\"decode\": \"" + ours + "\"}"));
    assertThat(decoded.path("type").asText()).isEqualTo("naddr");
    assertThat(decoded.path("identifier").asText()).isEqualTo("upgrade-dependency");
    assertThat(decoded.path("pubkey").asText()).isEqualTo(AUTHOR);
    assertThat(decoded.path("kind").asInt()).isEqualTo(30078);
    assertThat(decoded.path("relays").get(1).asText()).isEqualTo("ws://127.0.0.1:7000");
  }

  @Test
  void whatIsNotAnNaddrSaysWhy() {
    assertThatThrownBy(() -> Naddr.decode("naddr1qqqqqq")).hasMessageStartingWith("not an naddr: ");
    String npub = Bech32.encode("npub", new byte[32]);
    assertThatThrownBy(() -> Naddr.decode(npub)).hasMessageContaining("not an naddr but an npub");
    String noKind = Bech32.encode("naddr", new byte[] {0, 1, 'x'});
    assertThatThrownBy(() -> Naddr.decode(noKind)).hasMessageContaining("lacks its author");
    String identifierTooLong = "x".repeat(256);
    assertThatThrownBy(() -> new Naddr(identifierTooLong, AUTHOR, 30078, List.of()).encode())
        .hasMessageContaining("at most 255 bytes");
    assertThat(identifierTooLong.getBytes(StandardCharsets.UTF_8)).hasSize(256);
  }
}
