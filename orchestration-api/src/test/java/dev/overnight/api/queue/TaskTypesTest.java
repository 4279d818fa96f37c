package dev.overnight.api.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskTypesTest {

  @Test
  void statusTableMatchesTheDocumentedLifecycle() {
    assertThat(TaskStatus.PENDING.canMoveTo(TaskStatus.IN_PROGRESS)).isTrue();
    assertThat(TaskStatus.PENDING.canMoveTo(TaskStatus.COMPLETED)).isFalse();
    assertThat(TaskStatus.PENDING.canMoveTo(TaskStatus.PENDING)).isFalse();
    assertThat(TaskStatus.IN_PROGRESS.next())
        .containsExactlyInAnyOrder(
            TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED, TaskStatus.PENDING);
    assertThat(TaskStatus.COMPLETED.next()).isEmpty();
    assertThat(TaskStatus.FAILED.next()).containsExactly(TaskStatus.PENDING);
    assertThat(TaskStatus.CANCELLED.isTerminal()).isTrue();
    assertThat(TaskStatus.IN_PROGRESS.isLive()).isTrue();
  }

  @Test
  void opHashIsTheOriginalsSha256PrefixOfPromptAndAgent() {
    // sha256("Write tests|codex") starts with these 16 hex digits.
    assertThat(TaskSpec.defaultOpHash("Write tests", Optional.of("codex")))
        .hasSize(16)
        .isEqualTo(TaskSpec.builder("Write tests").agentId("codex").build().opHash())
        .isNotEqualTo(TaskSpec.defaultOpHash("Write tests", Optional.of("claude-code")));
  }

  @Test
  void titleDefaultsToTheFirstLineOfThePrompt() {
    TaskSpec spec = TaskSpec.builder("  Refactor Parser\nsecond line").build();
    assertThat(spec.title()).isEqualTo("Refactor Parser");
    assertThat(spec.priority()).isEqualTo(TaskPriority.MEDIUM);
  }

  @Test
  void aLongFirstLineStaysWholeInTheTitle() {
    String line =
        "Fix the flaky OrderServiceTest: it fails whenever the clock crosses midnight in the"
            + " build machine's time zone";
    assertThat(line).hasSizeGreaterThan(80);

    assertThat(TaskSpec.builder(line + "\nDetails follow.").build().title()).isEqualTo(line);
  }

  @Test
  void aFirstLineTooLongForATitleIsCutBetweenWordsAndSaysSo() {
    String line = "word ".repeat(100).strip();

    String title = TaskSpec.builder(line).build().title();

    assertThat(title).hasSizeLessThanOrEqualTo(TaskSpec.MAX_DEFAULT_TITLE).endsWith("…");
    assertThat(line).startsWith(title.substring(0, title.length() - 1) + " ");
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> TaskId.of(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TaskSpec.builder("x").maxAttempts(0).build())
        .hasMessageContaining("maxAttempts must be at least 1");
    assertThat(TaskId.of("0123456789abcdef").shortId()).isEqualTo("01234567");
    assertThat(TaskPriority.HIGH.rank()).isLessThan(TaskPriority.LOW.rank());
  }
}
