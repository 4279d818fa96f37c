package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void secretNamedVariablesAndCredentialShapesAreRemoved() {
    Redactor r =
        Redactor.forEnvironment(
            Map.of(
                "ANTHROPIC_API_KEY", "ant-0123456789",
                "GITHUB_TOKEN", "tok\"with\\quotes",
                "HOME", "/home/someone-long-enough",
                "SHORT_TOKEN", "abc"));
    String text =
        "{\"a\":\"ant-0123456789\",\"b\":\"tok\\\"with\\\\quotes\",\"home\":\"/home/someone-long-enough\","
            + "\"c\":\"sk-proj-ABCDEFGHIJKLMNOPQRSTUV\",\"d\":\"Bearer abcdefghijklmnopqrstuvwxyz\","
            + "\"e\":\"ghp_0123456789abcdefghijABCDEFGHIJ\",\"f\":\"abc\"}";
    String out = r.redact(text);
    assertThat(out)
        .contains("[REDACTED:ANTHROPIC_API_KEY]", "[REDACTED:GITHUB_TOKEN]")
        .contains("/home/someone-long-enough", "\"f\":\"abc\"")
        .doesNotContain("ant-0123456789", "sk-proj-", "abcdefghijklmnopqrstuvwxyz", "ghp_");
  }

  @Test
  void textWithoutSecretsIsReturnedUnchanged() {
    String text = "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\"}";
    assertThat(Redactor.forEnvironment(Map.of()).redact(text)).isSameAs(text);
  }
}
