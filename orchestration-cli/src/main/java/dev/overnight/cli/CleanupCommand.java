package dev.overnight.cli;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.store.Store;
import dev.overnight.core.cleanup.Cleanup;
import dev.overnight.core.cleanup.CleanupStep;
import dev.overnight.core.pr.GhCli;
import dev.overnight.core.pr.GitHubPullRequests;
import dev.overnight.core.pr.PullRequestLookup;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.worktree.Git;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overnight cleanup}: worktrees of finished tasks and branches of settled pull requests.
 *
 * @since 0.1.0
 */
@Command(
    name = "cleanup",
    mixinStandardHelpOptions = true,
    description = {
      "Remove the worktrees of finished tasks and the branches whose pull requests were merged or"
          + " closed, locally and on the remote.",
      "Never removes a branch holding commits that are on no remote, nor a worktree with"
          + " uncommitted changes."
    })
public final class CleanupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StateOptions state;

  @Option(names = "--dry-run", description = "Show what would be removed; change nothing.")
  boolean dryRun;

  @Option(
      names = "--keep-remote",
      description = "Delete branches locally only, leaving them on the remote.")
  boolean keepRemote;

  /**
   * GitHub's REST API when the remote is on a GitHub host: over HTTP with the token in the
   * environment when one is set, otherwise through {@code gh api} when gh is logged in to that
   * host, else over HTTP without a token (a public repository answers); for any other remote,
   * {@code gh pr list}.
   */
  private static PullRequestLookup pullRequests(OrchestrationConfig config) {
    Git git = new Git(config.workspaceRoot().path());
    CommandResult url = git.run("remote", "get-url", config.prAutomation().remote());
    if (url.succeeded()) {
      Optional<GitHubPullRequests> rest =
          GitHubPullRequests.forRemote(
              url.stdout().strip(),
              System.getenv(),
              Duration.ofSeconds(30),
              GhCli.forEnvironment(config.workspaceRoot().path(), System.getenv()));
      if (rest.isPresent()) {
        return rest.get();
      }
    }
    return PullRequestLookup.gh(config.workspaceRoot().path(), CommandRunner.system());
  }

  @Override
  public Integer call() {
    OrchestrationConfig config = state.requireConfig();
    StatePaths paths = state.paths(config);
    PrintWriter out = spec.commandLine().getOut();
    List<CleanupStep> steps;
    try (Store store = state.openStore(paths)) {
      steps =
          Cleanup.of(config, paths.worktrees(), store.taskQueue(), pullRequests(config))
              .run(dryRun, !keepRemote);
    }
    if (steps.isEmpty()) {
      out.println("Nothing of Overnight's to clean up.");
    }
    steps.forEach(s -> out.println(TerminalText.line(s.describe())));
    boolean failed = steps.stream().anyMatch(s -> s.action() == CleanupStep.Action.FAILED);
    return failed ? ExitCodes.FAILURE : ExitCodes.OK;
  }
}
