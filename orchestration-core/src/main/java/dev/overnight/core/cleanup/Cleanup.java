package dev.overnight.core.cleanup;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.cleanup.CleanupStep.Action;
import dev.overnight.core.cleanup.CleanupStep.Kind;
import dev.overnight.core.pr.PullRequestLookup;
import dev.overnight.core.pr.PullRequestState;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.worktree.Git;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Removes what finished work leaves behind: the worktrees of tasks that are done (completed, failed
 * or cancelled) and the branches with the config's {@code branch_prefix} whose pull requests were
 * merged or closed, locally and, when asked, on the remote.
 *
 * <p><b>What is never removed.</b> A worktree with uncommitted changes, or whose task is pending or
 * in progress. A branch without a pull request, with an open one, or whose state cannot be read; a
 * branch checked out in a worktree that stays; and a branch holding a commit that is on no remote
 * (not reachable from any remote-tracking branch after {@code git fetch --prune}), so work that
 * exists only on this machine is never lost. A remote branch is deleted only together with its
 * local branch, after that check.
 *
 * <p>Not thread-safe; one cleanup at a time per workspace. Blocks on git, the remote and the pull
 * request lookup.
 *
 * @since 0.1.0
 */
public final class Cleanup {
  private final OrchestrationConfig config;
  private final Path worktreesRoot;
  private final TaskQueue queue;
  private final PullRequestLookup prs;
  private final Git git;

  private Cleanup(
      OrchestrationConfig config, Path worktreesRoot, TaskQueue queue, PullRequestLookup prs) {
    this.config = Objects.requireNonNull(config, "config");
    this.worktreesRoot = real(worktreesRoot);
    this.queue = Objects.requireNonNull(queue, "queue");
    this.prs = Objects.requireNonNull(prs, "prs");
    this.git = new Git(config.workspaceRoot().path());
  }

  /**
   * A cleanup of {@code config}'s workspace.
   *
   * @param worktreesRoot the state folder's worktrees ({@code StatePaths.worktrees()})
   * @param queue where the worktrees' tasks are looked up
   * @param prs where the branches' pull requests are looked up
   */
  public static Cleanup of(
      OrchestrationConfig config, Path worktreesRoot, TaskQueue queue, PullRequestLookup prs) {
    return new Cleanup(config, worktreesRoot, queue, prs);
  }

  /**
   * Looks at every worktree and branch of Overnight's and removes what may go; with {@code dryRun}
   * nothing is changed (but the remote is fetched, to judge by what it holds now).
   *
   * @param deleteRemote whether a removed branch is also deleted on the remote
   * @return every step, worktrees first, then branches in name order
   */
  public List<CleanupStep> run(boolean dryRun, boolean deleteRemote) {
    List<CleanupStep> steps = new ArrayList<>();
    String remote = config.prAutomation().remote();
    boolean hasRemote = git.run("remote", "get-url", remote).succeeded();
    if (hasRemote) {
      CommandResult fetched = git.run("fetch", "--prune", "--quiet", remote);
      if (!fetched.succeeded()) {
        // Judging by stale remote-tracking branches could call local-only work pushed: stop.
        throw new OrchestrationException(
            "could not fetch " + remote + " to see what it holds: " + fetched.describe());
      }
    }
    Map<String, Path> checkedOut = new HashMap<>();
    steps.addAll(worktrees(dryRun, checkedOut));
    steps.addAll(branches(dryRun, deleteRemote && hasRemote, remote, checkedOut));
    return steps;
  }

  private List<CleanupStep> worktrees(boolean dryRun, Map<String, Path> keptBranches) {
    List<CleanupStep> steps = new ArrayList<>();
    Map<String, Task> tasks = tasksByShortId();
    boolean removedAny = false;
    for (Map.Entry<Path, Optional<String>> w : listWorktrees().entrySet()) {
      Path path = w.getKey();
      Optional<String> branch = w.getValue();
      if (!path.startsWith(worktreesRoot) || path.equals(worktreesRoot)) {
        branch.ifPresent(b -> keptBranches.put(b, path));
        continue; // the user's own checkout or worktrees: not Overnight's
      }
      String name = path.getFileName().toString();
      String shortId = name.contains("-") ? name.substring(0, name.indexOf('-')) : name;
      Optional<Task> task = Optional.ofNullable(tasks.get(shortId));
      Optional<String> keep =
          task.filter(t -> t.status() == TaskStatus.PENDING || t.status() == TaskStatus.IN_PROGRESS)
              .map(t -> "its task " + t.id().shortId() + " is " + t.status().name().toLowerCase());
      if (keep.isEmpty()) {
        CommandResult status = new Git(path).run("status", "--porcelain");
        if (!status.succeeded()) {
          keep = Optional.of("git cannot read it: " + status.describe());
        } else if (!status.stdout().isBlank()) {
          keep = Optional.of("it has uncommitted changes");
        }
      }
      if (keep.isPresent()) {
        branch.ifPresent(b -> keptBranches.put(b, path));
        steps.add(new CleanupStep(Kind.WORKTREE, path.toString(), Action.KEPT, keep.get()));
        continue;
      }
      String why =
          task.map(t -> "its task " + t.id().shortId() + " is " + t.status().name().toLowerCase())
              .orElse("no task in the queue works in it");
      if (dryRun) {
        steps.add(new CleanupStep(Kind.WORKTREE, path.toString(), Action.WOULD_REMOVE, why));
        continue;
      }
      CommandResult r = git.run("worktree", "remove", path.toString());
      if (r.succeeded()) {
        removedAny = true;
        steps.add(new CleanupStep(Kind.WORKTREE, path.toString(), Action.REMOVED, why));
      } else {
        branch.ifPresent(b -> keptBranches.put(b, path));
        steps.add(new CleanupStep(Kind.WORKTREE, path.toString(), Action.FAILED, r.describe()));
      }
    }
    if (removedAny && !dryRun) {
      git.run("worktree", "prune");
    }
    return steps;
  }

