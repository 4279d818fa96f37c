package dev.overnight.examples.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.examples.ExampleRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObservabilityExampleTest {
  @TempDir Path tmp;

  @Test
  void printsTheTurnTaskAndCycleSpansAsTheyEndThenTheMetersTheTaskLeft() throws Exception {
    List<String> out = ExampleRun.of(ObservabilityExample.class, tmp).stdout();

    assertThat(out)
        .filteredOn(line -> line.startsWith("Span "))
        .satisfiesExactly(
            turn ->
                assertThat(turn)
                    .startsWith("Span invoke_agent scripted [")
                    .contains("gen_ai.agent.name=scripted", "gen_ai.operation.name=invoke_agent"),
            task ->
                assertThat(task)
                    .startsWith("Span overnight.task [")
                    .contains("overnight.task.outcome=completed"),
            cycle -> assertThat(cycle).startsWith("Span overnight.cycle"));
    assertThat(out)
        .filteredOn(line -> line.startsWith("Meter "))
        .contains(
            "Meter overnight.agent.cost{agent=scripted} 0.0042",
            "Meter overnight.cycles 1 recorded",
            "Meter overnight.queue.tasks{status=completed} 1.0",
            "Meter overnight.task.attempts{agent=scripted,outcome=completed} 1 recorded");
  }
}
