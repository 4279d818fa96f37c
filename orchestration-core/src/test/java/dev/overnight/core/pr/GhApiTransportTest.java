package dev.overnight.core.pr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What {@code gh api --include} prints read as GitHub's answer: the status, the headers, the body
 * as sent, so "not modified" and "not found" read as they do over HTTP.
 */
class GhApiTransportTest {

  @Test
  void aStatusLineHeadersAndABodyAreOneAnswer() {
    String printed =
        "HTTP/2.0 200 OK\r\n"
            + "Content-Type: application/json; charset=utf-8\r\n"
            + "Etag: \"abc\"\r\n"
            + "\r\n"
            + "[{\"body\":\"one\\n\\ntwo\"}]\n\nafter a blank line";

    GitHubTransport.Reply reply = GhApiTransport.parse(printed, "").orElseThrow();

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("ETag")).contains("\"abc\"");
    assertThat(reply.header("content-type")).contains("application/json; charset=utf-8");
    assertThat(reply.body()).isEqualTo("[{\"body\":\"one\\n\\ntwo\"}]\n\nafter a blank line");
  }

  @Test
  void anAnswerWithoutABodyKeepsItsStatusAndWhatGhSaid() {
    GitHubTransport.Reply reply =
        GhApiTransport.parse("HTTP/1.1 304 Not Modified\r\nEtag: \"abc\"\r\n\r\n", "gh: HTTP 304")
            .orElseThrow();

    assertThat(reply.status()).isEqualTo(304);
    assertThat(reply.body()).isEmpty();
    assertThat(reply.note()).isEqualTo("gh: HTTP 304");
  }

  @Test
  void outputWithoutAStatusLineIsNoAnswer() {
    assertThat(GhApiTransport.parse("", "")).isEmpty();
    assertThat(GhApiTransport.parse("error connecting to 127.0.0.1\n", "")).isEmpty();
    assertThat(GhApiTransport.parse("HTTP/2.0 abc\r\n\r\n", "")).isEmpty();
  }
}
