package dev.overnight.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.ConflictSettings;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.QualityGate;
import dev.overnight.api.notify.Attention;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.Notifier;
import dev.overnight.api.pipeline.PipelineOperation;
import dev.overnight.api.pipeline.StepStatus;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.conflict.BaseSync;
import dev.overnight.core.conflict.ConflictResolver;
import dev.overnight.core.conflict.SyncOutcome;
import dev.overnight.core.conflict.SyncResult;
import dev.overnight.core.notify.ConfiguredNotifier;
import dev.overnight.core.notify.Notifications;
import dev.overnight.core.pipeline.PipelineCatalog;
import dev.overnight.core.pipeline.Pipelines;
import dev.overnight.core.pipeline.StepRecord;
import dev.overnight.core.pipeline.internal.BuiltInOperations;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's branch brought up to date with its base before its pull request opens, on virtual time
 * with real git: main moves on the remote while the agent works; the finished branch is rebased (or
 * the conflict resolved by the agent's one turn) and gated again before the push, so the pull
 * request opens on a branch that merges cleanly; when it cannot be brought up to date, the pull
 * request opens anyway from the task's own commits, as a draft that says a human is needed, and the
 * conflict is told at once. The pull request is opened by the real publisher through a stand-in
 * {@code gh} that records what it was asked.
 */
class SyncBeforeOpeningTest {
  /** Pull requests ready for review, so that a draft can only come from a conflict. */
  private static final PrAutomation PR =
      new PrAutomation(true, false, "overnight/", Optional.of("main"), true, "origin");

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-11-25T01:00:00Z"));
  private final InMemoryTaskQueue queue = InMemoryTaskQueue.create(time);
  private final List<SyncResult> told = new CopyOnWriteArrayList<>();
  private final List<Notification> notified = new CopyOnWriteArrayList<>();
  private Path bare;
  private Git workspace;
  private Git colleague;
  private OrchestrationConfig config;
  private Notifications notifications;
  private AgentCoordinator coordinator;

  @BeforeEach
  void aWorkspaceAColleagueAndABareRemote() throws IOException {
    bare = dir.resolve("remote.git");
    Git outside = new Git(dir);
    outside.check("init", "-q", "--bare", "-b", "main", bare.toString());
    workspace = clone("repo");
    write(workspace, "Parser.java", "class Parser {\n  int depth = 1;\n}\n");
    workspace.check("add", "-A");
    workspace.check("commit", "-q", "-m", "Add the parser");
    workspace.check("push", "-q", "origin", "main");
    colleague = clone("colleague");
    colleague.check("pull", "-q", "origin", "main");
    config =
        OrchestrationConfig.builder(ConfigValue.of(workspace.dir().toString()))
            .id("night")
            .stateDir(ConfigValue.of(dir.resolve("state").toString()))
            .maxConcurrent(1)
            .prAutomation(PR)
            .qualityGate(
                new QualityGate(
                    Optional.of(
                        "echo run >> '" + dir.resolve("gate-runs") + "' && test -f Parser.java"),
                    60,
                    false,
                    0))
            .conflicts(
                new ConflictSettings(
                    ConflictSettings.Strategy.REBASE, ConflictSettings.Overlap.WAIT, 100))
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
    notifications =
        Notifications.create(
            config,
            time,
            List.of(
                new ConfiguredNotifier(NotifierSettings.of(0, "recording", Map.of()), recording)));
  }

  @AfterEach
  void close() {
    if (coordinator != null) {
      coordinator.close();
    }
    notifications.close();
  }

  private Git clone(String name) {
    Path where = dir.resolve(name);
    new Git(dir).check("clone", "-q", bare.toString(), where.toString());
    Git git = new Git(where);
    git.check("config", "user.name", "Dev");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "commit.gpgsign", "false");
    return git;
  }

  private static void write(Git git, String file, String content) {
    try {
      Files.writeString(git.dir().resolve(file), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The colleague pushes {@code content} as Parser.java to main: the base moves on. */
  private String colleaguePushes(String content) {
    write(colleague, "Parser.java", content);
    colleague.check("commit", "-q", "-am", "Change the parser on main");
    colleague.check("push", "-q", "origin", "main");
    return colleague.check("rev-parse", "HEAD");
  }

  /**
   * A first turn that writes {@code content} to {@code file} while the colleague moves main on
   * (Parser.java at depth 2), main's new tip then in {@code mainTip[0]}.
   */
  private FakeTurn.Builder writesWhileMainMoves(String file, String content, String[] mainTip) {
    return FakeTurn.builder()
        .write(file, content)
        .act(w -> mainTip[0] = colleaguePushes("class Parser {\n  int depth = 2;\n}\n"));
  }

  /** The agent "worker" on virtual time, one session for each of {@code turns}. */
  private FakeAgent worker(FakeTurn... turns) {
    FakeAgent.Builder agent = FakeAgent.builder("worker").timeSource(time);
    for (FakeTurn turn : turns) {
      agent.session(turn);
    }
    return agent.build();
  }

  /**
   * A stand-in for {@code gh}: logged in, and {@code pr create} prints the pull request's URL; each
   * call's arguments are recorded one a line, calls separated by "--".
   */
  private Path gh() throws IOException {
    Path calls = dir.resolve("gh-calls");
    Path script = dir.resolve("gh");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "for a in \"$@\"; do printf '%s\\n' \"$a\" >> '"
            + calls
            + "'; done; echo -- >> '"
            + calls
            + "'\n"
            + "case \"$1\" in\n"
            + "  --version) echo 'gh version 2.99.0'; exit 0 ;;\n"
            + "  auth) exit 0 ;;\n"
            + "  pr) echo 'https://github.com/acme/app/pull/7'; exit 0 ;;\n"
            + "esac\n"
            + "exit 2\n");
    script.toFile().setExecutable(true);
    return script;
  }

  /** What {@code gh pr create} was asked, one argument a line. */
  private String prCreate() throws IOException {
    List<String> creates =
        List.of(Files.readString(dir.resolve("gh-calls")).split("--\n")).stream()
            .filter(c -> c.startsWith("pr\ncreate\n"))
            .toList();
    assertThat(creates).as("one pull request opened").hasSize(1);
    return creates.get(0);
  }

  private int gateRuns() throws IOException {
    Path runs = dir.resolve("gate-runs");
    return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
  }

  /** One night with {@code agent}, pull requests opened through the stand-in gh. */
  private Task night(FakeAgent agent) throws IOException {
    return night(
        agent,
        TaskSpec.builder("Do this: bound the parser")
            .title("Bound the parser")
            .agentId("worker")
            .build(),
        Optional.empty());
  }

  /** One night with {@code agent} on {@code spec}, run through {@code pipelines} if given. */
  private Task night(FakeAgent agent, TaskSpec spec, Optional<Pipelines> pipelines)
      throws IOException {
    Task task = queue.enqueue(spec).task();
    AgentCoordinator.Builder builder =
        AgentCoordinator.builder(config)
            .taskQueue(queue)
            .agentProviders(List.of(agent))
            .timeSource(time)
            .stateDir(dir.resolve("state"))
            .workerId("night-worker")
            .decisionEngine(context -> Optional.empty())
            .publisher(new GhPullRequestPublisher(PR, gh().toString()))
            .syncBeforeOpening(
                BaseSync.builder(config)
                    .scratchRoot(dir.resolve("state/worktrees"))
                    .resolver(
                        ConflictResolver.taskAgent(
                            List.of(agent), config, List.of(), Duration.ofMinutes(20), time))
                    .build(),
                (t, r) -> {
                  told.add(r);
                  notifications.baseSynced(time.instant(), t, r);
                });
    pipelines.ifPresent(builder::pipelines);
    coordinator = builder.build();
    new ManualCycle("cycle-1", time.instant(), time.instant().plusSeconds(3600)).runOn(coordinator);
    Task done = queue.get(task.id()).orElseThrow();
    assertThat(done.status()).as(done.lastError().orElse("")).isEqualTo(TaskStatus.COMPLETED);
    return done;
  }

  /** What was told at once, asking for a person, once every notification is sent. */
  private List<Notification> needsHuman() {
    notifications.close();
    return notified.stream().filter(n -> n.attention().isPresent()).toList();
  }

  private String remoteBranch(Task task) {
    return new Git(bare).check("rev-parse", "refs/heads/" + TaskFacts.BRANCH.from(task).get());
  }

  private boolean contains(String descendant, String ancestor) {
    return new Git(bare).run("merge-base", "--is-ancestor", ancestor, descendant).succeeded();
  }

  private String remoteFile(String commit, String file) {
    return new Git(bare).check("show", commit + ":" + file);
  }

  @Test
  void aBaseThatMovedWithoutConflictIsTakenInAndGatedAgainBeforeThePullRequestOpens()
      throws IOException {
    String[] mainTip = new String[1];
    FakeAgent agent =
        worker(
            writesWhileMainMoves("PARSER.md", "# The parser\n", mainTip)
                .message("Documented the parser.")
                .endTurn());

    Task task = night(agent);

    assertRebasedOnto(mainTip[0], task);
    assertThat(TaskFacts.BASE_SYNCS.from(task).orElseThrow())
        .as("counted as a follow-up on the pull request")
        .endsWith(" rebased main " + mainTip[0]);
    assertThat(TaskFacts.CHANGED_FILES.from(task))
        .as("the task's own work, without main's")
        .hasValue("PARSER.md");
    assertThat(needsHuman()).as("nothing needs a human").isEmpty();
  }

  @Test
  void aPipelinesOpenPrStepTakesInTheMovedBaseBeforeThePullRequestOpens() throws IOException {
    String[] mainTip = new String[1];
    FakeAgent agent =
        worker(
            writesWhileMainMoves("PARSER.md", "# The parser\n", mainTip)
                .message("Fixed the linter's findings.")
                .endTurn());
    Map<String, PipelineOperation> operations = new LinkedHashMap<>();
    BuiltInOperations.all().forEach(o -> operations.put(o.name(), o));
    Pipelines pipelines = Pipelines.of(operations, workspace.dir());
    String fixLint = PipelineCatalog.reference("fix-lint");
    TaskSpec spec =
        pipelines.enqueue(
            fixLint,
            Map.of(),
            pipelines.catalog().load(fixLint).shortHash(),
            config,
            Set.of("worker"));

    Task task = night(agent, spec, Optional.of(pipelines));

    assertThat(StepRecord.on(task).get("pr").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertRebasedOnto(mainTip[0], task);
  }

  /**
   * The task's one commit, PARSER.md, was rebased onto main's new tip and gated again before its
   * pull request opened (not as a draft), and the sync was told once.
   */
  private void assertRebasedOnto(String mainTip, Task task) throws IOException {
    String pushed = remoteBranch(task);
    assertThat(contains(pushed, mainTip)).as("the branch holds main's new tip").isTrue();
    assertThat(remoteFile(pushed, "PARSER.md")).isEqualTo("# The parser");
    assertThat(remoteFile(pushed, "Parser.java")).contains("depth = 2");
    assertThat(gateRuns()).as("the task's gate, then the gate with main taken in").isEqualTo(2);
    assertThat(prCreate())
        .contains("--head\n" + TaskFacts.BRANCH.from(task).get() + "\n")
        .doesNotContain("--draft")
        .doesNotContain("needs a human");
    assertThat(TaskFacts.BASE_SYNC.from(task)).hasValue("rebased");
    assertThat(TaskFacts.HEAD.from(task)).hasValue(pushed);
    assertThat(TaskFacts.COMMITS.from(task)).as("the task's own commits").hasValue(1L);
    assertThat(told).singleElement().extracting(SyncResult::outcome).isEqualTo(SyncOutcome.REBASED);
  }

  @Test
  void aBaseThatMovedWithAConflictIsResolvedByTheAgentsTurnBeforeThePullRequestOpens()
      throws IOException {
    String[] mainTip = new String[1];
    FakeAgent agent =
        worker(
            writesWhileMainMoves(
                    "Parser.java",
                    "class Parser {\n  int depth = 1;\n  int max = 10;\n}\n",
                    mainTip)
                .message("Bounded the parser.")
                .endTurn(new Usage(1_000, 200, 0, 0, Optional.empty())),
            FakeTurn.builder()
                .write("Parser.java", "class Parser {\n  int depth = 2;\n  int max = 10;\n}\n")
                .message("Kept both.")
                .endTurn(new Usage(300, 50, 0, 0, Optional.empty())));

    Task task = night(agent);
    assertThat(TaskFacts.TOKENS.from(task))
        .as("the task's turn and the turn that resolved its conflict with main")
        .hasValue(1_550L);

    assertThat(agent.prompts()).hasSize(2);
    assertThat(agent.prompts().get(1)).contains("<<<<<<<", "Parser.java");
    String pushed = remoteBranch(task);
    assertThat(contains(pushed, mainTip[0])).isTrue();
    assertThat(remoteFile(pushed, "Parser.java"))
        .isEqualTo("class Parser {\n  int depth = 2;\n  int max = 10;\n}");
    assertThat(gateRuns()).isEqualTo(2);
    assertThat(prCreate()).doesNotContain("--draft");
    assertThat(TaskFacts.BASE_SYNC.from(task)).hasValue("resolved");
    assertThat(TaskFacts.CONFLICT_FILES.from(task)).hasValue("Parser.java");
    assertThat(TaskFacts.BASE_SYNCS.from(task).orElseThrow()).contains(" resolved main ");
    assertThat(told)
        .singleElement()
        .extracting(SyncResult::outcome)
        .isEqualTo(SyncOutcome.RESOLVED);
    assertThat(needsHuman()).isEmpty();
  }

  @Test
  void aConflictTheAgentCannotResolveOpensADraftFromTheTasksOwnCommitsAndIsToldOnce()
      throws IOException {
    String[] mainTip = new String[1];
    FakeAgent agent =
        worker(
            writesWhileMainMoves("Parser.java", "class Parser {\n  int depth = 3;\n}\n", mainTip)
                .message("Deepened the parser.")
                .endTurn(),
            FakeTurn.builder().message("Both sides look right to me.").endTurn());

    Task task = night(agent);

    String pushed = remoteBranch(task);
    assertThat(contains(pushed, mainTip[0])).as("main is not taken in").isFalse();
    assertThat(remoteFile(pushed, "Parser.java"))
        .as("the task's own work, nothing lost")
        .isEqualTo("class Parser {\n  int depth = 3;\n}");
    assertThat(gateRuns()).as("nothing more to gate").isEqualTo(1);
    assertThat(prCreate())
        .startsWith("pr\ncreate\n--draft\n")
        .contains("Conflicts with main in: Parser.java — needs a human.");
    assertThat(TaskFacts.BASE_SYNC.from(task)).hasValue("needs_resolution");
    assertThat(TaskFacts.CONFLICT_FILES.from(task)).hasValue("Parser.java");
    assertThat(TaskFacts.PR_URL.from(task)).hasValue("https://github.com/acme/app/pull/7");
    assertThat(needsHuman())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.attention()).contains(Attention.CONFLICT);
              assertThat(n.text()).contains("Bound the parser", "Parser.java");
            });
  }

  @Test
  void aBranchAlreadyHoldingItsBaseOpensAsItIsWithNothingRecorded() throws IOException {
    FakeAgent agent =
        worker(
            FakeTurn.builder()
                .write("PARSER.md", "# The parser\n")
                .message("Documented the parser.")
                .endTurn());

    Task task = night(agent);

    assertThat(gateRuns()).isEqualTo(1);
    assertThat(agent.prompts()).hasSize(1);
    assertThat(prCreate()).doesNotContain("--draft");
    assertThat(TaskFacts.BASE_SYNC.from(task)).isEmpty();
    assertThat(TaskFacts.BASE_SYNCS.from(task)).isEmpty();
    assertThat(told).isEmpty();
  }

  @Test
  void theRuntimeSyncsBeforeOpeningWithTheTasksOwnAgentResolvingTheConflict() throws IOException {
    String[] mainTip = new String[1];
    FakeAgent agent =
        worker(
            writesWhileMainMoves(
                    "Parser.java",
                    "class Parser {\n  int depth = 1;\n  int max = 10;\n}\n",
                    mainTip)
                .message("Bounded the parser.")
                .endTurn(),
            FakeTurn.builder()
                .write("Parser.java", "class Parser {\n  int depth = 2;\n  int max = 10;\n}\n")
                .message("Kept both.")
                .endTurn());
    Task task;
    try (OvernightRuntime runtime =
        OvernightRuntime.builder(config)
            .statePaths(new StatePaths(dir.resolve("state")))
            .timeSource(time)
            .environment(Map.of())
            .homeDirectory(dir.resolve("home"))
            .shutdownHook(false)
            .cycleExecutor(Runnable::run)
            .decisionEngine(context -> Optional.empty())
            .agentProvider(agent)
            .pullRequestPublisher(new GhPullRequestPublisher(PR, gh().toString()))
            .build()) {
      Task queued =
          runtime
              .taskQueue()
              .enqueue(
                  TaskSpec.builder("Do this: bound the parser").title("Bound the parser").build())
              .task();
      runtime.runOnce();
      task = runtime.taskQueue().get(queued.id()).orElseThrow();
    }

    assertThat(task.status()).as(task.lastError().orElse("")).isEqualTo(TaskStatus.COMPLETED);
    assertThat(agent.prompts()).hasSize(2);
    assertThat(agent.prompts().get(1)).contains("<<<<<<<");
    String pushed = remoteBranch(task);
    assertThat(contains(pushed, mainTip[0])).isTrue();
    assertThat(remoteFile(pushed, "Parser.java"))
        .isEqualTo("class Parser {\n  int depth = 2;\n  int max = 10;\n}");
    assertThat(gateRuns()).isEqualTo(2);
    assertThat(TaskFacts.BASE_SYNC.from(task)).hasValue("resolved");
    assertThat(prCreate()).contains("--head\n" + TaskFacts.BRANCH.from(task).get() + "\n");
  }
}
