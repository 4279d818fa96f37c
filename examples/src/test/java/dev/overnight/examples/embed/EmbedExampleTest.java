package dev.overnight.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.examples.ExampleRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedExampleTest {
  @TempDir Path tmp;

  @Test
  void runsTheEnqueuedTaskOnSqliteAndReadsItBackAfterTheRuntimeClosed() throws Exception {
    ExampleRun run = ExampleRun.of(EmbedExample.class, tmp);

    assertThat(run.stdout()).as(run.stderr()).first().isEqualTo("Store: sqlite (overnight.db)");
    assertThat(run.stdout())
        .anyMatch(line -> line.matches("Enqueued [0-9a-f]{8}: Write hello.txt"))
        .contains("Started: Write hello.txt with scripted", "Ended: Write hello.txt, completed")
        .anyMatch(
            line -> line.matches("Read back: COMPLETED on branch overnight/write-hello-txt-.+"))
        .endsWith("hello.txt there says: Hello from the night shift.");
    // The decision engine that never decides keeps the run to the one enqueued task.
    assertThat(run.stdout()).filteredOn(line -> line.startsWith("Started:")).hasSize(1);
  }
}
