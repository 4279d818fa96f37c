package dev.overnight.examples.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.examples.ExampleRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStreamExampleTest {
  @TempDir Path tmp;

  @Test
  void printsEveryUpdateOfTheSessionInOrderThenItsEnd() throws Exception {
    List<String> out = ExampleRun.of(SessionStreamExample.class, tmp).stdout();

    assertThat(out).last().isEqualTo("Session ended: scripted");
    List<String> updates = out.subList(0, out.size() - 1);
    for (int i = 0; i < updates.size(); i++) {
      assertThat(updates.get(i)).as("update %s, none lost", i + 1).startsWith("#" + (i + 1) + " ");
    }
    assertThat(updates)
        .startsWith("#1 agent_thought_chunk: Looking at the repository.")
        .contains(
            "#2 plan: Write hello.txt (in_progress), Check it with ls (pending)",
            "#3 tool_call: Write hello.txt")
        .anyMatch(
            line ->
                line.endsWith(" plan: Write hello.txt (completed), Check it with ls (completed)"))
        .last()
        .asString()
        .endsWith(" agent_message_chunk: Wrote hello.txt.");
  }
}
