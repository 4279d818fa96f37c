package dev.overnight.core.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.cleanup.CleanupStep.Action;
import dev.overnight.core.cleanup.CleanupStep.Kind;
import dev.overnight.core.pr.PullRequestLookup;
import dev.overnight.core.pr.PullRequestState;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code overnight cleanup} on real git: a workspace cloned from a local bare remote, branches in
 * each state a pull request can leave them, and worktrees of finished and unfinished tasks.
 */
class CleanupTest {
  @TempDir Path dir;

  private final ManualTimeSource time = ManualTimeSource.at("2026-11-25T08:00:00Z");
  private final TaskQueue queue = InMemoryTaskQueue.builder(time).build();
  private Path workspace;
  private Path worktrees;
  private Git git;
  private Git remote;

  /** What the forge says of each branch: merged, closed, open, or (absent) no pull request. */
  private final Map<String, PullRequestState> states =
      Map.of(
          "overnight/merged-1", PullRequestState.MERGED,
          "overnight/closed-unpushed-2", PullRequestState.CLOSED,
          "overnight/open-3", PullRequestState.CHECKS_FAILING,
          "overnight/done-task-5", PullRequestState.MERGED,
          "overnight/dirty-task-6", PullRequestState.CLOSED,
          "overnight/running-task-7", PullRequestState.MERGED,
          "feature/mine", PullRequestState.MERGED);

  private final PullRequestLookup lookup =
      branch -> {
        if (branch.equals("overnight/forge-down-8")) {
          throw new OrchestrationException("gh pr list failed: could not resolve host");
        }
        return Optional.ofNullable(states.get(branch));
      };

