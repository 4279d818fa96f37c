package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.ScriptedAgent;
import dev.overnight.fakes.ScriptedAgentScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code overnight once}: one real cycle now, with the scripted agent on a real repository. */
class OnceCommandTest {
  @TempDir Path dir;

  @Test
  void runsTheQueuedTaskNowOnItsOwnBranchAndWritesTheReport() throws Exception {
    Git git = WorkerSetup.repository(dir);
    Path state = dir.resolve("state");
    Path config =
        WorkerSetup.config(
            dir, git.dir(), state, ScriptedAgent.argv("--script-json", ScriptedAgentScripts.DEMO));
    CliRun added =
        CliRun.of(
            "queue", "add", "--config", config.toString(), "--prompt", "Tidy", "--agent", "worker");
    assertThat(added.exitCode()).as(added.err()).isZero();

    CliRun once = CliRun.of("once", "--config", config.toString());

    assertThat(once.exitCode()).as(once.out() + once.err()).isZero();
    assertThat(once.out()).contains("Report: " + state.resolve("reports"));
    String report = Files.readString(state.resolve("reports/latest.md"));
    assertThat(report).contains("| Tidy | completed | worker | `overnight/tidy-");
    assertThat(git.check("branch", "--list", "overnight/*")).contains("overnight/tidy-");
    assertThat(CliRun.of("queue", "list", "--config", config.toString()).out())
        .contains("completed");
  }
}
