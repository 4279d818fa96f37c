package dev.overnight.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code shown in README.md and docs/*.md, compiled and run. */
class EmbeddingExampleTest {
  @TempDir Path dir;

  @Test
  void loadAConfig() throws IOException {
    Path file = dir.resolve("overnight.json");
    Files.writeString(
        file,
        "{\"id\":\"nightly\",\"workspace_root\":\".\",\"schedule\":{\"expression\":\"*/30 1-5 * * *\","
            + "\"window_start\":\"01:00\",\"window_end\":\"05:00\"}}");
    // tag::load-config[]
    try {
      OrchestrationConfig config = ConfigLoader.standard().load(file);
      System.out.println(config.id() + " runs " + config.schedule().expression());
    } catch (ConfigException e) {
      e.problems().forEach(p -> System.err.println(p)); // "/schedule/window_start: ..."
    }
    // end::load-config[]
    assertThat(ConfigLoader.standard().load(file).id()).isEqualTo("nightly");
  }
}
