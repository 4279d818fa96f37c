package dev.overnight.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.examples.ExampleRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcpAgentExampleTest {
  @TempDir Path tmp;

  @Test
  void theConfiguredCommandRunsOnePromptInTheFolder() throws Exception {
    ExampleRun run = ExampleRun.of(AcpAgentExample.class, tmp);

    assertThat(run.stdout()).as(run.stderr()).hasSize(4);
    assertThat(run.stdout().get(0)).startsWith("Availability: scripted: ").endsWith(" found");
    assertThat(run.stdout().get(1)).matches("Session \\S+ started");
    assertThat(run.stdout().subList(2, 4))
        .containsExactly("Turn ended: end_turn", "Changed in the folder: ?? hello.txt");
  }
}
