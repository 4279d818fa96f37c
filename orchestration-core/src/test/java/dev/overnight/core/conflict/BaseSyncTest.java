package dev.overnight.core.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.ConflictSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syncing a task's branch with its moved base, on real git: a workspace cloned from a local bare
 * remote, the task's branch pushed, the base moved by another clone (a teammate).
 */
class BaseSyncTest {
  private static final String BRANCH = "overnight/tidy-parser-1";

  @TempDir Path dir;

  private final ManualTimeSource time = ManualTimeSource.at("2026-11-25T08:00:00Z");
  private final TaskQueue queue = InMemoryTaskQueue.builder(time).build();
  private Path workspace;
  private Git git;
  private Git teammate;
  private final AtomicInteger gateRuns = new AtomicInteger();
  private final List<SyncResult> escalated = new ArrayList<>();

  @BeforeEach
  void aWorkspaceAndATeammateCloningOneBareRemote() throws IOException {
    Path bare = dir.resolve("remote.git");
    Git outside = new Git(dir);
    outside.check("init", "-q", "--bare", "-b", "main", bare.toString());
    workspace = dir.resolve("repo");
    outside.check("clone", "-q", bare.toString(), workspace.toString());
    git = identified(workspace, "Dev");
    git.check("checkout", "-q", "-b", "main");
    commit(git, "Parser.java", "class Parser {\n  int depth = 1;\n}\n", "Add the parser");
    commit(git, "README.md", "# Demo\n", "Add a README");
    git.check("push", "-q", "origin", "main");
    outside.check("clone", "-q", bare.toString(), dir.resolve("teammate").toString());
    teammate = identified(dir.resolve("teammate"), "Teammate");
  }

  private static Git identified(Path path, String name) {
    Git g = new Git(path);
    g.check("config", "user.name", name);
    g.check("config", "user.email", name.toLowerCase() + "@example.com");
    g.check("config", "commit.gpgsign", "false");
    return g;
  }

