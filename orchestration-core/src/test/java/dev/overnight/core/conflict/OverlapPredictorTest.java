package dev.overnight.core.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Predicting the files tasks touch on a scripted repository whose history makes {@code Cart.java}
 * and {@code CartTest.java} change together, while {@code Search.java} changes on its own.
 */
class OverlapPredictorTest {
  @TempDir Path dir;

  private final TaskQueue queue =
      InMemoryTaskQueue.builder(ManualTimeSource.at("2026-11-25T01:00:00Z")).build();
  private Git git;
  private int edits;

  @BeforeEach
  void aHistoryWhereTwoFilesChangeTogether() throws IOException {
    git = new Git(dir);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.name", "Dev");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "commit.gpgsign", "false");
    commit("Cart.java", "CartTest.java", "Search.java");
    commit("Cart.java", "CartTest.java");
    commit("Search.java");
    commit("Cart.java", "CartTest.java");
    commit("Search.java", "README.md");
    commit("Cart.java");
  }

  private void commit(String... files) throws IOException {
    edits++;
    for (String f : files) {
      Path p = dir.resolve(f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, f + " edit " + edits + "\n");
    }
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "Edit " + String.join(", ", files));
  }

  private Task task(String title, String target) {
    TaskSpec.Builder spec = TaskSpec.builder("Work on " + title).title(title);
    if (target != null) {
      spec.metadata(TaskFacts.TARGET_FILE.key(), target);
    }
    return queue.enqueue(spec.build()).task();
  }

  @Test
  void filesThatChangedTogetherArePredictedTogether() {
    OverlapPredictor predictor = OverlapPredictor.of(git, 100);

    assertThat(predictor.predict(List.of("Cart.java")))
        .containsExactly("Cart.java", "CartTest.java");
    assertThat(predictor.predict(List.of("CartTest.java")))
        .containsExactly("Cart.java", "CartTest.java");
    // Search.java shared one commit with Cart.java: chance, not a pattern.
    assertThat(predictor.predict(List.of("Search.java"))).containsExactly("Search.java");
    assertThat(predictor.history().commits()).isEqualTo(6);
    assertThat(predictor.history().together("Cart.java", "CartTest.java")).isEqualTo(3);
  }

  @Test
  void twoTasksOnFilesThatChangeTogetherOverlapAndATaskElsewhereDoesNot() {
    OverlapPredictor predictor = OverlapPredictor.of(git, 100);
    Task cart = task("Tidy the cart", "Cart.java");
    Task cartTests = task("Test the cart", "CartTest.java");
    Task search = task("Speed up search", "Search.java");
    Task vague = task("Explore", null);

    assertThat(predictor.firstOverlap(cartTests, List.of(search, cart)))
        .hasValueSatisfying(
            o -> {
              assertThat(o.with().id()).isEqualTo(cart.id());
              assertThat(o.files()).containsExactly("Cart.java", "CartTest.java");
              assertThat(o.describe())
                  .contains(cart.id().shortId(), "Tidy the cart", "CartTest.java");
            });
    assertThat(predictor.firstOverlap(search, List.of(cart, cartTests))).isEmpty();
    assertThat(predictor.firstOverlap(vague, List.of(cart, cartTests, search))).isEmpty();
    assertThat(predictor.firstOverlap(cart, List.of(cart))).as("never with itself").isEmpty();
  }

  @Test
  void historyIsBoundedAndReadAgainOnlyWhenHeadMoves() throws IOException {
    OverlapPredictor lastTwo = OverlapPredictor.of(git, 2);
    assertThat(lastTwo.history().commits()).isEqualTo(2);
    assertThat(lastTwo.predict(List.of("Cart.java"))).containsExactly("Cart.java");

    OverlapPredictor predictor = OverlapPredictor.of(git, 100);
    CoChangeHistory first = predictor.history();
    assertThat(predictor.history()).isSameAs(first);
    commit("Search.java", "SearchTest.java");
    commit("Search.java", "SearchTest.java");
    assertThat(predictor.history()).isNotSameAs(first);
    assertThat(predictor.predict(List.of("SearchTest.java")))
        .containsExactly("Search.java", "SearchTest.java");
  }

  @Test
  void aMassChangePairsNoFiles() {
    List<List<String>> commits = new ArrayList<>();
    List<String> reformat = IntStream.range(0, 40).mapToObj(i -> "F" + i + ".java").toList();
    commits.add(reformat);
    commits.add(reformat);
    CoChangeHistory history = CoChangeHistory.of(commits);

    assertThat(history.changes("F1.java")).isEqualTo(2);
    assertThat(history.together("F1.java", "F2.java")).isZero();
    assertThat(OverlapPredictor.of(history).predict(List.of("F1.java"))).containsExactly("F1.java");
  }

  @Test
  void aFileThatChangesWithEverythingPairsWithNothing() {
    List<List<String>> commits = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      commits.add(List.of("Module" + i % 20 + ".java", "CHANGES.md"));
    }
    OverlapPredictor predictor = OverlapPredictor.of(CoChangeHistory.of(commits));

    assertThat(predictor.history().together("Module1.java", "CHANGES.md")).isEqualTo(3);
    assertThat(
            OverlapPredictor.of(CoChangeHistory.of(commits.subList(0, 40)))
                .predict(List.of("Module1.java")))
        .as("too short a history to tell a hub")
        .containsExactly("CHANGES.md", "Module1.java");
    assertThat(predictor.predict(List.of("Module1.java"))).containsExactly("Module1.java");
    assertThat(predictor.predict(List.of("CHANGES.md"))).containsExactly("CHANGES.md");
  }

  @Test
  void filesAnEarlierAttemptChangedAreTargetsToo() {
    Task retried =
        queue
            .enqueue(
                TaskSpec.builder("Again")
                    .metadata(
                        Map.of(
                            TaskFacts.TARGET_FILE.key(), "Cart.java",
                            TaskFacts.CHANGED_FILES.key(), "Cart.java\nREADME.md\n"))
                    .build())
            .task();

    assertThat(OverlapPredictor.targets(retried)).containsExactly("Cart.java", "README.md");
  }

  @Test
  void aLongHistoryIsReadWhole() throws IOException {
    // Long paths: the log of these commits is far larger than a command's usual kept output.
    String folder = "src/" + "deeply/nested/package/".repeat(8);
    for (int i = 0; i < 120; i++) {
      commit(
          folder + "Feature" + (i % 7) + ".java",
          folder + "Feature" + (i % 7) + "Test.java",
          folder + "Shared" + (i % 3) + ".java",
          folder + "Other" + i + ".java");
    }
    OverlapPredictor predictor = OverlapPredictor.of(git, 1000);

    assertThat(predictor.history().commits()).isEqualTo(126);
    assertThat(predictor.history().changes("Cart.java")).as("the oldest commits too").isEqualTo(4);
    assertThat(predictor.predict(List.of(folder + "Feature3.java")))
        .contains(folder + "Feature3Test.java");
  }

  @Test
  void anEmptyRepositoryHasNoHistory() throws IOException {
    Git empty = new Git(Files.createDirectories(dir.resolve("empty")));
    empty.check("init", "-q", "-b", "main");

    assertThat(OverlapPredictor.of(empty, 100).predict(List.of("A.java")))
        .containsExactly("A.java");
  }
}
