package dev.overnight.examples.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.examples.ExampleRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionEngineExampleTest {
  @TempDir Path tmp;

  @Test
  void theEngineExplainsItsChoiceRunsItOnceAndThenFindsNothingNew() throws Exception {
    List<String> out = ExampleRun.of(DecisionEngineExample.class, tmp).stdout();

    assertThat(out)
        .startsWith(
            "Plan: Next: Tidy the README (scripted)",
            "Because: The README is the first thing people read, so it is always worth tidying.",
            "First cycle:",
            "  Decided: Tidy the README");
    int second = out.indexOf("Second cycle:");
    assertThat(out.subList(0, second)).contains("  Ended: Tidy the README, completed");
    assertThat(out.subList(second, out.size()))
        .contains("  Nothing to do: the decision engine found nothing new to do")
        .noneMatch(line -> line.startsWith("  Decided:"));
    assertThat(out)
        .filteredOn(line -> line.startsWith("  Decided:"))
        .containsExactly("  Decided: Tidy the README");
    assertThat(out)
        .anyMatch(line -> line.matches("README.md on overnight/tidy-the-readme-.+:"))
        .endsWith("A sample app. Run it with Java.");
  }
}