  private static void commit(Git g, String file, String text, String message) {
    try {
      Files.writeString(g.dir().resolve(file), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    g.check("add", "-A");
    g.check("commit", "-q", "-m", message);
  }

  /** Overnight's work: a branch from main with one commit, pushed; its head recorded. */
  private Task overnightBranch(String file, String text) {
    git.check("checkout", "-q", "-b", BRANCH, "main");
    commit(git, file, text, "Tidy the parser");
    git.check("push", "-q", "origin", BRANCH);
    String head = git.revParse("HEAD");
    git.check("checkout", "-q", "main");
    Map<String, String> facts = new java.util.LinkedHashMap<>();
    TaskFacts.BRANCH.put(facts, BRANCH);
    TaskFacts.HEAD.put(facts, head);
    return queue
        .enqueue(TaskSpec.builder("Tidy the parser").title("Tidy parser").metadata(facts).build())
        .task();
  }

  /** The teammate moves main on the remote. */
  private String baseMoves(String file, String text) {
    teammate.check("pull", "-q", "origin", "main");
    commit(teammate, file, text, "Teammate changes " + file);
    teammate.check("push", "-q", "origin", "main");
    return teammate.revParse("HEAD");
  }

  private OrchestrationConfig config(ConflictSettings.Strategy strategy) {
    return OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
        .prAutomation(
            new PrAutomation(true, true, "overnight/", Optional.of("main"), true, "origin"))
        .conflicts(new ConflictSettings(strategy, ConflictSettings.Overlap.WAIT, 100))
        .build();
  }

  private BaseSync.Builder sync(ConflictSettings.Strategy strategy) {
    return BaseSync.builder(config(strategy))
        .scratchRoot(dir.resolve("state/worktrees"))
        .gate(
            w -> {
              gateRuns.incrementAndGet();
              return Optional.empty();
            })
        .onNeedsHuman((task, result) -> escalated.add(result));
  }

  private ConflictResolver agent(FakeTurn turn) {
    FakeAgent fake = FakeAgent.builder("claude-code").session(turn).build();
    return ConflictResolver.agent(
        fake, config(ConflictSettings.Strategy.REBASE), List.of(), Duration.ofMinutes(10), time);
  }

  private String remoteBranch() {
    return git.check("ls-remote", "origin", "refs/heads/" + BRANCH).split("\\s")[0];
  }

  private boolean isAncestor(String a, String b) {
    return git.run("merge-base", "--is-ancestor", a, b).succeeded();
  }

  private int parents(String commit) {
    return git.check("rev-list", "--parents", "-n", "1", commit).split(" ").length - 1;
  }

  @Test
  void aBranchThatContainsItsBaseIsLeftAlone() {
    Task task = overnightBranch("Notes.md", "notes\n");
    String before = remoteBranch();

    SyncResult r = sync(ConflictSettings.Strategy.REBASE).build().sync(task);

    assertThat(r.outcome()).isEqualTo(SyncOutcome.UP_TO_DATE);
    assertThat(r.pushed()).isFalse();
    assertThat(remoteBranch()).isEqualTo(before);
    assertThat(gateRuns).hasValue(0);
  }

  @Test
  void overnightsOwnBranchIsRebasedOntoTheMovedBaseGatedAndPushedWithALease() {
    Task task = overnightBranch("Notes.md", "notes\n");
    String oldHead = remoteBranch();
    String base = baseMoves("README.md", "# Demo, moved on\n");
    String userHead = git.revParse("HEAD");

    SyncResult r = sync(ConflictSettings.Strategy.REBASE).build().sync(task);

    assertThat(r.outcome()).isEqualTo(SyncOutcome.REBASED);
    assertThat(r.pushed()).isTrue();
    assertThat(gateRuns).hasValue(1);
    String newHead = remoteBranch();
    assertThat(newHead).isEqualTo(r.head()).isNotEqualTo(oldHead);
    assertThat(isAncestor(base, newHead)).isTrue();
    assertThat(parents(newHead)).as("a rebase adds no merge commit").isEqualTo(1);
    assertThat(git.revParse("refs/heads/" + BRANCH)).isEqualTo(newHead);
    assertThat(r.facts())
        .containsEntry("base_sync", "rebased")
        .containsEntry("head", newHead)
        .doesNotContainKey("conflict_files");
    // The user's checkout is untouched.
    assertThat(git.revParse("HEAD")).isEqualTo(userHead);
    assertThat(git.currentBranch()).contains("main");
    assertThat(git.isDirty()).isFalse();
  }

  @Test
  void theMergeStrategyMergesTheBaseWithoutRewritingTheBranch() {
    Task task = overnightBranch("Notes.md", "notes\n");
    String oldHead = remoteBranch();
    String base = baseMoves("README.md", "# Demo, moved on\n");

    SyncResult r = sync(ConflictSettings.Strategy.MERGE).build().sync(task);

    assertThat(r.outcome()).isEqualTo(SyncOutcome.MERGED);
    assertThat(r.pushed()).isTrue();
    String newHead = remoteBranch();
    assertThat(isAncestor(oldHead, newHead)).isTrue();
    assertThat(isAncestor(base, newHead)).isTrue();
    assertThat(parents(newHead)).isEqualTo(2);
    assertThat(gateRuns).hasValue(1);
  }

  @Test
  void aBranchAHumanPushedToIsMergedNeverRebasedAndTheirCommitIsKept() {
    Task task = overnightBranch("Notes.md", "notes\n");
    teammate.check("fetch", "-q", "origin", BRANCH);
    teammate.check("checkout", "-q", "-b", "review-fix", "origin/" + BRANCH);
    commit(teammate, "Notes.md", "notes, reviewed\n", "Reviewer's fix");
    teammate.check("push", "-q", "origin", "review-fix:" + BRANCH);
    String humans = teammate.revParse("HEAD");
    teammate.check("checkout", "-q", "main");
    String base = baseMoves("README.md", "# Demo, moved on\n");

    SyncResult r = sync(ConflictSettings.Strategy.REBASE).build().sync(task);

    assertThat(r.outcome()).isEqualTo(SyncOutcome.MERGED);
    assertThat(r.note()).contains("commits Overnight did not make");
    String newHead = remoteBranch();
    assertThat(isAncestor(humans, newHead)).as("the human's commit is kept as it is").isTrue();
    assertThat(isAncestor(base, newHead)).isTrue();
    assertThat(git.check("log", "--format=%s", newHead)).contains("Reviewer's fix");
  }

  @Test
  void aConflictGoesToTheAgentWithTheFilesAndMarkersThenTheGateThenThePush() {
    Task task = overnightBranch("Parser.java", "class Parser {\n  int depth = 2;\n}\n");
    String base = baseMoves("Parser.java", "class Parser {\n  int depth = 3;\n}\n");
    FakeAgent fake =
        FakeAgent.builder("claude-code")
            .session(
                FakeTurn.builder()
                    .write("Parser.java", "class Parser {\n  int depth = 3 + 2;\n}\n")
                    .endTurn())
            .build();
    ConflictResolver resolver =
        ConflictResolver.agent(
            fake,
            config(ConflictSettings.Strategy.REBASE),
            List.of(),
            Duration.ofMinutes(10),
            time);

    SyncResult r = sync(ConflictSettings.Strategy.REBASE).resolver(resolver).build().sync(task);

    assertThat(r.outcome()).isEqualTo(SyncOutcome.RESOLVED);
    assertThat(r.conflictedFiles()).containsExactly("Parser.java");
    assertThat(r.pushed()).isTrue();
    assertThat(fake.prompts())
        .singleElement()
        .asString()
        .contains("`Parser.java`", "<<<<<<<", "int depth = 2;", "int depth = 3;", ">>>>>>>");
    assertThat(fake.requests().get(0).workingDirectory())
        .as("a fresh worktree, not the user's checkout")
        .isNotEqualTo(workspace);
    String newHead = remoteBranch();
    assertThat(isAncestor(base, newHead)).isTrue();
    assertThat(git.check("show", newHead + ":Parser.java")).contains("int depth = 3 + 2;");
    assertThat(gateRuns).hasValue(1);
    assertThat(r.facts())
        .containsEntry("base_sync", "resolved")
        .containsEntry("conflict_files", "Parser.java");
    assertThat(escalated).isEmpty();
  }

  @Test
  void aConflictTheAgentLeavesUnresolvedNeedsAHumanAndTheBranchStaysAsItWas() {
    Task task = overnightBranch("Parser.java", "class Parser {\n  int depth = 2;\n}\n");
    String oldHead = remoteBranch();
    baseMoves("Parser.java", "class Parser {\n  int depth = 3;\n}\n");

    SyncResult r =
        sync(ConflictSettings.Strategy.REBASE)
            .resolver(agent(FakeTurn.builder().message("I could not decide.").endTurn()))
            .build()
            .sync(task);

    assertThat(r.outcome()).isEqualTo(SyncOutcome.NEEDS_RESOLUTION);
    assertThat(r.needsHuman()).isTrue();
    assertThat(r.note()).contains("conflict markers in Parser.java");
    assertThat(r.pushed()).isFalse();
    assertThat(remoteBranch()).isEqualTo(oldHead);
    assertThat(git.revParse("refs/heads/" + BRANCH)).isEqualTo(oldHead);
    assertThat(escalated).containsExactly(r);
    assertThat(r.facts())
        .containsEntry("base_sync", "needs_resolution")
        .containsEntry("conflict_files", "Parser.java")
        .doesNotContainKey("head");
    assertThat(git.check("worktree", "list")).doesNotContain("sync-");
  }

  @Test
  void withoutAnAgentAConflictGoesStraightToAHuman() {
    Task task = overnightBranch("Parser.java", "class Parser {\n  int depth = 2;\n}\n");
    baseMoves("Parser.java", "class Parser {\n  int depth = 3;\n}\n");

    SyncResult r = sync(ConflictSettings.Strategy.MERGE).build().sync(task);

    assertThat(r.outcome()).isEqualTo(SyncOutcome.NEEDS_RESOLUTION);
    assertThat(r.note()).contains("no agent is set to resolve conflicts");
    assertThat(gateRuns).hasValue(0);
  }

  @Test
  void aGateThatFailsWithTheBaseInGetsOneTurnAndThenNeedsAHuman() {
    Task task = overnightBranch("Notes.md", "notes\n");
    String oldHead = remoteBranch();
    baseMoves("README.md", "# Demo, moved on\n");
    FakeAgent fake =
        FakeAgent.builder("claude-code")
            .session(FakeTurn.builder().write("Notes.md", "notes, fixed?\n").endTurn())
            .build();

    SyncResult r =
        BaseSync.builder(config(ConflictSettings.Strategy.REBASE))
            .scratchRoot(dir.resolve("state/worktrees"))
            .gate(
                w -> {
                  gateRuns.incrementAndGet();
                  return Optional.of("`make check` exit 2\nParserTest failed");
                })
            .resolver(
                ConflictResolver.agent(
                    fake,
                    config(ConflictSettings.Strategy.REBASE),
                    List.of(),
                    Duration.ofMinutes(10),
                    time))
            .build()
            .sync(task);

    assertThat(r.outcome()).isEqualTo(SyncOutcome.NEEDS_RESOLUTION);
    assertThat(gateRuns).hasValue(2);
    assertThat(fake.prompts()).singleElement().asString().contains("ParserTest failed");
    assertThat(r.note()).contains("the quality gate fails with main taken in");
    assertThat(remoteBranch()).isEqualTo(oldHead);
    assertThat(git.revParse("refs/heads/" + BRANCH)).isEqualTo(oldHead);
  }

  @Test
  void aRebasedBranchNeverOverwritesACommitPushedWhileTheSyncRan() {
    Task task = overnightBranch("Notes.md", "notes\n");
    baseMoves("README.md", "# Demo, moved on\n");
    String[] sneaked = new String[1];

    SyncResult r =
        BaseSync.builder(config(ConflictSettings.Strategy.REBASE))
            .scratchRoot(dir.resolve("state/worktrees"))
            .gate(
                w -> {
                  // Someone pushes to the branch between Overnight's fetch and its push.
                  teammate.check("fetch", "-q", "origin", BRANCH);
                  teammate.check("checkout", "-q", "-B", "late", "origin/" + BRANCH);
                  commit(teammate, "Late.md", "late\n", "A late commit");
                  teammate.check("push", "-q", "origin", "late:" + BRANCH);
                  sneaked[0] = teammate.revParse("HEAD");
                  teammate.check("checkout", "-q", "main");
                  return Optional.empty();
                })
            .build()
            .sync(task);

    assertThat(r.outcome()).isEqualTo(SyncOutcome.REBASED);
    assertThat(r.pushed()).isFalse();
    assertThat(r.note()).contains("push rejected");
    assertThat(remoteBranch()).isEqualTo(sneaked[0]);
  }

  @Test
  void theTrialMergeFindsTheSameConflictsAsMergeTree() {
    overnightBranch("Parser.java", "class Parser {\n  int depth = 2;\n}\n");
    baseMoves("Parser.java", "class Parser {\n  int depth = 3;\n}\n");
    git.check("fetch", "-q", "origin");
    Path scratch = dir.resolve("state/worktrees");

    MergeProbe inMemory = MergeProbe.of(git, scratch);
    MergeProbe trial = MergeProbe.withTrialMerge(git, scratch);

    assertThat(inMemory.inMemory()).as("git here is 2.38 or later").isTrue();
    assertThat(trial.inMemory()).isFalse();
    assertThat(inMemory.conflicts(BRANCH, "origin/main")).containsExactly("Parser.java");
    assertThat(trial.conflicts(BRANCH, "origin/main")).containsExactly("Parser.java");
    assertThat(inMemory.conflicts(BRANCH, "main")).isEmpty();
    assertThat(trial.conflicts(BRANCH, "main")).isEmpty();
    assertThat(git.check("worktree", "list").lines()).hasSize(1);
    assertThat(git.isDirty()).isFalse();
  }
}
