package dev.overnight.core.pr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.QualityGate;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.conflict.BaseSync;
import dev.overnight.core.coordinator.AgentCoordinator;
import dev.overnight.core.coordinator.PublishResult;
import dev.overnight.core.coordinator.PullRequestFollowUps;
import dev.overnight.core.coordinator.PullRequestPublisher;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.report.MorningReport;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualCycle;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follow-ups on a pull request Overnight opened, against the GitHub imitation and a real bare
 * remote: a failing check or a review asking for changes becomes a follow-up turn on the same
 * branch, with the log or the comments in its prompt; its push updates the pull request, which gets
 * a comment; nothing is answered twice, even after a restart; a human's commits are kept.
 */
class PullRequestFollowUpTest {
  private static final String TOKEN = "ghp_follow-up-token";
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");
  private static final Usage TURN = new Usage(1000, 200, 0, 0, Optional.of(0.01));

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final List<AgentCoordinator> coordinators = new ArrayList<>();
  private final AtomicLong pulls = new AtomicLong();
  private GitHubImitation github;
  private Path bare;
  private Git user;
  private InMemoryTaskQueue queue;
  private int cycles;

  @BeforeEach
  void aRepositoryWithARemoteAndGitHub() throws IOException {
    github = new GitHubImitation(TOKEN);
    bare = dir.resolve("remote.git");
    Files.createDirectories(bare);
    new Git(bare).check("init", "-q", "--bare", "-b", "main");
    github.followPushesTo(bare);
    user = clone(dir.resolve("repo"), "Dev", "dev@example.com");
    write(user, "src/App.java", "class App { int add(int a, int b) { return a + b; } }\n");
    user.check("add", "-A");
    user.check("commit", "-q", "-m", "Start");
    user.check("push", "-q", "origin", "main");
    queue = InMemoryTaskQueue.create(time);
  }

  @AfterEach
  void closeAll() {
    coordinators.forEach(AgentCoordinator::close);
    assertThat(github.violations()).isEmpty();
    github.close();
  }

