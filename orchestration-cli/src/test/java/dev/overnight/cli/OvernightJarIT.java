package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged runnable jar works as a real process, as the launcher runs it. */
class OvernightJarIT {
  static final Path MODULE = Path.of(System.getProperty("overnight.moduleDir", "."));

  private static String[] run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(MODULE.resolve("target/overnight.jar").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String[] {String.valueOf(p.exitValue()), output};
  }

  @Test
  void validatesEveryExampleConfig() throws Exception {
    Path examples = MODULE.resolve("../examples/configs").normalize();
    String[] r =
        run(
            "config",
            "validate",
            examples.resolve("nightly-refactor.json").toString(),
            examples.resolve("across-midnight.json").toString(),
            examples.resolve("build-box.json").toString(),
            examples.resolve("minimal.json").toString());
    assertThat(r[1].lines()).hasSize(4).allMatch(l -> l.startsWith("OK "));
    assertThat(r[0]).isEqualTo("0");
  }

  @Test
  void reportsItsVersion() throws Exception {
    String[] r = run("--version");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1]).startsWith("overnight 0.1.0");
  }

  @Test
  void badInputExitsTwoWithOneLineSayingWhatIsWrong(@org.junit.jupiter.api.io.TempDir Path state)
      throws Exception {
    String dir = state.toString();
    for (String[] args :
        new String[][] {
          {"serve", "--state-dir", dir, "--port", "70000"},
          {"queue", "show", "--state-dir", dir, ""},
          {"queue", "show", "--state-dir", dir, "no-such-task"},
          {"queue", "add", "--state-dir", dir, "--prompt", "   "},
        }) {
      String[] r = run(args);
      assertThat(r[0]).as(String.join(" ", args) + "\n" + r[1]).isEqualTo("2");
      assertThat(r[1])
          .startsWith("error: ")
          .doesNotContain("Exception")
          .doesNotContain("Usage:")
          .contains("--help' for its usage.");
    }
  }
}
