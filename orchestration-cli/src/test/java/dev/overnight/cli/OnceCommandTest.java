package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.ScriptedAgent;
import dev.overnight.fakes.ScriptedAgentScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code overnight once}: one real cycle now, with the scripted agent on a real repository, and the
 * exit codes of a cycle that achieves nothing (and of {@code run} when no agent can work).
 */
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

  /** A repository, a config whose agent "worker" runs {@code agentArgs}, and one queued task. */
  private Path withQueuedTask(Git git, List<String> agentArgv) throws Exception {
    Path config = WorkerSetup.config(dir, git.dir(), dir.resolve("state"), agentArgv);
    CliRun added =
        CliRun.of(
            "queue", "add", "--config", config.toString(), "--prompt", "Tidy", "--agent", "worker");
    assertThat(added.exitCode()).as(added.err()).isZero();
    return config;
  }

  /** The task queued as "Tidy", as {@code queue list --json} shows it. */
  private static JsonNode tidy(Path config) throws Exception {
    CliRun list = CliRun.of("queue", "list", "--config", config.toString(), "--json");
    for (JsonNode task : new ObjectMapper().readTree(list.out())) {
      if (task.path("title").asText().equals("Tidy")) {
        return task;
      }
    }
    throw new AssertionError("no task Tidy in " + list.out());
  }

  @Test
  void anAgentThatRefusesItsSessionFailsTheCommandLeavesTheTaskPendingUncountedAndSaysWhy()
      throws Exception {
    Git git = WorkerSetup.repository(dir);
    Path config = withQueuedTask(git, ScriptedAgent.argv("--fault", "session-new-error"));

    CliRun once = CliRun.of("once", "--config", config.toString());

    assertThat(once.exitCode()).as(once.out() + once.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(once.err())
        .contains("error: no task was completed", "JSON-RPC error -32603")
        .contains("scripted agent: the model service answered 500")
        .doesNotContain("Exception", "{worker=");
    JsonNode task = tidy(config);
    assertThat(task.path("status").asText()).isEqualTo("pending");
    assertThat(task.path("attempts").asInt()).as("not the task's fault").isZero();
    assertThat(task.path("facts").path("agent_error").asText())
        .contains("Internal error", "the model service answered 500");
    assertThat(git.check("branch", "--list", "overnight/*")).isEmpty();
    String report = Files.readString(dir.resolve("state/reports/latest.md"));
    assertThat(report)
        .contains("The agent's own error: worker failed session/new")
        .contains("(parked until ")
        .contains("answered 500 (released; the attempt is not counted) (2 times)");
  }

  @Test
  void anAgentWhoseKeyIsRefusedFailsTheCommandAndIsParkedAtOnce() throws Exception {
    Git git = WorkerSetup.repository(dir);
    Path config = withQueuedTask(git, ScriptedAgent.argv("--fault", "auth-error"));

    CliRun once = CliRun.of("once", "--config", config.toString());

    assertThat(once.exitCode()).as(once.out() + once.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(once.err())
        .contains("error: no task was completed", "needs a login")
        .contains("401 invalid x-api-key");
    JsonNode task = tidy(config);
    assertThat(task.path("status").asText()).isEqualTo("pending");
    assertThat(task.path("attempts").asInt()).isZero();
    assertThat(git.check("branch", "--list", "overnight/*")).isEmpty();
  }

  @Test
  void aCycleWhoseEveryTaskFailedFailsTheCommand() throws Exception {
    Git git = WorkerSetup.repository(dir);
    Path config = withQueuedTask(git, ScriptedAgent.argv("--fault", "exit-mid-turn"));

    CliRun once = CliRun.of("once", "--config", config.toString());

    assertThat(once.exitCode()).as(once.out() + once.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(once.err())
        .contains("error: no task was completed", "attempts ended without success")
        .contains("exited with code 4 during a turn", "exiting mid-turn as scripted");
    assertThat(tidy(config).path("status").asText()).isEqualTo("failed");
  }

  @Test
  void noAvailableAgentFailsTheCommandWithAReadableReason() throws Exception {
    Git git = WorkerSetup.repository(dir);
    Path config = withQueuedTask(git, List.of(dir.resolve("no-such-agent").toString()));

    CliRun once = CliRun.of("once", "--config", config.toString());

    assertThat(once.exitCode()).as(once.out() + once.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(once.err())
        .contains("error: no allowed agent is available: worker: command not found: ")
        .doesNotContain("{worker=", "Availability[");
    assertThat(tidy(config).path("status").asText()).isEqualTo("pending");
  }

  @Test
  void runRefusesToStartWhenNoAllowedAgentIsAvailableAndSaysWhyInWords() throws Exception {
    Git git = WorkerSetup.repository(dir);
    Path config = withQueuedTask(git, List.of(dir.resolve("no-such-agent").toString()));

    CliRun run = CliRun.of("run", "--config", config.toString(), "--no-dashboard");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err())
        .contains("error: no allowed agent is available: worker: command not found: ")
        .doesNotContain("{worker=", "claude-code");
    assertThat(tidy(config).path("status").asText()).isEqualTo("pending");
  }
}
