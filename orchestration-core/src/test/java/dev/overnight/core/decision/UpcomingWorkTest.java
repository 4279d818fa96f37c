package dev.overnight.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.queue.OpHashes;
import dev.overnight.fakes.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UpcomingWorkTest {
  private static final Instant NOW = Instant.parse("2026-11-25T01:00:00Z");
  private final ManualTimeSource time = new ManualTimeSource(NOW);
  private final InMemoryTaskQueue queue = InMemoryTaskQueue.create(time);
  private final OrchestrationConfig config =
      OrchestrationConfig.builder(ConfigValue.of("/tmp/repo")).id("t").build();

  private static Decision tests(String file) {
    return new Decision(
        "Add tests for " + file,
        "Write tests for " + file + ".",
        "codex",
        TaskPriority.MEDIUM,
        DecisionPath.TESTS,
        Optional.of(file),
        file + " has no tests",
        0.8,
        List.of(),
        Duration.ofMinutes(20),
        Map.of());
  }

  /** Proposes the candidates in order, passing over what is finished, as engines must. */
  private static DecisionEngine engine(List<String> asked, Decision... candidates) {
    return context -> {
      for (Decision d : candidates) {
        if (!context.finishedOpHashes().contains(d.toTaskSpec().opHash())) {
          asked.add(d.title());
          return Optional.of(d);
        }
      }
      return Optional.empty();
    };
  }

  private DecisionContext context() {
    return new DecisionContext(
        config, List.of(), List.of(), Map.of(), Set.of(), OpHashes.taken(queue), NOW);
  }

  private List<Task> live() {
    return queue.list(TaskFilter.withStatus(TaskStatus.PENDING, TaskStatus.IN_PROGRESS)).items();
  }

  @Test
  void runningTasksAreApartPendingOnesComeFirstInClaimOrderAndProposalsFollowEachTakenForTheNext() {
    queue.enqueue(TaskSpec.builder("Run first").title("Running").build());
    queue.claimNext("w", Duration.ofMinutes(5));
    queue.enqueue(TaskSpec.builder("Later").title("Later").build());
    queue.enqueue(TaskSpec.builder("Urgent").title("Urgent").priority(TaskPriority.HIGH).build());
    List<String> asked = new ArrayList<>();

    UpcomingWork work =
        UpcomingWork.plan(
            live(), engine(asked, tests("A.java"), tests("B.java"), tests("C.java")), context(), 4);

    assertThat(work.running()).extracting(Task::title).containsExactly("Running");
    assertThat(work.queued()).extracting(Task::title).containsExactly("Urgent", "Later");
    assertThat(work.proposed())
        .extracting(Decision::title)
        .containsExactly("Add tests for A.java", "Add tests for B.java");
    assertThat(asked).hasSize(2);
    assertThat(work.toText())
        .startsWith("Running now: Running   [")
        .contains("\n1. queued    Urgent   [", ", priority high]\n2. queued    Later   [")
        .endsWith(
            "3. proposed  tests: Add tests for A.java   [codex, confidence 0.80]\n"
                + "4. proposed  tests: Add tests for B.java   [codex, confidence 0.80]\n");
  }

  @Test
  void workTheQueueHasSeenIsNeverProposedAndAShortQueueAsksTheEngineNoMoreThanNeeded() {
    Decision a = tests("A.java");
    queue.cancel(queue.enqueue(a.toTaskSpec()).task().id(), "dev", "not tonight");
    List<String> asked = new ArrayList<>();

    UpcomingWork work = UpcomingWork.plan(live(), engine(asked, a, tests("B.java")), context(), 3);

    assertThat(work.queued()).isEmpty();
    assertThat(work.proposed()).extracting(Decision::title).containsExactly("Add tests for B.java");
    assertThat(work.isEmpty()).isFalse();

    UpcomingWork one = UpcomingWork.plan(live(), engine(new ArrayList<>(), a), context(), 1);
    assertThat(one.isEmpty()).as("everything it knows was seen").isTrue();
  }
}