  private Git clone(Path where, String name, String email) {
    Git git = new Git(where);
    try {
      Files.createDirectories(where);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.name", name);
    git.check("config", "user.email", email);
    git.check("config", "commit.gpgsign", "false");
    git.check("remote", "add", "origin", bare.toString());
    return git;
  }

  private static void write(Git git, String path, String content) {
    try {
      Path file = git.dir().resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private OrchestrationConfig config(PrAutomation.FollowUps bounds) {
    return OrchestrationConfig.builder(ConfigValue.of(user.dir().toString()))
        .id("test")
        .stateDir(ConfigValue.of(dir.resolve("state").toString()))
        .prAutomation(
            new PrAutomation(true, true, "overnight/", Optional.of("main"), true, "origin")
                .withFollowUps(bounds))
        .qualityGate(new QualityGate(Optional.of("grep -q 'a + b' src/App.java"), 60, false, 0))
        .build();
  }

  /** Pushes the task's branch to the bare remote and opens a pull request in the imitation. */
  private final PullRequestPublisher opener =
      (worktree, task, gate, summary) -> {
        worktree.commitLeftovers(task, "");
        worktree.git().check("push", "-q", "origin", worktree.branch());
        String head = worktree.git().check("rev-parse", "HEAD");
        long n = pulls.incrementAndGet();
        github.open(n, worktree.branch(), head);
        return new PublishResult(
            worktree.branch(),
            1,
            head,
            true,
            Optional.empty(),
            Optional.of("https://github.com/octo/app/pull/" + n),
            Optional.empty());
      };

  private AgentCoordinator coordinator(OrchestrationConfig config, FakeAgent agent) {
    AgentCoordinator c =
        AgentCoordinator.builder(config)
            .taskQueue(queue)
            .agentProviders(List.of(agent))
            .timeSource(time)
            .stateDir(dir.resolve("state"))
            .publisher(opener)
            .decisionEngine(context -> Optional.empty())
            .followUps(
                new PullRequestFollowUps(
                    config,
                    GitHubPullRequests.of(
                        github.api(), "octo", "app", Optional.of(TOKEN), Duration.ofSeconds(10))))
            .build();
    coordinators.add(c);
    return c;
  }

  private void runCycle(AgentCoordinator c) {
    Instant now = time.instant();
    new ManualCycle("cycle-" + ++cycles, now, now.plusSeconds(3600)).runOn(c);
    time.advance(Duration.ofMinutes(30));
  }

  private Task enqueue(String title) {
    return queue.enqueue(TaskSpec.builder("Add a subtraction to App").title(title).build()).task();
  }

  private List<Task> followUps() {
    return queue.list(TaskFilter.all()).items().stream()
        .filter(PullRequestFollowUps::isFollowUp)
        .toList();
  }

  private static FakeTurn writes(String content, String message) {
    return FakeTurn.builder().write("src/App.java", content).message(message).endTurn(TURN);
  }

  private String remoteHead(String branch) {
    return new Git(bare).check("rev-parse", "refs/heads/" + branch);
  }

  private static final String WITH_SUB =
      "class App { int add(int a, int b) { return a + b; } int sub(int a, int b) { return a - b;"
          + " } }\n";
  private static final String FIXED =
      "class App { int add(int a, int b) { return a + b; } int sub(int a, int b) { return a - b;"
          + " } // checked\n}\n";

  @Test
  void aFailingCheckBecomesAFollowUpWhosePushUpdatesThePullRequestWhichGetsAComment() {
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(writes(WITH_SUB, "Added sub."))
            .session(writes(FIXED, "Marked the method as checked so the lint passes."))
            .build();
    OrchestrationConfig config = config(PrAutomation.FollowUps.defaults());
    AgentCoordinator night = coordinator(config, agent);
    Task task = enqueue("Add sub");

    runCycle(night);
    assertThat(queue.get(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
    String branch = TaskFacts.BRANCH.from(queue.get(task.id()).orElseThrow()).orElseThrow();
    String opened = github.head(1);
    github.actionsCheck(
        1, "build", "failure", "Compiling\nAppTest.sub: expected 1 but was -1\nBuild failed\n");

    runCycle(night);

    List<Task> followUps = followUps();
    assertThat(followUps).singleElement();
    Task followUp = followUps.get(0);
    assertThat(followUp.status())
        .as(followUp.lastError().orElse(""))
        .isEqualTo(TaskStatus.COMPLETED);
    assertThat(followUp.metadata())
        .containsEntry("follow_up_of", task.id().toString())
        .containsEntry("follow_up_answers", "check:build@" + opened)
        .containsEntry("follow_up_answering", "the failing check build")
        .containsEntry("branch", branch)
        .containsEntry("pr_url", "https://github.com/octo/app/pull/1");
    assertThat(agent.prompts().get(1))
        .contains("https://github.com/octo/app/pull/1")
        .contains("The check build failed")
        .contains("AppTest.sub: expected 1 but was -1")
        .contains("Add a subtraction to App");
    // The push moved the pull request's head on from where it was, without a force.
    String pushed = remoteHead(branch);
    assertThat(pushed).isNotEqualTo(opened).isEqualTo(github.head(1));
    assertThat(new Git(bare).run("merge-base", "--is-ancestor", opened, pushed).succeeded())
        .isTrue();
    assertThat(new Git(bare).check("show", pushed + ":src/App.java")).contains("// checked");
    assertThat(github.commentsOn(1))
        .singleElement()
        .asString()
        .startsWith("Overnight pushed a follow-up answering the failing check build: 1 commit")
        .contains("`src/App.java`")
        .contains("Quality gate: passed")
        .contains("Marked the method as checked");

    // The check passes on the new head: nothing more to do, however often it is looked at.
    github.actionsCheck(1, "build", "success", "ok");
    runCycle(night);
    runCycle(coordinator(config, agent));
    assertThat(followUps()).hasSize(1);
    assertThat(agent.sessions()).hasSize(2);
  }

  @Test
  void aReviewAskingForChangesIsAnsweredOnceEvenAfterARestart() {
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(writes(WITH_SUB, "Added sub."))
            .session(writes(FIXED.replace("sub(", "subtract("), "Renamed sub to subtract."))
            .build();
    OrchestrationConfig config = config(PrAutomation.FollowUps.defaults());
    AgentCoordinator night = coordinator(config, agent);
    enqueue("Add sub");
    runCycle(night);
    GitHubImitation.Review review =
        github.review(
            1,
            "dave",
            "CHANGES_REQUESTED",
            "Names matter here.",
            new String[] {
              "src/App.java", "1", "Call it `subtract`, as the rest of the code does."
            });

    runCycle(night);

    assertThat(followUps())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.status()).isEqualTo(TaskStatus.COMPLETED);
              assertThat(f.metadata())
                  .containsEntry("follow_up_answers", "review:" + review.id)
                  .containsEntry("follow_up_answering", "the review of dave");
            });
    assertThat(agent.prompts().get(1))
        .contains("The review of dave asks for changes")
        .contains("Names matter here.")
        .contains("- src/App.java:1: Call it `subtract`, as the rest of the code does.");
    assertThat(github.commentsOn(1))
        .singleElement()
        .asString()
        .startsWith("Overnight pushed a follow-up answering the review of dave: 1 commit");

    // dave has not looked again, so his review still asks for changes: it was answered, though.
    runCycle(coordinator(config, agent));
    assertThat(followUps()).hasSize(1);
    assertThat(agent.sessions()).hasSize(2);
  }

  @Test
  void aHumansCommitsOnTheBranchAreKeptWhetherPushedBeforeOrDuringTheFollowUp() {
    Git human = clone(dir.resolve("human"), "Hannah", "hannah@example.com");
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(writes(WITH_SUB, "Added sub."))
            .session(
                FakeTurn.builder()
                    .write("src/App.java", FIXED)
                    .act(
                        worktree -> {
                          // While the agent works, the human pushes once more.
                          human.check("pull", "-q", "--no-rebase", "origin", branchOf(human));
                          write(human, "CHANGELOG.md", "- sub\n");
                          human.check("add", "-A");
                          human.check("commit", "-q", "-m", "Note sub in the changelog");
                          human.check("push", "-q", "origin", "HEAD");
                        })
                    .message("Fixed it.")
                    .endTurn(TURN))
            .build();
    OrchestrationConfig config = config(PrAutomation.FollowUps.defaults());
    AgentCoordinator night = coordinator(config, agent);
    Task task = enqueue("Add sub");
    runCycle(night);
    String branch = TaskFacts.BRANCH.from(queue.get(task.id()).orElseThrow()).orElseThrow();
    // Before the follow-up, the human adds a test to the pull request's branch.
    human.check("fetch", "-q", "origin", branch);
    human.check("checkout", "-q", "-b", branch, "FETCH_HEAD");
    write(human, "src/AppTest.java", "class AppTest {}\n");
    human.check("add", "-A");
    human.check("commit", "-q", "-m", "Add a test for sub");
    human.check("push", "-q", "origin", branch);
    String humans = human.check("rev-parse", "HEAD");
    github.actionsCheck(1, "build", "failure", "AppTest failed\n");

    runCycle(night);

    Task followUp = followUps().get(0);
    assertThat(followUp.status())
        .as(followUp.lastError().orElse(""))
        .isEqualTo(TaskStatus.COMPLETED);
    String pushed = remoteHead(branch);
    Git remote = new Git(bare);
    String log = remote.check("log", "--format=%an %s", pushed);
    assertThat(log)
        .contains("Hannah Add a test for sub")
        .contains("Hannah Note sub in the changelog");
    assertThat(remote.run("merge-base", "--is-ancestor", humans, pushed).succeeded()).isTrue();
    assertThat(remote.check("show", pushed + ":src/App.java")).contains("// checked");
    assertThat(remote.check("show", pushed + ":CHANGELOG.md")).isEqualTo("- sub");
    assertThat(github.commentsOn(1))
        .singleElement()
        .asString()
        .contains("those commits are kept and merged, not overwritten");
  }

  private static String branchOf(Git git) {
    return git.check("rev-parse", "--abbrev-ref", "HEAD");
  }

  @Test
  void followUpsStopAtTheirBoundsAndNeverForAnEndedPullRequest() {
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(writes(WITH_SUB, "Added sub."))
            .session(writes(WITH_SUB.replace("class", "final class"), "Made App final."))
            .session(writes(FIXED, "Checked."))
            .build();
    OrchestrationConfig config = config(new PrAutomation.FollowUps(1, 10, false));
    AgentCoordinator night = coordinator(config, agent);
    enqueue("Add sub");
    runCycle(night);
    github.actionsCheck(1, "build", "failure", "first failure\n");
    runCycle(night);
    assertThat(followUps()).hasSize(1);

    // A new failure on the new head: one follow-up per pull request is all it may get.
    github.actionsCheck(1, "build", "failure", "second failure\n");
    runCycle(night);
    assertThat(followUps()).hasSize(1);

    // Turned off: nothing is even asked.
    int asked = github.requests().size();
    runCycle(coordinator(config(PrAutomation.FollowUps.off()), agent));
    assertThat(github.requests()).hasSize(asked);
    assertThat(agent.sessions()).hasSize(2);
  }

  @Test
  void aMergedPullRequestEndsItsTaskCancelsItsQueuedFollowUpAndIsNotReadAgain() {
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(writes(WITH_SUB, "Added sub."))
            .build();
    OrchestrationConfig config = config(PrAutomation.FollowUps.defaults());
    AgentCoordinator night = coordinator(config, agent);
    Task task = enqueue("Add sub");
    runCycle(night);
    PullRequestFollowUps watcher =
        new PullRequestFollowUps(
            config,
            GitHubPullRequests.of(
                github.api(), "octo", "app", Optional.of(TOKEN), Duration.ofSeconds(10)));
    github.actionsCheck(1, "build", "failure", "broken\n");
    List<Task> queued = watcher.watch(queue, time.instant());
    assertThat(queued).singleElement();
    assertThat(queue.get(task.id()).orElseThrow().metadata())
        .containsEntry("pr_state", "checks_failing");

    github.merge(1);
    watcher.watch(queue, time.instant());
    runCycle(night);
    runCycle(night);

    Task ended = queue.get(task.id()).orElseThrow();
    assertThat(ended.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(ended.metadata()).containsEntry("pr_state", "merged");
    Task cancelled = queue.get(queued.get(0).id()).orElseThrow();
    assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(queue.events(cancelled.id()).get(queue.events(cancelled.id()).size() - 1).reason())
        .isEqualTo("the pull request was merged");
    assertThat(agent.sessions()).hasSize(1);
    assertThat(github.requests())
        .filteredOn(r -> r.equals("GET /repos/octo/app/pulls/1"))
        .as("read while open, then once to learn it was merged, never again")
        .hasSize(2);
    assertThat(
            new MorningReport(
                    "test",
                    ONE_AM,
                    time.instant(),
                    ZoneOffset.UTC,
                    List.of(),
                    List.of(ended, cancelled))
                .markdown())
        .contains("https://github.com/octo/app/pull/1 (merged)")
        .contains("follow-up answering the failing check build");
  }

  @Test
  void aClosedPullRequestIsNotedAndGetsNoFollowUp() {
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(writes(WITH_SUB, "Added sub."))
            .build();
    AgentCoordinator night = coordinator(config(PrAutomation.FollowUps.defaults()), agent);
    Task task = enqueue("Add sub");
    runCycle(night);
    github.review(1, "dave", "CHANGES_REQUESTED", "Not like this.");
    github.closeUnmerged(1);

    runCycle(night);

    assertThat(followUps()).isEmpty();
    assertThat(queue.get(task.id()).orElseThrow().metadata()).containsEntry("pr_state", "closed");
  }

  @Test
  void aNightStartsAtMostPerNightFollowUpsOverAllPullRequests() {
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(writes(WITH_SUB, "Added sub."))
            .build();
    OrchestrationConfig config = config(new PrAutomation.FollowUps(3, 1, false));
    AgentCoordinator night = coordinator(config, agent);
    enqueue("Add sub");
    queue.enqueue(TaskSpec.builder("Add mul to App").title("Add mul").build());
    runCycle(night);
    github.actionsCheck(1, "build", "failure", "one\n");
    github.actionsCheck(2, "build", "failure", "two\n");
    PullRequestFollowUps watcher =
        new PullRequestFollowUps(
            config,
            GitHubPullRequests.of(
                github.api(), "octo", "app", Optional.of(TOKEN), Duration.ofSeconds(10)));

    assertThat(watcher.watch(queue, time.instant()))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.metadata())
                    .containsEntry("pr_url", "https://github.com/octo/app/pull/1"));
    assertThat(watcher.watch(queue, time.instant())).isEmpty();
    // Twelve hours on, the other pull request gets its turn.
    time.advance(Duration.ofHours(13));
    assertThat(watcher.watch(queue, time.instant()))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.metadata())
                    .containsEntry("pr_url", "https://github.com/octo/app/pull/2"));
  }

  @Test
  void followUpsNeedAGitHubRemoteAndATokenUnlessTheyAreOff() {
    user.check("remote", "set-url", "origin", "https://github.com/octo/app.git");
    OrchestrationConfig on = config(PrAutomation.FollowUps.defaults());

    assertThat(PullRequestFollowUps.forConfig(on, java.util.Map.of("GH_TOKEN", TOKEN))).isPresent();
    assertThat(PullRequestFollowUps.forConfig(on, java.util.Map.of())).isEmpty();
    assertThat(
            PullRequestFollowUps.forConfig(
                config(PrAutomation.FollowUps.off()), java.util.Map.of("GH_TOKEN", TOKEN)))
        .isEmpty();
    user.check("remote", "set-url", "origin", bare.toString());
    assertThat(PullRequestFollowUps.forConfig(on, java.util.Map.of("GH_TOKEN", TOKEN))).isEmpty();
  }

  @Test
  void aSyncThatChangedAnOpenPullRequestsBranchSaysSoInOneCommentAndNoneWhenUpToDate() {
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .timeSource(time)
            .session(writes(WITH_SUB, "Added sub."))
            .build();
    OrchestrationConfig config = config(PrAutomation.FollowUps.defaults());
    Task task = enqueue("Add sub");
    runCycle(coordinator(config, agent));
    String branch = TaskFacts.BRANCH.from(queue.get(task.id()).orElseThrow()).orElseThrow();
    PullRequestFollowUps watcher =
        new PullRequestFollowUps(
                config,
                GitHubPullRequests.of(
                    github.api(), "octo", "app", Optional.of(TOKEN), Duration.ofSeconds(10)))
            .syncingWithBase(
                BaseSync.builder(config).scratchRoot(dir.resolve("state/worktrees")).build(),
                (t, r) -> {});

    watcher.watch(queue, time.instant());
    assertThat(github.commentsOn(1)).as("main has not moved: nothing to say").isEmpty();

    write(user, "README.md", "# App\n");
    user.check("add", "-A");
    user.check("commit", "-q", "-m", "Add a README");
    user.check("push", "-q", "origin", "main");
    String mainTip = user.check("rev-parse", "HEAD");
    watcher.watch(queue, time.instant());

    assertThat(
            new Git(bare)
                .run("merge-base", "--is-ancestor", mainTip, remoteHead(branch))
                .succeeded())
        .isTrue();
    assertThat(github.commentsOn(1))
        .containsExactly("Brought up to date with main (rebased); the gate passed.");

    // Up to date now: however often it is looked at, nothing more is said.
    watcher.watch(queue, time.instant());
    assertThat(github.commentsOn(1)).hasSize(1);
  }
}
