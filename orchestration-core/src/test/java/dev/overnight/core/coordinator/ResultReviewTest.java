package dev.overnight.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.ToolKind;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.ReviewSettings;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualCycle;
import dev.overnight.fakes.ManualTimeSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reviewer after the quality gate, on virtual time with real git and in-process fake agents:
 * each verdict's effect on the task, its pull request and the working agent.
 */
class ResultReviewTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");
  private static final Usage REVIEW_USAGE = new Usage(400, 100, 0, 0, Optional.empty());

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final List<AgentCoordinator> coordinators = new ArrayList<>();
  private final List<Task> published = new ArrayList<>();
  private Repository repo;
  private Path state;
  private InMemoryTaskQueue queue;

  @BeforeEach
  void aRepositoryAndAnEmptyQueue() {
    repo = Repository.init(dir.resolve("repo"));
    state = dir.resolve("state");
    queue = InMemoryTaskQueue.create(time);
  }

  @AfterEach
  void closeCoordinators() {
    coordinators.forEach(AgentCoordinator::close);
  }

  private OrchestrationConfig config(ReviewSettings review) {
    return OrchestrationConfig.builder(ConfigValue.of(repo.dir().toString()))
        .id("test")
        .maxConcurrent(1)
        .maxAttempts(1)
        .stateDir(ConfigValue.of(state.toString()))
        .review(review)
        .build();
  }

  private AgentCoordinator coordinator(OrchestrationConfig config, AgentProvider... agents) {
    PullRequestPublisher commitsOnly = PullRequestPublisher.gh(PrAutomation.disabled());
    AgentCoordinator c =
        AgentCoordinator.builder(config)
            .taskQueue(queue)
            .agentProviders(List.of(agents))
            .timeSource(time)
            .stateDir(state)
            .workerId("test-worker")
            .decisionEngine(context -> Optional.empty())
            .publisher(
                (worktree, task, gate, summary) -> {
                  published.add(task);
                  return commitsOnly.publish(worktree, task, gate, summary);
                })
            .build();
    coordinators.add(c);
    return c;
  }

  private Task enqueue() {
    return queue
        .enqueue(
            TaskSpec.builder("Add tests for the parser.")
                .title("Test the parser")
                .agentId("claude-code")
                .metadata(TaskFacts.ACCEPTANCE_CHECK.key(), "ParserTest passes.")
                .build())
        .task();
  }

  private FakeAgent worker(FakeTurn... turns) {
    return FakeAgent.builder("claude-code").timeSource(time).session(turns).build();
  }

  private FakeAgent reviewer(String... verdicts) {
    FakeAgent.Builder b = FakeAgent.builder("codex").timeSource(time);
    for (String v : verdicts) {
      b.session(FakeTurn.builder().message(v).endTurn(REVIEW_USAGE));
    }
    return b.build();
  }

  private static FakeTurn writes(String file) {
    return FakeTurn.builder()
        .write(file, "class ParserTest {}\n")
        .message("Wrote " + file)
        .endTurn();
  }

  private void runCycle(OrchestrationConfig config, AgentCoordinator c) {
    Instant now = time.instant();
    new ManualCycle("cycle-1", now, now.plusSeconds(config.timeBudgetSec())).runOn(c);
  }

  private static final String DONE =
      "{\"verdict\":\"done\",\"reasons\":[\"ParserTest covers quoting\"]}";

  @Test
  void aDoneVerdictGoesOnToThePullRequestWithTheReviewInItsFactsAndBody() {
    FakeAgent worker = worker(writes("src/ParserTest.java"));
    FakeAgent reviewer = reviewer(DONE);
    OrchestrationConfig config = config(ReviewSettings.by(Optional.of("codex")));
    Task task = enqueue();

    runCycle(config, coordinator(config, worker, reviewer));

    Task done = queue.get(task.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.fact(TaskFacts.REVIEW_VERDICT)).contains("done");
    assertThat(done.fact(TaskFacts.REVIEW_REASONS)).contains("ParserTest covers quoting");
    assertThat(published).singleElement();
    assertThat(GhPullRequestPublisher.body(published.get(0), Optional.empty(), ""))
        .contains("## Acceptance check\n\nParserTest passes.")
        .contains("## Review\n\ndone\n\n- ParserTest covers quoting\n");
    // The reviewer looked at the task's worktree, read-only, and was shown the task and change.
    SessionRequest request = reviewer.requests().get(0);
    assertThat(request.readOnly()).isTrue();
    assertThat(request.workingDirectory()).isEqualTo(worker.sessions().get(0).workingDirectory());
    assertThat(
            request
                .permissionPolicy()
                .decide(
                    new dev.overnight.api.agent.PermissionRequest(
                        "s",
                        request.workingDirectory(),
                        "c",
                        "t",
                        ToolKind.EDIT,
                        List.of("src/ParserTest.java"),
                        Optional.empty(),
                        List.of()))
                .allowed())
        .isFalse();
    assertThat(reviewer.prompts().get(0))
        .contains("Add tests for the parser.")
        .contains("## Acceptance check\nParserTest passes.")
        .contains("+class ParserTest {}")
        .contains("review-verdict.schema.json");
    // The review's use counts with the task's.
    assertThat(done.fact(TaskFacts.TOKENS)).contains(500L);
  }

  @Test
  void didNothingAndHarmfulOpenNoPullRequestAndEndTheTaskWithTheReason() {
    for (String verdict : List.of("did_nothing", "harmful")) {
      published.clear();
      FakeAgent worker = worker(writes("src/ParserTest.java"));
      FakeAgent reviewer =
          reviewer("{\"verdict\":\"" + verdict + "\",\"reasons\":[\"it deletes the parser\"]}");
      OrchestrationConfig config = config(ReviewSettings.by(Optional.of("codex")));
      Task task = enqueue();

      runCycle(config, coordinator(config, worker, reviewer));

      Task after = queue.get(task.id()).orElseThrow();
      assertThat(after.status()).as(verdict).isEqualTo(TaskStatus.FAILED);
      assertThat(after.lastError())
          .as(verdict)
          .contains("review: " + verdict.replace('_', ' ') + " (it deletes the parser)");
      assertThat(after.fact(TaskFacts.REVIEW_VERDICT)).contains(verdict);
      assertThat(published).as(verdict).isEmpty();
      assertThat(worker.prompts()).hasSize(1);
    }
  }

  @Test
  void aPartialVerdictGivesTheWorkerTheNotesForOneMoreTurnThenIsReviewedAgain() {
    FakeAgent worker =
        worker(
            writes("src/ParserTest.java"),
            FakeTurn.builder()
                .write("src/ParserTest.java", "class ParserTest { void quotes() {} }\n")
                .endTurn());
    FakeAgent reviewer =
        reviewer(
            "{\"verdict\":\"partial\",\"reasons\":[\"quoting is not tested\"],"
                + "\"notes\":\"add a test for quoted strings\"}",
            DONE);
    OrchestrationConfig config = config(ReviewSettings.by(Optional.of("codex")));
    Task task = enqueue();

    runCycle(config, coordinator(config, worker, reviewer));

    assertThat(worker.prompts()).hasSize(2);
    assertThat(worker.prompts().get(1))
        .contains("quoting is not tested")
        .contains("add a test for quoted strings");
    assertThat(reviewer.sessions()).hasSize(2);
    assertThat(reviewer.prompts().get(1)).contains("void quotes()");
    Task done = queue.get(task.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.fact(TaskFacts.REVIEW_VERDICT)).contains("done");
  }

  @Test
  void partialTurnsAreBoundedAndTheLastPartialVerdictStillGoesOnToThePullRequest() {
    String partial = "{\"verdict\":\"partial\",\"reasons\":[\"still missing\"]}";
    FakeAgent worker = worker(writes("src/ParserTest.java"));
    FakeAgent reviewer = reviewer(partial, partial, partial);
    OrchestrationConfig config = config(new ReviewSettings(true, Optional.of("codex"), 1, 300));
    Task task = enqueue();

    runCycle(config, coordinator(config, worker, reviewer));

    assertThat(worker.prompts()).hasSize(2);
    assertThat(reviewer.sessions()).hasSize(2);
    Task done = queue.get(task.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.fact(TaskFacts.REVIEW_VERDICT)).contains("partial");
    assertThat(published).singleElement();
  }

  @Test
  void anAnswerThatIsNoVerdictLeavesTheResultUnreviewedAndTheTaskGoesOn() {
    FakeAgent worker = worker(writes("src/ParserTest.java"));
    FakeAgent reviewer = reviewer("{\"verdict\":\"great\",\"reasons\":[\"x\"]}");
    OrchestrationConfig config = config(ReviewSettings.by(Optional.of("codex")));
    Task task = enqueue();

    runCycle(config, coordinator(config, worker, reviewer));

    Task done = queue.get(task.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.fact(TaskFacts.REVIEW_VERDICT)).contains("unreviewed");
    assertThat(done.fact(TaskFacts.REVIEW_REASONS))
        .hasValueSatisfying(r -> assertThat(r).contains("\"great\" is not done, partial"));
    assertThat(published).singleElement();
  }

  @Test
  void aHugeVerdictLeavesTheResultUnreviewed() {
    FakeAgent worker = worker(writes("src/ParserTest.java"));
    FakeAgent reviewer =
        reviewer("{\"verdict\":\"done\",\"reasons\":[\"" + "x".repeat(300_000) + "\"]}");
    OrchestrationConfig config = config(ReviewSettings.by(Optional.of("codex")));
    Task task = enqueue();

    runCycle(config, coordinator(config, worker, reviewer));

    Task done = queue.get(task.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.fact(TaskFacts.REVIEW_VERDICT)).contains("unreviewed");
    assertThat(done.fact(TaskFacts.REVIEW_REASONS))
        .hasValueSatisfying(r -> assertThat(r).startsWith("the answer grew past 262144"));
    assertThat(published).singleElement();
  }

  @Test
  void aReviewerThatNeverAnswersIsStoppedAtReviewTimeOnVirtualTime() throws Exception {
    FakeAgent worker = worker(writes("src/ParserTest.java"));
    FakeAgent reviewer =
        FakeAgent.builder("codex").timeSource(time).session(FakeTurn.hangIgnoringCancel()).build();
    OrchestrationConfig config = config(new ReviewSettings(true, Optional.of("codex"), 1, 120));
    Task task = enqueue();
    AgentCoordinator c = coordinator(config, worker, reviewer);

    java.util.concurrent.ExecutorService thread =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<?> cycle = thread.submit(() -> runCycle(config, c));
      reviewer.awaitTurns(1, ManualCycle.SAFETY_NET);
      time.advance(java.time.Duration.ofSeconds(119));
      assertThat(cycle.isDone()).isFalse();
      time.advance(java.time.Duration.ofSeconds(1));
      cycle.get(ManualCycle.SAFETY_NET.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      thread.shutdownNow();
    }

    Task done = queue.get(task.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.fact(TaskFacts.REVIEW_VERDICT)).contains("unreviewed");
    assertThat(done.fact(TaskFacts.REVIEW_REASONS)).contains("no answer within 2 min");
    assertThat(reviewer.sessions().get(0).closedAt()).isPresent();
  }

  @Test
  void withoutReviewNoReviewerIsAsked() {
    FakeAgent worker = worker(writes("src/ParserTest.java"));
    FakeAgent reviewer = reviewer(DONE);
    OrchestrationConfig config = config(ReviewSettings.disabled());
    Task task = enqueue();

    runCycle(config, coordinator(config, worker, reviewer));

    assertThat(queue.get(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(reviewer.requests()).isEmpty();
    assertThat(queue.get(task.id()).orElseThrow().fact(TaskFacts.REVIEW_VERDICT)).isEmpty();
  }
}
