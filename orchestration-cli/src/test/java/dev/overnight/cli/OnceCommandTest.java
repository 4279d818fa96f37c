package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.core.worktree.Git;
import dev.overnight.testing.agent.ScriptedAgent;
import dev.overnight.testing.agent.ScriptedAgentScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code overnight once}: one real cycle now, with the scripted agent on a real repository. */
class OnceCommandTest {
  @TempDir Path dir;

  private Path config(Path repo, Path state) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("id", "once");
    root.put("workspace_root", repo.toString());
    root.put("state_dir", state.toString());
    root.putObject("schedule").put("expression", "0 2 * * *");
    List<String> argv = ScriptedAgent.argv("--script-json", ScriptedAgentScripts.DEMO);
    ObjectNode worker = root.putObject("agents").putObject("worker");
    worker.put("command", argv.get(0));
    ArrayNode args = worker.putArray("args");
    argv.subList(1, argv.size()).forEach(args::add);
    ObjectNode preferences = root.putObject("agent_preferences");
    preferences.putArray("prefer").add("worker");
    preferences.putArray("allow").add("worker");
    root.putObject("decision").putArray("history_sources");
    Path file = dir.resolve("overnight.json");
    json.writeValue(file.toFile(), root);
    return file;
  }

  @Test
  void runsTheQueuedTaskNowOnItsOwnBranchAndWritesTheReport() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Git git = new Git(repo);
    git.check("init", "-q", "-b", "main");
    git.check(
        "-c", "user.email=d@e", "-c", "user.name=D", "commit", "-q", "--allow-empty", "-m", "i");
    Path state = dir.resolve("state");
    Path config = config(repo, state);
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
