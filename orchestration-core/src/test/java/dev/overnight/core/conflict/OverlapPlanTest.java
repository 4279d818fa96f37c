package dev.overnight.core.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConflictSettings;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.fakes.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OverlapPlanTest {
  private final InMemoryTaskQueue queue =
      InMemoryTaskQueue.create(ManualTimeSource.at("2026-11-25T01:00:00Z"));

  /** Cart.java and CartTest.java changed together three times; Search.java on its own. */
  private final OverlapPredictor predictor =
      OverlapPredictor.of(
          CoChangeHistory.of(
              List.of(
                  List.of("Cart.java", "CartTest.java"),
                  List.of("Cart.java", "CartTest.java"),
                  List.of("Cart.java", "CartTest.java"),
                  List.of("Search.java"))));

  private Task task(String title, String target) {
    return queue
        .enqueue(
            TaskSpec.builder(title)
                .title(title)
                .metadata(TaskFacts.TARGET_FILE.key(), target)
                .build())
        .task();
  }

  private static Decision proposal(String title, String target) {
    return new Decision(
        title,
        "Do it",
        "codex",
        TaskPriority.MEDIUM,
        DecisionPath.TESTS,
        Optional.of(target),
        "because",
        0.5,
        List.of(),
        Duration.ofMinutes(30),
        Map.of());
  }

  @Test
  void eachPieceOfWorkNamesTheFirstEarlierOneItOverlaps() {
    Task cart = task("Tidy the cart", "Cart.java");
    Task search = task("Speed up search", "Search.java");

    OverlapPlan plan =
        OverlapPlan.of(
            predictor,
            ConflictSettings.Overlap.WAIT,
            List.of(cart),
            List.of(search),
            List.of(proposal("Add tests for CartTest.java", "CartTest.java")));

    assertThat(plan.entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.work()).isEqualTo("Add tests for CartTest.java [proposed]");
              assertThat(e.after()).isEqualTo("Tidy the cart [" + cart.id().shortId() + "]");
              assertThat(e.files()).containsExactly("Cart.java", "CartTest.java");
            });
    assertThat(plan.toText())
        .isEqualTo(
            "Add tests for CartTest.java [proposed] waits for Tidy the cart ["
                + cart.id().shortId()
                + "]: both touch Cart.java, CartTest.java\n");
  }

  @Test
  void withStackTheTextSaysStacksOnAndWorkApartIsNotListed() {
    Task cart = task("Tidy the cart", "Cart.java");
    Task tests = task("Test the cart", "CartTest.java");
    Task search = task("Speed up search", "Search.java");

    OverlapPlan plan =
        OverlapPlan.of(
            predictor,
            ConflictSettings.Overlap.STACK,
            List.of(),
            List.of(cart, search, tests),
            List.of());

    assertThat(plan.toText()).startsWith("Test the cart [").contains(" stacks on Tidy the cart [");
    assertThat(plan.entries()).hasSize(1);
    assertThat(
            OverlapPlan.of(
                    predictor,
                    ConflictSettings.Overlap.WAIT,
                    List.of(),
                    List.of(cart, search),
                    List.of())
                .isEmpty())
        .isTrue();
  }
}