  private List<CleanupStep> branches(
      boolean dryRun, boolean deleteRemote, String remote, Map<String, Path> checkedOut) {
    List<CleanupStep> steps = new ArrayList<>();
    String prefix = config.prAutomation().branchPrefix();
    for (String branch : localBranches(prefix)) {
      Path in = checkedOut.get(branch);
      if (in != null) {
        steps.add(new CleanupStep(Kind.BRANCH, branch, Action.KEPT, "it is checked out in " + in));
        continue;
      }
      Optional<PullRequestState> state;
      try {
        state = prs.stateOf(branch);
      } catch (OrchestrationException e) {
        steps.add(
            new CleanupStep(
                Kind.BRANCH,
                branch,
                Action.KEPT,
                "its pull request's state is unknown: " + e.getMessage()));
        continue;
      }
      if (state.isEmpty() || !state.get().ended()) {
        steps.add(
            new CleanupStep(
                Kind.BRANCH,
                branch,
                Action.KEPT,
                state
                    .map(s -> "its pull request is " + s.key().replace('_', ' '))
                    .orElse("it has no pull request")));
        continue;
      }
      String why = "its pull request was " + state.get().key();
      long unpushed = unpushedCommits(branch);
      if (unpushed != 0) {
        steps.add(
            new CleanupStep(
                Kind.BRANCH,
                branch,
                Action.KEPT,
                unpushed < 0
                    ? "git cannot tell whether its commits are on a remote"
                    : "it holds "
                        + unpushed
                        + (unpushed == 1 ? " commit" : " commits")
                        + " on no remote"));
        continue;
      }
      boolean onRemote =
          deleteRemote
              && git.run("show-ref", "--verify", "--quiet", "refs/remotes/" + remote + "/" + branch)
                  .succeeded();
      if (dryRun) {
        steps.add(new CleanupStep(Kind.BRANCH, branch, Action.WOULD_REMOVE, why));
        if (onRemote) {
          steps.add(
              new CleanupStep(Kind.REMOTE_BRANCH, remote + "/" + branch, Action.WOULD_REMOVE, why));
        }
        continue;
      }
      CommandResult deleted = git.run("branch", "-D", branch);
      if (!deleted.succeeded()) {
        steps.add(new CleanupStep(Kind.BRANCH, branch, Action.FAILED, deleted.describe()));
        continue;
      }
      steps.add(new CleanupStep(Kind.BRANCH, branch, Action.REMOVED, why));
      if (onRemote) {
        CommandResult pushed = git.run("push", "--quiet", remote, "--delete", branch);
        steps.add(
            new CleanupStep(
                Kind.REMOTE_BRANCH,
                remote + "/" + branch,
                pushed.succeeded() ? Action.REMOVED : Action.FAILED,
                pushed.succeeded() ? why : pushed.describe()));
      }
    }
    return steps;
  }

  /** Commits on {@code branch} that no remote-tracking branch reaches; -1 when git cannot tell. */
  private long unpushedCommits(String branch) {
    CommandResult r = git.run("rev-list", "--count", "refs/heads/" + branch, "--not", "--remotes");
    if (!r.succeeded()) {
      return -1;
    }
    try {
      return Long.parseLong(r.stdout().strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private List<String> localBranches(String prefix) {
    CommandResult r =
        git.run("for-each-ref", "--format=%(refname:short)", "--sort=refname", "refs/heads/");
    if (!r.succeeded()) {
      throw new OrchestrationException("git cannot list the branches: " + r.describe());
    }
    return r.stdout().lines().map(String::strip).filter(b -> b.startsWith(prefix)).toList();
  }

  /** Every worktree git knows, with its branch when one is checked out. */
  private Map<Path, Optional<String>> listWorktrees() {
    CommandResult r = git.run("worktree", "list", "--porcelain");
    if (!r.succeeded()) {
      throw new OrchestrationException("git cannot list the worktrees: " + r.describe());
    }
    Map<Path, Optional<String>> all = new LinkedHashMap<>();
    Path current = null;
    for (String line : r.stdout().split("\n")) {
      if (line.startsWith("worktree ")) {
        current = real(Path.of(line.substring("worktree ".length())));
        all.put(current, Optional.empty());
      } else if (line.startsWith("branch refs/heads/") && current != null) {
        all.put(current, Optional.of(line.substring("branch refs/heads/".length())));
      }
    }
    return all;
  }

  /** The path with symbolic links resolved where it exists, as git reports worktrees. */
  private static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (java.io.IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  private Map<String, Task> tasksByShortId() {
    Map<String, Task> byShortId = new HashMap<>();
    int offset = 0;
    while (true) {
      Page<Task> page = queue.list(TaskFilter.all().page(offset, TaskFilter.MAX_LIMIT));
      page.items().forEach(t -> byShortId.put(t.id().shortId(), t));
      if (!page.hasMore()) {
        return byShortId;
      }
      offset += page.items().size();
    }
  }
}
