package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.worktree.Git;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code overnight cleanup} from the command line: it reads the config, opens the state folder's
 * store and keeps a branch whose pull request it cannot confirm settled.
 */
class CleanupCommandTest {
  @TempDir Path dir;

  @Test
  void aBranchWhosePullRequestIsNotKnownSettledIsKeptAndADryRunChangesNothing() throws IOException {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo);
    Git git = new Git(repo);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.name", "Dev");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "commit.gpgsign", "false");
    Files.writeString(repo.resolve("README.md"), "# Demo\n");
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "Start");
    git.check("branch", "overnight/fix-it-1234abcd");
    Path config = dir.resolve("config.json");
    Files.writeString(
        config,
        "{\"id\":\"cleanup-cli\",\"workspace_root\":\""
            + repo
            + "\",\"state_dir\":\""
            + dir.resolve("state")
            + "\",\"schedule\":{\"expression\":\"0 2 * * *\"}}");

    CliRun run = CliRun.of("cleanup", "--dry-run", "--config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).startsWith("kept branch overnight/fix-it-1234abcd: ");
    assertThat(
            git.run("show-ref", "--verify", "--quiet", "refs/heads/overnight/fix-it-1234abcd")
                .succeeded())
        .isTrue();
  }
}