  @BeforeEach
  void aCloneOfABareRemote() throws IOException {
    Path bare = dir.resolve("remote.git");
    remote = new Git(dir);
    remote.check("init", "-q", "--bare", "-b", "main", bare.toString());
    workspace = dir.resolve("repo");
    remote.check("clone", "-q", bare.toString(), workspace.toString());
    git = new Git(workspace);
    git.check("config", "user.name", "Dev");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "commit.gpgsign", "false");
    git.check("checkout", "-q", "-b", "main");
    commit("README.md", "# Demo\n");
    git.check("push", "-q", "origin", "main");
    worktrees = dir.resolve("state/worktrees");
    Files.createDirectories(worktrees);
  }

  private void commit(String file, String text) throws IOException {
    Files.writeString(workspace.resolve(file), text);
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "Change " + file);
  }

  /** A branch from main with one commit, pushed or not. */
  private void branch(String name, boolean push) throws IOException {
    git.check("checkout", "-q", "-b", name, "main");
    commit(name.replace('/', '_') + ".txt", name + "\n");
    if (push) {
      git.check("push", "-q", "origin", name);
    }
    git.check("checkout", "-q", "main");
  }

  /** A task's worktree on its own pushed branch; the task left in the state asked for. */
  private Path worktreeOf(Task task, String branch) throws IOException {
    branch(branch, true);
    Path path = worktrees.resolve(task.id().shortId() + "-task");
    git.check("worktree", "add", "-q", path.toString(), branch);
    return path;
  }

  private Task task(String title) {
    return queue.enqueue(TaskSpec.builder("Do " + title).title(title).build()).task();
  }

  private Task finished(String title) {
    Task t = task(title);
    Task claimed = queue.claimNext("w", Duration.ofMinutes(5)).orElseThrow();
    assertThat(claimed.id()).isEqualTo(t.id());
    return queue.complete(t.id(), "w", "done", Map.of());
  }

  private OrchestrationConfig config() {
    return OrchestrationConfig.builder(ConfigValue.of(workspace.toString())).build();
  }

  private boolean localBranch(String name) {
    return git.run("show-ref", "--verify", "--quiet", "refs/heads/" + name).succeeded();
  }

  private boolean remoteBranch(String name) {
    return git.run("ls-remote", "--exit-code", "--heads", "origin", name).succeeded();
  }

  private static Optional<CleanupStep> step(List<CleanupStep> steps, Kind kind, String subject) {
    return steps.stream()
        .filter(s -> s.kind() == kind && s.subject().endsWith(subject))
        .findFirst();
  }

  @Test
  void aDryRunSaysWhatWouldGoAndTheRealRunRemovesOnlyThatNeverUnpushedWork() throws Exception {
    branch("overnight/merged-1", true);
    branch("overnight/closed-unpushed-2", true);
    git.check("checkout", "-q", "overnight/closed-unpushed-2");
    commit("local-only.txt", "not pushed\n");
    git.check("checkout", "-q", "main");
    branch("overnight/open-3", true);
    branch("overnight/no-pr-4", true);
    branch("overnight/forge-down-8", true);
    branch("feature/mine", true);
    Path done = worktreeOf(finished("done task"), "overnight/done-task-5");
    Task dirtyTask = finished("dirty task");
    Path dirty = worktreeOf(dirtyTask, "overnight/dirty-task-6");
    Files.writeString(dirty.resolve("uncommitted.txt"), "work in progress\n");
    Task pending = task("running task");
    Path running = worktreeOf(pending, "overnight/running-task-7");
    Cleanup cleanup = Cleanup.of(config(), worktrees, queue, lookup);

    List<CleanupStep> planned = cleanup.run(true, true);

    assertThat(planned)
        .filteredOn(s -> s.action() == Action.WOULD_REMOVE)
        .extracting(CleanupStep::describe)
        .containsExactly(
            "would remove worktree "
                + done.toRealPath()
                + ": its task "
                + done.getFileName().toString().substring(0, 8)
                + " is completed",
            "would remove branch overnight/done-task-5: its pull request was merged",
            "would remove remote branch origin/overnight/done-task-5: its pull request was merged",
            "would remove branch overnight/merged-1: its pull request was merged",
            "would remove remote branch origin/overnight/merged-1: its pull request was merged");
    assertThat(Files.exists(done)).isTrue();
    assertThat(localBranch("overnight/merged-1")).isTrue();
    assertThat(remoteBranch("overnight/merged-1")).isTrue();

    List<CleanupStep> steps = cleanup.run(false, true);

    assertThat(Files.exists(done)).isFalse();
    assertThat(localBranch("overnight/done-task-5")).isFalse();
    assertThat(remoteBranch("overnight/done-task-5")).isFalse();
    assertThat(localBranch("overnight/merged-1")).isFalse();
    assertThat(remoteBranch("overnight/merged-1")).isFalse();
    assertThat(step(steps, Kind.BRANCH, "overnight/merged-1").orElseThrow().action())
        .isEqualTo(Action.REMOVED);
    // Kept, each for its reason.
    assertThat(step(steps, Kind.BRANCH, "overnight/closed-unpushed-2").orElseThrow().reason())
        .isEqualTo("it holds 1 commit on no remote");
    assertThat(localBranch("overnight/closed-unpushed-2")).isTrue();
    assertThat(remoteBranch("overnight/closed-unpushed-2")).isTrue();
    assertThat(step(steps, Kind.BRANCH, "overnight/open-3").orElseThrow().reason())
        .isEqualTo("its pull request is checks failing");
    assertThat(step(steps, Kind.BRANCH, "overnight/no-pr-4").orElseThrow().reason())
        .isEqualTo("it has no pull request");
    assertThat(step(steps, Kind.BRANCH, "overnight/forge-down-8").orElseThrow().reason())
        .startsWith("its pull request's state is unknown: gh pr list failed");
    assertThat(step(steps, Kind.WORKTREE, dirty.getFileName().toString()).orElseThrow().reason())
        .isEqualTo("it has uncommitted changes");
    assertThat(step(steps, Kind.BRANCH, "overnight/dirty-task-6").orElseThrow().reason())
        .startsWith("it is checked out in ");
    assertThat(step(steps, Kind.WORKTREE, running.getFileName().toString()).orElseThrow().reason())
        .isEqualTo("its task " + pending.id().shortId() + " is pending");
    assertThat(Files.exists(running)).isTrue();
    assertThat(localBranch("overnight/running-task-7")).isTrue();
    assertThat(steps).noneMatch(s -> s.subject().contains("feature/mine"));
    assertThat(localBranch("feature/mine")).isTrue();
    assertThat(steps).noneMatch(s -> s.action() == Action.FAILED);
  }

  @Test
  void keepingTheRemoteDeletesOnlyTheLocalBranch() throws Exception {
    branch("overnight/merged-1", true);

    List<CleanupStep> steps = Cleanup.of(config(), worktrees, queue, lookup).run(false, false);

    assertThat(steps)
        .extracting(CleanupStep::describe)
        .containsExactly("removed branch overnight/merged-1: its pull request was merged");
    assertThat(localBranch("overnight/merged-1")).isFalse();
    assertThat(remoteBranch("overnight/merged-1")).isTrue();
  }

  @Test
  void aMergedBranchThatWasNeverPushedIsKept() throws Exception {
    branch("overnight/merged-1", false);

    List<CleanupStep> steps = Cleanup.of(config(), worktrees, queue, lookup).run(false, true);

    assertThat(steps)
        .extracting(CleanupStep::describe)
        .containsExactly("kept branch overnight/merged-1: it holds 1 commit on no remote");
    assertThat(localBranch("overnight/merged-1")).isTrue();
  }
}
