package dev.overnight.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real child JVM that exits mid-cycle: its shutdown hook must release keep-awake. */
class KeepAwakeShutdownHookTest {

  @Test
  void aProcessExitingDuringACycleReleasesKeepAwake() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ExitDuringCycleMain.class.getName())
            .redirectErrorStream(true)
            .start();
    try {
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
      List<String> lines =
          new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(l -> l.equals("released") || l.equals("exiting") || l.startsWith("acquired"))
              .toList();
      assertThat(lines)
          .containsExactly("acquired: Overnight exiting: cycle-1", "exiting", "released");
      assertThat(child.exitValue()).isZero();
    } finally {
      child.destroyForcibly();
    }
  }
}
