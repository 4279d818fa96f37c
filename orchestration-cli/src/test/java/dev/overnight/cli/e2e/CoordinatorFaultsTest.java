package dev.overnight.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.Availability;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.config.AgentPreferences;
import dev.overnight.api.config.Limits;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.QualityGate;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.config.WorktreeSettings;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.coordinator.AgentCoordinator;
import dev.overnight.core.coordinator.AttemptOutcome;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.GhPullRequestPublisher;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import dev.overnight.fakes.ManualCycle;
import dev.overnight.fakes.ScriptedAgentScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What goes wrong at night, each end to end with the real scripted agent process, real git and
 * virtual time, and each with its outcome in the morning report: an agent that hangs, a usage
 * limit, a failing quality gate, a rejected push, no {@code gh}, an exhausted budget and a full
 * disk.
 */
class CoordinatorFaultsTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");

  @TempDir Path dir;
  World world;
  Repo repo;
  InMemoryTaskQueue queue;

  @BeforeEach
  void aRepository() {
    world = new World(dir, ONE_AM);
    repo = world.repo;
    repo.commit(
        Instant.parse("2026-11-20T10:00:00Z"),
        "Start",
        Map.of("README.md", "# Demo\n", "src/main/java/demo/App.java", "class App {}\n"));
    queue = InMemoryTaskQueue.create(world.time);
  }

  private AgentCoordinator coordinator(OrchestrationConfig config, AgentProvider... agents) {
    return world
        .coordinator(config, queue, Optional.empty(), List.of(agents))
        // Only the queued tasks run: the engine has nothing to add.
        .decisionEngine(context -> Optional.empty())
        .build();
  }

  private Task enqueue(String title, String agentId) {
    TaskSpec.Builder spec = TaskSpec.builder("Do this: " + title).title(title);
    if (agentId != null) {
      spec.agentId(agentId);
    }
    return queue.enqueue(spec.build()).task();
  }

  private ManualCycle cycle(String id, OrchestrationConfig config, AgentCoordinator coordinator) {
    Instant now = world.time.instant();
    return new ManualCycle(id, now, now.plusSeconds(config.timeBudgetSec())).start(coordinator);
  }

  /** Waits until the session's agent has said {@code text} (so its turn is under way). */
  private void awaitMessage(String sessionId, String text) {
    world.recorder.await(
        SessionEvent.class,
        e ->
            e.sessionId().equals(sessionId)
                && e.update() instanceof SessionUpdate.AgentMessageChunk m
                && m.content() instanceof ContentBlock.Text t
                && t.text().contains(text));
  }

  private List<TaskEvent> events(Task task, TaskEventType type) {
    return queue.events(task.id()).stream().filter(e -> e.type() == type).toList();
  }

  private String row(String title) {
    return world
        .report()
        .lines()
        .filter(l -> l.startsWith("| " + title + " |"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + title + " in\n" + world.report()));
  }

  @Test
  void aSilentAgentIsCancelledKilledAfterTheGraceAndItsTaskRetriedAsStuck() {
    OrchestrationConfig config = world.config().timeBudgetSec(1800).maxConcurrent(1).build();
    assertThat(config.limits().stuckAfterSec()).isEqualTo(600);
    assertThat(config.limits().cancelGraceSec()).isEqualTo(30);
    Path script = world.script("agent", Scripts.HANGS);
    AgentCoordinator coordinator = coordinator(config, world.agent("claude-code", script));
    // Once the hung attempt has ended, the agent behaves again: the retry can finish the task.
    coordinator.subscribe(
        e -> {
          if (e instanceof CoordinatorEvent.TaskEnded) {
            world.script("agent", Scripts.WORKER);
          }
        });
    Task task = enqueue("Tidy the parser", "claude-code");
    ManualCycle cycle = cycle("cycle-1", config, coordinator);

    CoordinatorEvent.TaskStarted first =
        world.recorder.awaitNth(CoordinatorEvent.TaskStarted.class, 1);
    awaitMessage(first.sessionId(), "write HALF-DONE.md done");
    long pid = World.pidOf(first.sessionId());

    // Ten silent minutes: the session is cancelled (not a second earlier), but the agent ignores
    // session/cancel.
    world.time.advance(Duration.ofSeconds(599));
    assertThat(world.cancelsSent("claude-code", first.sessionId())).isEmpty();
    world.time.advance(Duration.ofSeconds(1));
    assertThat(world.cancelsSent("claude-code", first.sessionId()))
        .containsExactly("2026-11-25T01:10:00Z");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
    assertThat(world.recorder.all(CoordinatorEvent.TaskEnded.class)).isEmpty();
    // The grace period ends: its process is killed and the task goes back to pending.
    world.time.advance(Duration.ofSeconds(30));
    CoordinatorEvent.TaskEnded stuck = world.recorder.awaitNth(CoordinatorEvent.TaskEnded.class, 1);
    assertThat(stuck.outcome()).isEqualTo(AttemptOutcome.RETRY);
    assertThat(stuck.reason()).isEqualTo("stuck");
    assertThat(stuck.task().status()).isEqualTo(TaskStatus.PENDING);
    assertThat(stuck.task().attempts()).isEqualTo(1);
    assertThat(World.ended(pid)).isTrue();
    assertThat(events(task, TaskEventType.RETRY_SCHEDULED))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.to()).isEqualTo(TaskStatus.PENDING);
              assertThat(e.reason()).startsWith("stuck (attempt 1 of 3");
            });

    // The retry, in the same cycle, continues the branch and completes.
    CoordinatorEvent.TaskEnded retried =
        world.recorder.awaitNth(CoordinatorEvent.TaskEnded.class, 2);
    cycle.awaitEnd();
    assertThat(retried.outcome()).isEqualTo(AttemptOutcome.COMPLETED);
    assertThat(retried.task().attempts()).isEqualTo(2);
    String branch = retried.task().metadata().get("branch");
    assertThat(repo.subjects("main", branch))
        .containsExactly(Scripts.WORKER_COMMIT, "Tidy the parser (work in progress)");
    assertThat(world.prompts(script).get(1)).contains("An earlier attempt already made progress");
    assertThat(coordinator.metrics().tasksRetried()).isEqualTo(1);
    assertThat(coordinator.metrics().tasksCompleted()).isEqualTo(1);

    assertThat(row("Tidy the parser")).contains("completed (2 attempts)", "stuck");
  }

  @Test
  void aUsageLimitReleasesTheTaskParksTheAgentUntilItsResetAndTheNextAgentTakesOver() {
    Instant reset = Instant.parse("2026-11-25T03:00:00Z");
    OrchestrationConfig config =
        world
            .config()
            .maxConcurrent(1)
            .agentPreferences(new AgentPreferences(List.of("claude-code", "codex"), List.of()))
            .build();
    Path limited = world.script("claude", Scripts.usageLimit(reset.getEpochSecond()));
    Path worker = world.script("codex", Scripts.WORKER);
    AgentCoordinator coordinator =
        coordinator(config, world.agent("claude-code", limited), world.agent("codex", worker));
    Task first = enqueue("Task one", null);
    Task second = enqueue("Task two", null);

    cycle("cycle-1", config, coordinator).awaitEnd();

    List<CoordinatorEvent.TaskStarted> started =
        world.recorder.all(CoordinatorEvent.TaskStarted.class);
    assertThat(started)
        .extracting(s -> s.task().title() + " by " + s.agentId())
        .containsExactly("Task one by claude-code", "Task one by codex", "Task two by codex");
    List<CoordinatorEvent.TaskEnded> ended = world.recorder.all(CoordinatorEvent.TaskEnded.class);
    assertThat(ended.get(0).outcome()).isEqualTo(AttemptOutcome.RELEASED);
    assertThat(ended.get(0).reason()).contains("usage", "limit", "resets 3am");
    assertThat(ended.get(0).task().status()).isEqualTo(TaskStatus.PENDING);
    assertThat(ended.get(0).task().attempts()).isZero();
    assertThat(ended.subList(1, 3))
        .extracting(CoordinatorEvent.TaskEnded::outcome)
        .containsOnly(AttemptOutcome.COMPLETED);
    assertThat(world.recorder.all(CoordinatorEvent.AgentParked.class))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.agentId()).isEqualTo("claude-code");
              assertThat(p.until()).isEqualTo(reset);
            });
    assertThat(started.stream().map(s -> World.pidOf(s.sessionId())))
        .allSatisfy(pid -> assertThat(World.ended(pid)).isTrue());

    // The released attempt was not counted; its work in progress is where codex went on.
    Task one = queue.get(first.id()).orElseThrow();
    assertThat(one.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(one.attempts()).isEqualTo(1);
    assertThat(one.metadata()).containsEntry("agent", "codex");
    assertThat(events(one, TaskEventType.RELEASED)).hasSize(1);
    assertThat(repo.subjects("main", one.metadata().get("branch")))
        .containsExactly(Scripts.WORKER_COMMIT, "Task one (work in progress)");
    assertThat(queue.get(second.id()).orElseThrow().metadata()).containsEntry("agent", "codex");
    assertThat(coordinator.metrics().tasksReleased()).isEqualTo(1);
    assertThat(coordinator.metrics().tasksRetried()).isZero();

    // Parked until the reset the agent announced, available again from then on.
    Availability parked = coordinator.agentAvailability().get("claude-code");
    assertThat(parked.available()).isFalse();
    assertThat(parked.toString()).contains("parked until " + reset);
    world.time.runUntil(reset);
    assertThat(coordinator.agentAvailability().get("claude-code").available()).isTrue();

    assertThat(row("Task one")).contains("| completed |", "| codex |", "usage", "limit");
    assertThat(row("Task two")).contains("| completed |", "| codex |");
  }

  @Test
  void whatEachAgentReportsFeedsTheQuotaLedgerItsTokensAndTheResetItsLimitNames() {
    Instant reset =
        LocalDateTime.parse("2026-11-25T06:00").atZone(ZoneId.systemDefault()).toInstant();
    OrchestrationConfig config =
        world
            .config()
            .maxConcurrent(1)
            .agentPreferences(new AgentPreferences(List.of("codex", "claude-code"), List.of()))
            .build();
    TransientSchedulerStateStore ledger = new TransientSchedulerStateStore();
    AgentCoordinator coordinator =
        world
            .coordinator(
                config,
                queue,
                Optional.empty(),
                List.of(
                    world.agent("codex", world.script("codex", Scripts.CODEX_LIMIT)),
                    world.agent("claude-code", world.script("claude", Scripts.WORKER))))
            .decisionEngine(context -> Optional.empty())
            .quotaStore(ledger)
            .build();
    enqueue("Task one", null);

    cycle("cycle-1", config, coordinator).awaitEnd();

    assertThat(world.recorder.all(CoordinatorEvent.AgentParked.class))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.agentId()).isEqualTo("codex");
              assertThat(p.until()).isEqualTo(reset);
            });
    Map<String, QuotaWindow> windows = new HashMap<>();
    ledger.quotaWindows().forEach(w -> windows.put(w.agentId(), w));
    assertThat(windows.get("codex"))
        .as("codex's window: spent until the reset its error named")
        .satisfies(
            w -> {
              assertThat(w.exhausted()).isTrue();
              assertThat(w.resetsAt()).contains(reset);
            });
    assertThat(windows.get("claude-code"))
        .as("claude-code's window: the tokens its turn reported")
        .satisfies(
            w -> {
              assertThat(w.usedTokens()).isEqualTo(1250);
              assertThat(w.exhausted()).isFalse();
            });
  }

  @Test
  void claudesRateLimitStatusBeforeTheLimitTellsTheLedgerTheResetAndTheWindowsSize() {
    Instant reset = ONE_AM.plus(Duration.ofHours(4));
    OrchestrationConfig config = world.config().maxConcurrent(1).build();
    Path worker =
        world.script(
            "claude",
            """
            {"name": "scripted-agent", "steps": [
              {"tokens": {"inputTokens": 1000, "outputTokens": 250}},
              {"usage": {"used": 1250, "rateLimit": {"status": "allowed_warning",
                "rateLimitType": "five_hour", "resetsAt": %d, "utilization": 0.25}}},
              {"message": "Done."}
            ]}
            """
                .formatted(reset.getEpochSecond()));
    TransientSchedulerStateStore ledger = new TransientSchedulerStateStore();
    AgentCoordinator coordinator =
        world
            .coordinator(
                config, queue, Optional.empty(), List.of(world.agent("claude-code", worker)))
            .decisionEngine(context -> Optional.empty())
            .quotaStore(ledger)
            .build();
    enqueue("Task one", "claude-code");

    cycle("cycle-1", config, coordinator).awaitEnd();

    assertThat(world.recorder.all(CoordinatorEvent.AgentParked.class)).isEmpty();
    assertThat(ledger.quotaWindows())
        .filteredOn(w -> w.agentId().equals("claude-code"))
        .last()
        .satisfies(
            w -> {
              assertThat(w.resetsAt()).as("known before it is spent").contains(reset);
              assertThat(w.usedTokens()).isEqualTo(1250);
              assertThat(w.limitTokens()).as("1250 tokens are a quarter of it").hasValue(5000);
              assertThat(w.exhausted()).isFalse();
            });
  }

  @Test
  void aUsageLimitWithoutAResetParksTheOnlyAgentForABackOffAndTheTaskWaits() {
    OrchestrationConfig config = world.config().maxConcurrent(1).build();
    Path limited = world.script("claude", ScriptedAgentScripts.fault("usage-limit"));
    AgentCoordinator coordinator = coordinator(config, world.agent("claude-code", limited));
    Task task = enqueue("Task one", "claude-code");

    cycle("cycle-1", config, coordinator).awaitEnd();

    assertThat(world.recorder.all(CoordinatorEvent.AgentParked.class))
        .singleElement()
        .satisfies(p -> assertThat(p.until()).isEqualTo(ONE_AM.plus(Duration.ofMinutes(30))));
    assertThat(world.recorder.all(CoordinatorEvent.NothingToDo.class))
        .singleElement()
        .satisfies(n -> assertThat(n.reason()).contains("no allowed agent is available"));
    Task waiting = queue.get(task.id()).orElseThrow();
    assertThat(waiting.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(waiting.attempts()).isZero();
    assertThat(row("Task one")).contains("| pending |", "hit your limit", "released");

    // After the back-off the agent takes tasks again.
    world.time.runUntil(ONE_AM.plus(Duration.ofMinutes(30)));
    assertThat(coordinator.agentAvailability().get("claude-code").available()).isTrue();
  }

  @Test
  void aFailingGateGoesBackToTheSameSessionOnceThenPassesOrFailsTheTask() {
    String check = "test -f FIXED || { echo 'check: FIXED is missing'; exit 1; }";
    OrchestrationConfig config =
        world
            .config()
            .maxConcurrent(2)
            .qualityGate(new QualityGate(Optional.of(check), 60, true, 1))
            .build();
    Path fixer = world.script("fixer", Scripts.FIXES_ON_SECOND_TURN);
    Path stubborn =
        world.script(
            "stubborn",
            """
            {"name": "scripted-agent", "recordPrompts": true, "turns": [
              [{"write": {"path": "feature.txt", "content": "A feature.\\n"}}],
              [{"message": "I looked again and changed nothing."}]
            ]}
            """);
    AgentCoordinator coordinator =
        coordinator(config, world.agent("fixer", fixer), world.agent("stubborn", stubborn));
    Task passes = enqueue("Make the check pass", "fixer");
    Task fails = enqueue("Leave the check failing", "stubborn");

    cycle("cycle-1", config, coordinator).awaitEnd();

    // Each session got a second turn with the gate's output.
    for (Path script : List.of(fixer, stubborn)) {
      List<String> prompts = world.prompts(script);
      assertThat(prompts).hasSize(2);
      assertThat(prompts.get(1))
          .contains("`" + check + "` failed with exit code 1", "check: FIXED is missing");
    }
    Task passed = queue.get(passes.id()).orElseThrow();
    assertThat(passed.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(passed.metadata().get("gate")).startsWith("passed — " + check).endsWith("2 runs");
    Task failed = queue.get(fails.id()).orElseThrow();
    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.lastError().orElseThrow())
        .startsWith("quality gate failed (exit 1) — " + check)
        .endsWith("2 runs");
    // The failed task's work is kept on its branch for a look in the morning.
    assertThat(repo.subjects("main", failed.metadata().get("branch")))
        .containsExactly("Leave the check failing (work in progress)");

    assertThat(row("Make the check pass")).contains("| completed |", "passed — ", "2 runs");
    assertThat(row("Leave the check failing")).contains("| failed |", "failed (exit 1) — ");
    assertThat(world.report()).contains("1 completed, 1 failed");
  }

  @Test
  void aRejectedPushAndAMissingGhStillCompleteTheTasksAndTheReportSaysWhy() throws Exception {
    Path remote = dir.resolve("remote.git");
    Repo.git(dir, "init", "-q", "--bare", "-b", "main", remote.toString());
    Path hook = remote.resolve("hooks/pre-receive");
    Files.writeString(
        hook,
        """
        #!/bin/sh
        while read old new ref; do
          case "$ref" in
            *rejected*) echo "protected: $ref may not be pushed by bots" >&2; exit 1;;
          esac
        done
        """);
    assertThat(hook.toFile().setExecutable(true)).isTrue();
    repo.git("remote", "add", "origin", remote.toString());
    repo.git("push", "-q", "origin", "main");
    PrAutomation pr =
        new PrAutomation(true, true, "overnight/", Optional.of("main"), true, "origin");
    OrchestrationConfig config = world.config().maxConcurrent(2).prAutomation(pr).build();
    Path worker = world.script("worker", Scripts.WORKER);
    AgentCoordinator coordinator =
        world
            .coordinator(config, queue, Optional.empty(), List.of(world.agent("worker", worker)))
            .decisionEngine(context -> Optional.empty())
            // gh as on a machine without it (whatever this machine has on its PATH).
            .publisher(new GhPullRequestPublisher(pr, dir.resolve("no-such-dir/gh").toString()))
            .build();
    Task rejected = enqueue("Rejected change", "worker");
    Task accepted = enqueue("Accepted change", "worker");

    cycle("cycle-1", config, coordinator).awaitEnd();

    Task r = queue.get(rejected.id()).orElseThrow();
    assertThat(r.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(r.metadata()).containsEntry("pushed", "false");
    assertThat(r.metadata().get("push_note"))
        .startsWith("push rejected: ")
        .contains("may not be pushed by bots");
    assertThat(r.metadata())
        .containsEntry("pr_note", "pull request skipped: the branch is not on origin");
    assertThat(Repo.git(remote, "branch", "--list", "overnight/*")).doesNotContain("rejected");

    Task a = queue.get(accepted.id()).orElseThrow();
    assertThat(a.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(a.metadata()).containsEntry("pushed", "true");
    assertThat(a.metadata())
        .containsEntry(
            "pr_note", "pull request skipped: gh is not installed (https://cli.github.com)");
    String branch = a.metadata().get("branch");
    assertThat(Repo.git(remote, "rev-parse", branch)).isEqualTo(a.metadata().get("head"));
    assertThat(Repo.git(remote, "log", "-1", "--format=%s", branch))
        .isEqualTo(Scripts.WORKER_COMMIT);

    assertThat(row("Rejected change"))
        .contains(
            "| completed |",
            "pull request skipped: the branch is not on origin",
            "push rejected: ",
            "may not be pushed by bots");
    assertThat(row("Accepted change"))
        .contains(
            "| completed |", "pull request skipped: gh is not installed (https://cli.github.com)");
  }

  @Test
  void anExhaustedBudgetKillsTheAgentKeepsItsWorkOnTheBranchAndTheNextCycleResumesIt() {
    OrchestrationConfig config =
        world
            .config()
            .timeBudgetSec(1200)
            .maxConcurrent(1)
            // Never stuck before the budget runs out: this is about the budget.
            .limits(new Limits(SpendingLimit.unbounded(), SpendingLimit.unbounded(), 3600, 30))
            // Every worktree gets the user's local secrets, and its setup checks they are there.
            .worktree(
                new WorktreeSettings(
                    Optional.of("test -f .env"),
                    List.of(".env"),
                    WorktreeSettings.DEFAULT_MAX_DISK_MB,
                    false))
            .build();
    repo.write(".env", "TOKEN=local-secret\n");
    Path script = world.script("agent", Scripts.HANGS);
    AgentCoordinator coordinator = coordinator(config, world.agent("claude-code", script));
    Task task = enqueue("Finish the feature", "claude-code");

    ManualCycle first = cycle("cycle-1", config, coordinator);
    CoordinatorEvent.TaskStarted started =
        world.recorder.awaitNth(CoordinatorEvent.TaskStarted.class, 1);
    awaitMessage(started.sessionId(), "write HALF-DONE.md done");
    long pid = World.pidOf(started.sessionId());
    world.time.runUntil(first.deadline().minusSeconds(1));
    assertThat(world.cancelsSent("claude-code", started.sessionId())).isEmpty();
    world.time.runUntil(first.deadline());
    assertThat(world.cancelsSent("claude-code", started.sessionId()))
        .containsExactly("2026-11-25T01:20:00Z");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
    world.time.advance(Duration.ofSeconds(30));
    first.awaitEnd();

    CoordinatorEvent.TaskEnded ended = world.recorder.awaitNth(CoordinatorEvent.TaskEnded.class, 1);
    assertThat(ended.outcome()).isEqualTo(AttemptOutcome.RETRY);
    assertThat(ended.reason()).isEqualTo("time budget exhausted");
    assertThat(World.ended(pid)).isTrue();
    Task pending = queue.get(task.id()).orElseThrow();
    assertThat(pending.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(pending.attempts()).isEqualTo(1);
    String branch = pending.metadata().get("branch");
    assertThat(repo.subjects("main", branch))
        .containsExactly("Finish the feature (work in progress)");
    assertThat(repo.git("show", branch + ":HALF-DONE.md")).isEqualTo("Work in progress.");
    // The copied secrets stay local: Overnight's own commit leaves them out.
    assertThat(repo.git("ls-tree", "-r", "--name-only", branch)).doesNotContain(".env");
    assertThat(repo.worktrees()).hasSize(1);
    assertThat(row("Finish the feature")).contains("| pending |", "time budget exhausted");
    assertThat(world.report()).contains("0 completed, 0 failed, 1 still queued");

    // The next cycle: the agent behaves, finds the earlier work and finishes on the same branch.
    world.script(
        "agent",
        """
        {"name": "scripted-agent", "recordPrompts": true, "steps": [
          {"read": {"path": "HALF-DONE.md"}},
          {"read": {"path": ".env"}},
          {"write": {"path": "DONE.md", "content": "Finished.\\n"}},
          {"terminal": {"command": "sh", "args": ["-c",
            "git add DONE.md && git commit -q -m 'Finish the work'"]}},
          {"message": "Finished."}
        ]}
        """);
    world.time.runUntil(Instant.parse("2026-11-25T01:30:00Z"));
    cycle("cycle-2", config, coordinator).awaitEnd();

    Task done = queue.get(task.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.metadata()).containsEntry("branch", branch);
    assertThat(repo.subjects("main", branch))
        .containsExactly("Finish the work", "Finish the feature (work in progress)");
    assertThat(world.prompts(script))
        .last()
        .asString()
        .contains("An earlier attempt already made progress on this branch");
    // The resumed worktree has the earlier work, and its own copy of the user's local files.
    assertThat(world.recorded(script))
        .filteredOn(n -> n.path("step").asText().equals("read"))
        .extracting(n -> n.path("answer").path("result").path("content").asText())
        .containsExactly("Work in progress.\n", "TOKEN=local-secret\n");
    assertThat(repo.git("ls-tree", "-r", "--name-only", branch)).doesNotContain(".env");
    assertThat(row("Finish the feature")).contains("completed (2 attempts)");
  }

  @Test
  void aNightsTokenLimitWarnsThenStopsStartingTasks() {
    SpendingLimit night = new SpendingLimit(Optional.of(3000L), Optional.empty(), Optional.empty());
    OrchestrationConfig config =
        world
            .config()
            .maxConcurrent(1)
            .limits(new Limits(night, SpendingLimit.unbounded(), 600, 30))
            .build();
    Path worker = world.script("worker", Scripts.WORKER); // 1,250 tokens a task
    AgentCoordinator coordinator = coordinator(config, world.agent("worker", worker));
    List<Task> tasks =
        List.of(
            enqueue("First", "worker"),
            enqueue("Second", "worker"),
            enqueue("Third", "worker"),
            enqueue("Fourth", "worker"));

    ManualCycle cycle = cycle("cycle-1", config, coordinator);
    cycle.awaitEnd();

    // 2,500 tokens after the second task: a warning; 3,750 after the third: no fourth.
    assertThat(world.recorder.all(CoordinatorEvent.LimitWarning.class))
        .extracting(CoordinatorEvent.LimitWarning::message)
        .containsExactly(
            "over 80% of the night's spending limit used",
            "night limit reached (3750 tokens of 3000): no new task starts");
    assertThat(tasks)
        .extracting(t -> queue.get(t.id()).orElseThrow().status())
        .containsExactly(
            TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.PENDING);
    assertThat(queue.get(tasks.get(3).id()).orElseThrow().attempts()).isZero();
    assertThat(row("Fourth")).contains("| pending |");
    assertThat(world.report())
        .contains(
            "3 completed, 0 failed, 1 still queued",
            "3750 tokens",
            "3 tasks run; no more started: night limit reached (3750 tokens of 3000)");
    assertThat(cycle.notes())
        .containsExactly(
            "3 tasks run", "no more started: night limit reached (3750 tokens of 3000)");
  }

  @Test
  void aNightsCostLimitStopsStartingTasksToo() {
    SpendingLimit night = new SpendingLimit(Optional.empty(), Optional.of(0.025), Optional.empty());
    OrchestrationConfig config =
        world
            .config()
            .maxConcurrent(1)
            .limits(new Limits(night, SpendingLimit.unbounded(), 600, 30))
            .build();
    Path worker = world.script("worker", Scripts.WORKER); // $0.01 a task
    AgentCoordinator coordinator = coordinator(config, world.agent("worker", worker));
    List<Task> tasks =
        List.of(
            enqueue("First", "worker"),
            enqueue("Second", "worker"),
            enqueue("Third", "worker"),
            enqueue("Fourth", "worker"));

    ManualCycle cycle = cycle("cycle-1", config, coordinator);
    cycle.awaitEnd();

    assertThat(tasks)
        .extracting(t -> queue.get(t.id()).orElseThrow().status())
        .containsExactly(
            TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.PENDING);
    assertThat(cycle.notes())
        .containsExactly("3 tasks run", "no more started: night limit reached ($0.03 of $0.025)");
  }

  @Test
  void aTaskOverItsOwnTokenLimitFailsWithoutARetryAndTheNextOneStillRuns() {
    SpendingLimit perTask =
        new SpendingLimit(Optional.of(1000L), Optional.empty(), Optional.empty());
    OrchestrationConfig config =
        world
            .config()
            .maxConcurrent(1)
            .limits(new Limits(SpendingLimit.unbounded(), perTask, 600, 30))
            .build();
    Path worker = world.script("worker", Scripts.WORKER); // 1,250 tokens a task
    AgentCoordinator coordinator = coordinator(config, world.agent("worker", worker));
    Task first = enqueue("First", "worker");
    Task second = enqueue("Second", "worker");

    cycle("cycle-1", config, coordinator).awaitEnd();

    for (Task t : List.of(first, second)) {
      Task after = queue.get(t.id()).orElseThrow();
      assertThat(after.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(after.attempts()).isEqualTo(1);
      assertThat(after.lastError().orElseThrow()).contains("per-task limit reached");
    }
    assertThat(row("First")).contains("| failed |", "per-task limit reached");
  }

  @Test
  void worktreesOverTheirDiskBoundHoldTheTaskWithoutSpinning() throws Exception {
    OrchestrationConfig config =
        world
            .config()
            .maxConcurrent(1)
            .worktree(new WorktreeSettings(Optional.empty(), List.of(), 1, false))
            .build();
    // A kept worktree of an earlier night already fills the bound.
    Path leftover = Files.createDirectories(world.state.resolve("worktrees/old-task"));
    Files.write(leftover.resolve("blob"), new byte[2 * 1024 * 1024]);
    Path script = world.script("agent", Scripts.WORKER);
    AgentCoordinator coordinator = coordinator(config, world.agent("claude-code", script));
    Task task = enqueue("Wait for disk", "claude-code");

    ManualCycle cycle = cycle("cycle-1", config, coordinator);
    cycle.awaitEnd();

    assertThat(world.recorder.all(CoordinatorEvent.TaskStarted.class)).isEmpty();
    assertThat(world.recorder.all(CoordinatorEvent.TaskEnded.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(AttemptOutcome.RELEASED);
              assertThat(e.reason()).startsWith("waiting for disk: ").contains("max_disk_mb");
            });
    Task waiting = queue.get(task.id()).orElseThrow();
    assertThat(waiting.status()).isEqualTo(TaskStatus.PENDING);
    assertThat(waiting.attempts()).isZero();
    try (Stream<Path> entries = Files.list(world.state.resolve("worktrees"))) {
      assertThat(entries).containsExactly(leftover);
    }
    assertThat(row("Wait for disk")).contains("| pending |", "waiting for disk");
    assertThat(cycle.notes()).hasSize(2).first().isEqualTo("0 tasks run");
    assertThat(cycle.notes().get(1)).startsWith("no more started: waiting for disk: ");
    assertThat(world.report()).contains("0 tasks run; no more started: waiting for disk: ");
  }
}
