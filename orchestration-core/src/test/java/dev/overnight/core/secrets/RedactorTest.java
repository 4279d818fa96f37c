package dev.overnight.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.json.OvernightJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  @Test
  void anAuthorIsNoSecretButAKeyIs() {
    Redactor r =
        Redactor.forEnvironment(
            Map.of(
                "GIT_AUTHOR_NAME", "Jane Developer",
                "GIT_AUTHOR_EMAIL", "jane@example.com",
                "OPENAI_KEY", "key-0123456789",
                "PROXY_AUTH", "user:hunter22"));

    assertThat(r.redact("Jane Developer <jane@example.com> used key-0123456789 via user:hunter22"))
        .isEqualTo(
            "Jane Developer <jane@example.com> used [REDACTED:OPENAI_KEY] via"
                + " [REDACTED:PROXY_AUTH]");
  }

  @Test
  void aRuntimesRedactorAlsoTakesOutTheKeysItsConfigGivesTheAgents() {
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of("/repo"))
            .agents(
                Map.of(
                    "worker",
                    new AgentCommand(
                        ConfigValue.of("worker-acp"),
                        List.of(),
                        Map.of("WORKER_API_KEY", "cfg-key-0123456789", "WORKER_MODEL", "big-model"),
                        Optional.empty())))
            .build();

    Redactor r = Redactor.forConfig(config, Map.of("GH_TOKEN", "env-token-0123456789"));

    assertThat(r.redact("cfg-key-0123456789 env-token-0123456789 big-model"))
        .isEqualTo("[REDACTED:WORKER_API_KEY] [REDACTED:GH_TOKEN] big-model");
  }

  @Test
  void aJsonTreeIsCopiedWithEveryStringRedactedAndLeftAsItIsWithoutSecrets() {
    Redactor r = Redactor.forEnvironment(Map.of("MY_SERVICE_TOKEN", "supersecretvalue123"));
    JsonNode update =
        OvernightJson.read(
            "{\"sessionUpdate\":\"tool_call_update\",\"content\":[{\"type\":\"content\","
                + "\"content\":{\"type\":\"text\",\"text\":\"token=supersecretvalue123\"}}],"
                + "\"rawOutput\":{\"stdout\":\"supersecretvalue123\",\"code\":0}}");
    String before = update.toString();

    JsonNode clean = r.redact(update);

    assertThat(clean.toString())
        .doesNotContain("supersecretvalue123")
        .contains(
            "\"text\":\"token=[REDACTED:MY_SERVICE_TOKEN]\"",
            "\"stdout\":\"[REDACTED:MY_SERVICE_TOKEN]\"",
            "\"code\":0");
    assertThat(update.toString()).as("the original is not changed").isEqualTo(before);
    JsonNode harmless = OvernightJson.read("{\"a\":[\"b\",{\"c\":1}]}");
    assertThat(r.redact(harmless)).isSameAs(harmless);
  }

  @Test
  void mapValuesAreRedactedInTheirOrder() {
    Redactor r = Redactor.forEnvironment(Map.of("MY_SERVICE_TOKEN", "supersecretvalue123"));
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("gate", "failed: supersecretvalue123");
    facts.put("branch", "overnight/x");

    assertThat(r.redactValues(facts))
        .containsExactly(
            Map.entry("gate", "failed: [REDACTED:MY_SERVICE_TOKEN]"),
            Map.entry("branch", "overnight/x"));
    Map<String, String> clean = Map.of("branch", "overnight/x");
    assertThat(r.redactValues(clean)).isSameAs(clean);
  }
}
