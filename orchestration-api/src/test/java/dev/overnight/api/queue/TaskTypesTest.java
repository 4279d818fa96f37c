package dev.overnight.api.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
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

    assertThat(title).hasSizeLessThanOrEqualTo(TaskSpec.MAX_TITLE_LENGTH).endsWith("…");
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

  @Test
  void aPromptMustSaySomethingAndStayWithinItsBound() {
    for (String blank : new String[] {"", "   ", "\n\t \n"}) {
      assertThatThrownBy(() -> TaskSpec.builder(blank).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the prompt is empty");
    }
    String longest = "x".repeat(TaskSpec.MAX_PROMPT_LENGTH);
    assertThat(TaskSpec.builder(longest).build().prompt()).hasSize(TaskSpec.MAX_PROMPT_LENGTH);
    assertThatThrownBy(() -> TaskSpec.builder("x".repeat(10 * 1024 * 1024)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10485760 characters, more than the 65536");
  }

  @Test
  void aTitleIsOneLineOfReadableText() {
    for (String title :
        new String[] {
          "",
          "  ",
          "two\nlines",
          "carriage\rreturn",
          "tab\there",
          "\u001b[2Jcleared",
          "bell\u0007",
          "next\u0085line",
          "line\u2028separator"
        }) {
      assertThatThrownBy(() -> TaskSpec.builder("Do it").title(title).build())
          .as("title %s", title.replace("\u001b", "ESC"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the title");
    }
    assertThatThrownBy(() -> TaskSpec.builder("Do it").title("t".repeat(201)).build())
        .hasMessageContaining("201 characters, more than the 200");
    assertThat(TaskSpec.builder("Do it").title("Café ☕ — über 😀").build().title())
        .isEqualTo("Café ☕ — über 😀");
  }

  @Test
  void anAgentIdIsOneShortLine() {
    for (String id : new String[] {"", " ", "co\ndex", "\u001b]0;x\u0007", "a".repeat(129)}) {
      assertThatThrownBy(() -> TaskSpec.builder("Do it").agentId(id).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the agent id");
    }
  }

  @Test
  void aTitleMadeFromAnyTextIsValid() {
    assertThat(TaskSpec.titleOf("\n  \u001b[31mRed\u001b[0m file\tname\nsecond"))
        .isEqualTo("[31mRed [0m file name");
    assertThat(TaskSpec.titleOf("\u0007\n\t")).isEqualTo("task");
    String emoji = "😀".repeat(300);
    assertThat(TaskSpec.titleOf(emoji)).isEqualTo("😀".repeat(199) + "…");
    assertThat(TaskSpec.builder("x").title(TaskSpec.titleOf(emoji)).build().title()).endsWith("…");
    assertThat(TaskSpec.builder("\u0007\n  Fix \u001b[2Jit\nmore").build().title())
        .isEqualTo("Fix  [2Jit");
    assertThat(TaskSpec.builder("y".repeat(100)).build().title()).isEqualTo("y".repeat(100));
  }

  @Test
  void aBuiltTaskIsPendingWithDefaultsAndNamesWhatIsMissing() {
    Instant at = Instant.parse("2026-01-01T02:00:00Z");
    Map<String, String> facts = new HashMap<>(Map.of("path", "heuristic"));
    Task task =
        Task.builder()
            .id(TaskId.of("t-1"))
            .title("Add tests")
            .prompt("Write tests")
            .opHash("0123456789abcdef")
            .createdAt(at)
            .metadata(facts)
            .build();
    facts.put("path", "changed after build");

    assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(task.priority()).isEqualTo(TaskPriority.MEDIUM);
    assertThat(task.updatedAt()).isEqualTo(at);
    assertThat(task.maxAttempts()).isEqualTo(Task.DEFAULT_MAX_ATTEMPTS);
    assertThat(task.metadata()).containsEntry("path", "heuristic");
    assertThat(task.hasAttemptsLeft()).isTrue();
    assertThatThrownBy(() -> Task.builder().id(TaskId.of("t-2")).title("x").prompt("y").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("opHash");
    assertThatThrownBy(() -> task.toBuilder().maxAttempts(0).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxAttempts");
  }

  @Test
  void aCopyChangesOnlyWhatItSetsAndEqualsByValue() {
    Instant at = Instant.parse("2026-01-01T02:00:00Z");
    Task task =
        Task.builder()
            .id(TaskId.of("t-1"))
            .title("Add tests")
            .prompt("Write tests")
            .opHash("h")
            .createdAt(at)
            .build();
    Task running =
        task.toBuilder()
            .status(TaskStatus.IN_PROGRESS)
            .attempts(1)
            .workerId("w")
            .startedAt(at.plusSeconds(5))
            .updatedAt(at.plusSeconds(5))
            .build();

    assertThat(running.id()).isEqualTo(task.id());
    assertThat(running.createdAt()).isEqualTo(at);
    assertThat(running.workerId()).contains("w");
    assertThat(running).isNotEqualTo(task);
    assertThat(running.toBuilder().build()).isEqualTo(running).hasSameHashCodeAs(running);
    assertThat(running.toString()).contains("status=IN_PROGRESS", "workerId=Optional[w]");
  }
}
