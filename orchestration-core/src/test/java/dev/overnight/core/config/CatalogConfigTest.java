package dev.overnight.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.CatalogSettings;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.OrchestrationConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config's {@code catalog} section: relays and event kind, every problem with its path. */
class CatalogConfigTest {
  @TempDir Path dir;

  private ConfigLoader loader() {
    return ConfigLoader.builder()
        .environment(Map.of())
        .homeDirectory(dir.resolve("home"))
        .userName("dev")
        .build();
  }

  private static String config(String catalog) {
    return "{\"id\":\"t\",\"workspace_root\":\".\",\"schedule\":{\"expression\":\"0 2 * * *\"}"
        + (catalog.isEmpty() ? "" : ",\"catalog\":" + catalog)
        + "}";
  }

  private List<String> problems(String catalog) {
    return loader().result(config(catalog), dir, "test").problems().stream()
        .map(ConfigProblem::toString)
        .toList();
  }

  @Test
  void relaysAndKindAreRead() {
    OrchestrationConfig c =
        loader()
            .result(
                config(
                    "{\"relays\":[\"wss://relay.example.org\",\"ws://127.0.0.1:7000\"],\"kind\":30123}"),
                dir,
                "test")
            .config()
            .orElseThrow();
    assertThat(c.catalog())
        .isEqualTo(
            new CatalogSettings(
                List.of(URI.create("wss://relay.example.org"), URI.create("ws://127.0.0.1:7000")),
                30123));
  }

  @Test
  void withoutTheSectionThereAreNoRelaysAndTheDefaultKind() {
    OrchestrationConfig c = loader().result(config(""), dir, "test").config().orElseThrow();
    assertThat(c.catalog()).isEqualTo(CatalogSettings.none());
    assertThat(c.catalog().kind()).isEqualTo(30078);
  }

  @Test
  void everyProblemIsNamedWithItsPath() {
    assertThat(
            problems(
                "{\"relays\":[\"https://relay.example.org\",\"wss://ok.example\"],\"kind\":1,"
                    + "\"relay\":[]}"))
        .containsExactlyInAnyOrder(
            "/catalog/relays/0: \"https://relay.example.org\" is not a relay: use a ws:// or"
                + " wss:// URL",
            "/catalog/kind: 1 is out of range: must be a parameterized-replaceable kind, between"
                + " 30000 and 39999",
            "/catalog/relay: unknown key; did you mean \"relays\"?");
  }

  @Test
  void aWrittenConfigReadsBackTheSame() {
    OrchestrationConfig c =
        loader()
            .result(config("{\"relays\":[\"wss://relay.example.org\"]}"), dir, "test")
            .config()
            .orElseThrow();
    String written = ConfigWriter.toJson(c);
    assertThat(written).contains("\"catalog\"");
    assertThat(loader().result(written, dir, "test").config().orElseThrow().catalog())
        .isEqualTo(c.catalog());
  }
}
