package dev.overnight.core.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.ConflictSettings;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.notify.Attention;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.Notifier;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.coordinator.AgentCoordinator;
import dev.overnight.core.coordinator.GhPullRequestPublisher;
import dev.overnight.core.notify.ConfiguredNotifier;
import dev.overnight.core.notify.Notifications;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualCycle;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Overnight pull requests where the second conflicts with the first once the first has merged,
 * on virtual time with real git: a night runs both tasks and pushes both branches to a local bare
 * remote; the first is merged on the remote; then the second is synced with its moved base —
 * rebased when it does not conflict, resolved by its agent's follow-up turn when it does, and
 * handed to a human (notified at once) when the agent cannot.
 */
class ConflictingPullRequestsTest {
  private static final PrAutomation PR =
      new PrAutomation(true, true, "overnight/", Optional.of("main"), true, "origin");

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-11-25T01:00:00Z"));
  private final InMemoryTaskQueue queue = InMemoryTaskQueue.create(time);
  private final AtomicInteger gateRuns = new AtomicInteger();
  private final List<Notification> notified = new CopyOnWriteArrayList<>();
  private Path workspace;
  private Git git;
  private Git github;
  private OrchestrationConfig config;
  private AgentCoordinator coordinator;

  @BeforeEach
  void aWorkspaceClonedFromABareRemote() throws IOException {
    Path bare = dir.resolve("remote.git");
    Git outside = new Git(dir);
    outside.check("init", "-q", "--bare", "-b", "main", bare.toString());
    workspace = dir.resolve("repo");
    outside.check("clone", "-q", bare.toString(), workspace.toString());
    git = identified(workspace);
    git.check("checkout", "-q", "-b", "main");
    Files.writeString(workspace.resolve("Parser.java"), "class Parser {\n  int depth = 1;\n}\n");
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "Add the parser");
    git.check("push", "-q", "origin", "main");
    // Where pull requests are merged: a clone standing in for the forge's merge button.
    outside.check("clone", "-q", bare.toString(), dir.resolve("forge").toString());
    github = identified(dir.resolve("forge"));
    config =
        OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
            .id("night")
            .stateDir(ConfigValue.of(dir.resolve("state").toString()))
            .maxConcurrent(1)
            .prAutomation(PR)
            .conflicts(
                new ConflictSettings(
                    ConflictSettings.Strategy.REBASE, ConflictSettings.Overlap.WAIT, 100))
            .build();
  }

  @AfterEach
  void close() {
    if (coordinator != null) {
      coordinator.close();
    }
  }

  private static Git identified(Path path) {
    Git g = new Git(path);
    g.check("config", "user.name", "Dev");
    g.check("config", "user.email", "dev@example.com");
    g.check("config", "commit.gpgsign", "false");
    return g;
  }

  private Task enqueue(String title) {
    return queue
        .enqueue(TaskSpec.builder("Do this: " + title).title(title).agentId("worker").build())
        .task();
  }

  /** One night: both tasks run, each branch committed and pushed (no gh here: no PR opened). */
  private void night(FakeTurn first, FakeTurn second) {
    FakeAgent worker =
        FakeAgent.builder("worker").timeSource(time).session(first).session(second).build();
    coordinator =
        AgentCoordinator.builder(config)
            .taskQueue(queue)
            .agentProviders(List.of(worker))
            .timeSource(time)
            .stateDir(dir.resolve("state"))
            .workerId("night-worker")
            .decisionEngine(context -> Optional.empty())
            .publisher(new GhPullRequestPublisher(PR, "gh-not-installed-here"))
            .build();
    new ManualCycle("cycle-1", time.instant(), time.instant().plusSeconds(3600)).runOn(coordinator);
  }

  /** The forge merges a task's pull request into main. */
  private void merge(Task task) {
    String branch = TaskFacts.BRANCH.from(queue.get(task.id()).orElseThrow()).orElseThrow();
    github.check("pull", "-q", "origin", "main");
    github.check("fetch", "-q", "origin", branch);
    github.check("merge", "-q", "--no-ff", "-m", "Merge " + branch, "origin/" + branch);
    github.check("push", "-q", "origin", "main");
  }

  private BaseSync.Builder sync() {
    return BaseSync.builder(config)
        .scratchRoot(dir.resolve("state/worktrees"))
        .gate(
            w -> {
              gateRuns.incrementAndGet();
              return Files.isRegularFile(w.resolve("Parser.java"))
                  ? Optional.empty()
                  : Optional.of("Parser.java is missing");
            });
  }

  private static FakeTurn edits(String file, String content) {
    return FakeTurn.builder().write(file, content).message("Changed " + file + ".").endTurn();
  }

  private String remoteHead(String branch) {
    return git.check("ls-remote", "origin", "refs/heads/" + branch).split("\\s")[0];
  }

  private Task now(Task task) {
    return queue.get(task.id()).orElseThrow();
  }

  @Test
  void aSecondPullRequestThatStillMergesCleanlyIsRebasedGatedAndPushed() {
    Task first = enqueue("Deepen the parser");
    Task second = enqueue("Document the parser");
    night(
        edits("Parser.java", "class Parser {\n  int depth = 2;\n}\n"),
        edits("PARSER.md", "# The parser\n"));
    assertThat(List.of(now(first), now(second)))
        .extracting(Task::status)
        .containsOnly(TaskStatus.COMPLETED);
    assertThat(TaskFacts.PUSHED.from(now(second))).contains(true);
    merge(first);

    SyncResult r = sync().build().sync(now(second));

    assertThat(r.outcome()).isEqualTo(SyncOutcome.REBASED);
    assertThat(r.pushed()).isTrue();
    assertThat(gateRuns).hasValue(1);
    String branch = r.branch();
    assertThat(git.check("show", remoteHead(branch) + ":Parser.java")).contains("depth = 2");
    assertThat(git.check("show", remoteHead(branch) + ":PARSER.md")).contains("# The parser");
  }

  @Test
  void aConflictingSecondPullRequestIsResolvedByItsAgentsFollowUpTurnThenGatedAndPushed() {
    Task first = enqueue("Deepen the parser");
    Task second = enqueue("Bound the parser");
    night(
        edits("Parser.java", "class Parser {\n  int depth = 2;\n}\n"),
        edits("Parser.java", "class Parser {\n  int depth = 1;\n  int max = 10;\n}\n"));
    merge(first);
    FakeAgent resolver =
        FakeAgent.builder("worker")
            .timeSource(time)
            .session(edits("Parser.java", "class Parser {\n  int depth = 2;\n  int max = 10;\n}\n"))
            .build();

    SyncResult r =
        sync()
            .resolver(
                ConflictResolver.agent(resolver, config, List.of(), Duration.ofMinutes(20), time))
            .build()
            .sync(now(second));

    assertThat(r.outcome()).isEqualTo(SyncOutcome.RESOLVED);
    assertThat(r.conflictedFiles()).containsExactly("Parser.java");
    assertThat(resolver.prompts()).singleElement().asString().contains("<<<<<<<", "int max = 10;");
    assertThat(gateRuns).hasValue(1);
    assertThat(r.pushed()).isTrue();
    assertThat(git.check("show", remoteHead(r.branch()) + ":Parser.java"))
        .isEqualTo("class Parser {\n  int depth = 2;\n  int max = 10;\n}");
    assertThat(r.facts())
        .containsEntry(TaskFacts.BASE_SYNC.key(), "resolved")
        .containsEntry(TaskFacts.CONFLICT_FILES.key(), "Parser.java");
  }

  @Test
  void aConflictTheAgentCannotResolveGoesToAHumanAtOnce() {
    Task first = enqueue("Deepen the parser");
    Task second = enqueue("Bound the parser");
    night(
        edits("Parser.java", "class Parser {\n  int depth = 2;\n}\n"),
        edits("Parser.java", "class Parser {\n  int depth = 3;\n}\n"));
    String before = remoteHead(TaskFacts.BRANCH.from(now(second)).orElseThrow());
    merge(first);
    FakeAgent resolver =
        FakeAgent.builder("worker")
            .timeSource(time)
            .session(FakeTurn.builder().message("Both sides look right to me.").endTurn())
            .build();
    Notifier recording =
        new Notifier() {
          @Override
          public String describe() {
            return "recording";
          }

          @Override
          public void send(Notification n) {
            notified.add(n);
          }
        };

    SyncResult r;
    try (Notifications notifications =
        Notifications.create(
            config,
            time,
            List.of(
                new ConfiguredNotifier(
                    NotifierSettings.of(0, "recording", Map.of()), recording)))) {
      r =
          sync()
              .resolver(
                  ConflictResolver.agent(resolver, config, List.of(), Duration.ofMinutes(20), time))
              .onNeedsHuman(
                  (task, result) ->
                      notifications.conflictUnresolved(
                          time.instant(), task, result.conflictedFiles(), result.note()))
              .build()
              .sync(now(second));
    }

    assertThat(r.outcome()).isEqualTo(SyncOutcome.NEEDS_RESOLUTION);
    assertThat(gateRuns).as("nothing to gate").hasValue(0);
    assertThat(remoteHead(r.branch())).as("the branch is left as it was").isEqualTo(before);
    assertThat(notified)
        .first()
        .satisfies(
            n -> {
              assertThat(n.attention()).contains(Attention.CONFLICT);
              assertThat(n.text()).contains("Parser.java", "conflict markers");
            });
  }
}
