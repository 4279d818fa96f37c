package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.ScriptedAgent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Text from outside Overnight — titles and prompts in the store, file names in a repository, what
 * an agent says, folder names — reaches the terminal with its control characters shown, never
 * obeyed: an escape sequence in a title must not clear the screen, set the window title or hide the
 * lines before it.
 */
class TerminalOutputTest {
  /** Clears the screen, sets the window title, and rings the bell. */
  static final String EVIL = "\u001b[2J\u001b]0;owned\u0007\u009b31m\u202e";

  @TempDir Path dir;

  /** Only line breaks and tabs reach the terminal as they are; the sequence is shown. */
  static void assertShown(String output) {
    assertNothingRaw(output);
    assertThat(output).contains("\\x1b[2J");
  }

  static void assertNothingRaw(String output) {
    assertThat(output.chars().filter(c -> c != '\n' && c != '\t' && isControlOrBidi(c)))
        .as("control characters printed raw in:\n%s", output)
        .isEmpty();
  }

  private static boolean isControlOrBidi(int c) {
    return Character.isISOControl(c) || (c >= 0x202a && c <= 0x202e) || c == 0x2028;
  }

  @Test
  void queueListShowStatusAndReportShowWhatTheStoreHolds() throws Exception {
    Path state = dir.resolve("state");
    CliRun added =
        CliRun.of("queue", "add", "--state-dir", state.toString(), "--prompt", "Tidy the build");
    assertThat(added.exitCode()).as(added.err()).isZero();
    String id = added.out().substring("Queued ".length(), "Queued ".length() + 8);
    CliRun cancelled =
        CliRun.of("queue", "cancel", "--state-dir", state.toString(), id, "--reason", EVIL);
    assertThat(cancelled.exitCode()).as(cancelled.err()).isZero();
    // As a store written by another program, or by an older Overnight, may hold them.
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + new StatePaths(state).database());
        PreparedStatement update =
            db.prepareStatement(
                "UPDATE tasks SET title = ?, prompt = ?, agent_id = ?, last_error = ?,"
                    + " metadata = ?")) {
      update.setString(1, "Tidy " + EVIL);
      update.setString(2, "Tidy\n" + EVIL + "\rthe build");
      update.setString(3, "codex" + EVIL);
      update.setString(4, "crashed: " + EVIL);
      update.setString(5, "{\"source\":\"cli" + json(EVIL) + "\"}");
      update.executeUpdate();
    }

    String stateDir = state.toString();
    for (String[] args :
        new String[][] {
          {"queue", "list", "--state-dir", stateDir},
          {"queue", "show", "--state-dir", stateDir, id},
          {"queue", "retry", "--state-dir", stateDir, id},
          {"report", "--state-dir", stateDir},
          {"report", "--html", "--state-dir", stateDir},
        }) {
      CliRun run = CliRun.of(args);
      assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.err()).isZero();
      assertShown(run.out());
    }
    CliRun show = CliRun.of("queue", "show", "--state-dir", stateDir, id);
    assertThat(show.out()).contains("prompt    Tidy\n            \\x1b[2J");
    CliRun json = CliRun.of("queue", "show", "--state-dir", stateDir, id, "--json");
    assertThat(json.out()).contains("\\u001B[2J");
  }

  @Test
  void statusShowsFolderNamesAndIdsAsText() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state" + EVIL));
    Files.writeString(
        state.resolve("daemon.json"),
        "{\"config_id\":\"night"
            + json(EVIL)
            + "\",\"pid\":1,\"started_at\":\"2026-01-01T00:00:00Z\"}");
    CliRun added =
        CliRun.of("queue", "add", "--state-dir", state.toString(), "--prompt", "Tidy the build");
    assertThat(added.exitCode()).as(added.err()).isZero();
    assertNothingRaw(added.out());
    CliRun status = CliRun.of("status", "--state-dir", state.toString());
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertShown(status.out());
    assertThat(status.out())
        .startsWith("Overnight night\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202e:");
  }

  @Test
  void errorsShowWhatWasTyped() {
    CliRun run = CliRun.of("queue", "show", "--state-dir", dir.toString(), "zz" + EVIL);
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertShown(run.err());
  }

  @Test
  void planShowsFileNamesFromTheRepository() throws Exception {
    Git git = WorkerSetup.repository(dir);
    String evil = "src/main/java/app/" + EVIL.replace("\u0007", "") + "Parser.java";
    for (String content : new String[] {"1", "2", "3"}) {
      Path file = git.dir().resolve(evil);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      git.check("add", "-A");
      git.check("-c", "user.email=d@e", "-c", "user.name=D", "commit", "-q", "-m", "c" + content);
    }
    Path config = dir.resolve("overnight.json");
    Files.writeString(
        config,
        "{\"id\":\"plan\",\"workspace_root\":\""
            + git.dir()
            + "\",\"schedule\":{\"expression\":\"0 2 * * *\"},\"state_dir\":\""
            + dir.resolve("state")
            + "\",\"agents\":{\"codex\":{\"command\":\"/nonexistent/codex-acp\"},"
            + "\"claude-code\":{\"command\":\"/nonexistent/claude-agent-acp\"},"
            + "\"gemini\":{\"command\":\"/nonexistent/gemini\"}},"
            + "\"decision\":{\"engine\":\"heuristic\",\"history_sources\":[\"overnight\"]}}");
    for (String[] args :
        new String[][] {
          {"plan", "-c", config.toString()}, {"plan", "--explain", "-c", config.toString()}
        }) {
      CliRun run = CliRun.of(args);
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertShown(run.out());
      assertThat(run.out()).contains("Parser.java");
    }
  }

  @Test
  void theTimelineAndAgentTryShowWhatTheAgentSays() throws Exception {
    String script =
        "{\"steps\": [{\"thought\": \"Hmm "
            + json(EVIL)
            + "\"}, {\"plan\": [{\"content\": \"Step "
            + json(EVIL)
            + "\", \"status\": \"pending\"}]}, {\"message\": \"Done "
            + json(EVIL)
            + "\"}]}";
    Git git = WorkerSetup.repository(dir);
    Path config =
        WorkerSetup.config(
            dir, git.dir(), dir.resolve("state"), ScriptedAgent.argv("--script-json", script));
    CliRun added =
        CliRun.of(
            "queue", "add", "--config", config.toString(), "--prompt", "Tidy", "--agent", "worker");
    assertThat(added.exitCode()).as(added.err()).isZero();
    CliRun once = CliRun.of("once", "--config", config.toString(), "--ignore-constraints");
    assertThat(once.exitCode()).as(once.out() + once.err()).isZero();
    assertThat(once.out()).contains("says: Done");
    assertShown(once.out());

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new AgentTryCommand())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(
                "--command",
                String.join(
                    " ",
                    ScriptedAgent.argv("--script-json", script).stream()
                        .map(w -> "'" + w.replace("'", "'\\''") + "'")
                        .toList()),
                "--workspace",
                git.dir().toString(),
                "--prompt",
                "go");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Done");
    assertShown(out.toString());
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder();
    s.chars()
        .forEach(c -> b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : "" + (char) c));
    return b.toString();
  }
}
