package dev.overnight.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.Availability;
import dev.overnight.api.agent.AgentUnavailableException;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.config.SandboxMode;
import dev.overnight.core.sandbox.Sandbox;
import dev.overnight.core.sandbox.Sandboxes;
import dev.overnight.fakes.ScriptedAgent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an agent's commands cannot do, tried for real in this machine's sandbox (bubblewrap on
 * Linux): write outside the worktree, read the dashboard token in the state folder (which holds the
 * worktree, as Overnight lays it out), read a key in {@code ~/.ssh}, reach a listener on 127.0.0.1.
 * Each attempt is made by a command in the client's terminal and by the agent's own process (the
 * scripted agent standing in for Claude Code or Codex, running a command itself), and again with
 * the sandbox off, where the very same command does escape: so every check here can fail.
 *
 * <p>The machine lives outside the system's temporary folder, as a user's files do: sandboxed
 * commands see a private {@code /tmp}, which would hide it for the wrong reason.
 */
class SandboxEscapeTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String TOKEN = "dashboard-token-0123456789abcdef";
  private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY----- not a real one";

  @TempDir(factory = OutsideSystemTemp.class)
  Path machine;

  private Path home;
  private Path state;
  private Path worktree;
  private Path outside;
  private Path records;
  private ServerSocket listener;

  @BeforeAll
  static void thisMachineHasASandbox() {
    Availability found = Sandboxes.forThisMachine().availability();
    if (!Sandboxes.forThisMachine().confines() || !found.available()) {
      fail(
          "These tests run agents' commands in this machine's sandbox, and there is none: "
              + found);
    }
  }

  @BeforeEach
  void aMachine() throws IOException {
    home = Files.createDirectories(machine.resolve("home"));
    Files.writeString(Files.createDirectories(home.resolve(".ssh")).resolve("id_ed25519"), KEY);
    state = Files.createDirectories(machine.resolve("state"));
    Files.writeString(state.resolve("dashboard-token"), TOKEN);
    worktree = Files.createDirectories(state.resolve("worktrees/task-1"));
    outside = Files.createDirectories(machine.resolve("outside"));
    records = Files.createDirectories(machine.resolve("records"));
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void nothingLeft() throws IOException {
    listener.close();
    Sessions.assertNoScriptedAgentRunning();
    Sessions.assertNoSessionThreads();
  }

  /** The attempts, by name, as shell commands. */
  private Map<String, String> attempts() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("write inside", "echo fine > inside.txt && cat inside.txt");
    a.put("write outside", "echo escaped > " + outside.resolve("escaped.txt"));
    a.put("read token", "cat " + state.resolve("dashboard-token"));
    a.put("read ssh key", "cat " + home.resolve(".ssh/id_ed25519"));
    a.put(
        "network", "exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort() + " && echo connected");
    return a;
  }

  @Test
  void terminalCommandsCannotLeaveTheWorktreeReadSecretsOrReachTheNetwork() throws Exception {
    Map<String, Outcome> seen = run("terminal", b -> b);

    assertThat(seen.get("write inside").succeeded()).isTrue();
    assertThat(worktree.resolve("inside.txt")).hasContent("fine");
    assertThat(seen.get("write outside").succeeded()).isFalse();
    assertThat(outside.resolve("escaped.txt")).doesNotExist();
    assertThat(seen.get("read token").output()).doesNotContain(TOKEN);
    assertThat(seen.get("read token").succeeded()).isFalse();
    assertThat(seen.get("read ssh key").output()).doesNotContain("PRIVATE KEY");
    assertThat(seen.get("read ssh key").succeeded()).isFalse();
    assertThat(seen.get("network").output()).doesNotContain("connected");
    assertThat(seen.get("network").succeeded()).isFalse();
  }

  @Test
  void terminalCommandsReachTheNetworkWhenTheConfigAllowsIt() throws Exception {
    Map<String, Outcome> seen = run("terminal", b -> b.allowNetwork(true));

    assertThat(seen.get("network").output()).contains("connected");
    // Only the network: the rest stays confined.
    assertThat(seen.get("read token").output()).doesNotContain(TOKEN);
    assertThat(outside.resolve("escaped.txt")).doesNotExist();
  }

  @Test
  void withTheSandboxOffTheSameTerminalCommandsDoEscape() throws Exception {
    Map<String, Outcome> seen = run("terminal", b -> b.sandboxMode(SandboxMode.OFF));

    assertThat(outside.resolve("escaped.txt")).hasContent("escaped");
    assertThat(seen.get("read token").output()).contains(TOKEN);
    assertThat(seen.get("read ssh key").output()).contains("PRIVATE KEY");
    assertThat(seen.get("network").output()).contains("connected");
  }

  @Test
  void anAgentRunningCommandsItselfCannotLeaveTheWorktreeOrReadSecrets() throws Exception {
    Map<String, Outcome> seen = run("exec", this::asAgentThatRunsCommands);

    assertThat(seen.get("write inside").succeeded()).isTrue();
    assertThat(worktree.resolve("inside.txt")).hasContent("fine");
    assertThat(seen.get("write outside").succeeded()).isFalse();
    assertThat(outside.resolve("escaped.txt")).doesNotExist();
    assertThat(seen.get("read token").output()).doesNotContain(TOKEN);
    assertThat(seen.get("read ssh key").output()).doesNotContain("PRIVATE KEY");
    // The agent's own process talks to its service: it keeps the network.
    assertThat(seen.get("network").output()).contains("connected");
  }

  @Test
  void withTheSandboxOffTheAgentsOwnCommandsDoEscape() throws Exception {
    Map<String, Outcome> seen =
        run("exec", b -> asAgentThatRunsCommands(b).sandboxMode(SandboxMode.OFF));

    assertThat(outside.resolve("escaped.txt")).hasContent("escaped");
    assertThat(seen.get("read token").output()).contains(TOKEN);
    assertThat(seen.get("read ssh key").output()).contains("PRIVATE KEY");
  }

  @Test
  void whereNoSandboxCanBeUsedARequiredOneKeepsTheAgentFromStartingAndSaysWhy() {
    Sandbox none = Sandbox.unavailable("bubblewrap (bwrap) is not installed", "install it");
    AcpAgentProvider provider = provider("terminal", List.of(), b -> b.sandbox(none));

    Availability availability = provider.availability();
    assertThat(availability.available()).isFalse();
    assertThat(availability.reason())
        .contains("permissions.sandbox is required", "bubblewrap (bwrap) is not installed");
    assertThat(availability.remedy().orElseThrow())
        .contains("install it", "set permissions.sandbox to best_effort");
    assertThatThrownBy(() -> provider.open(request(worktree)))
        .isInstanceOf(AgentUnavailableException.class)
        .hasMessageContaining("bubblewrap (bwrap) is not installed");
  }

  @Test
  void whereNoSandboxCanBeUsedBestEffortRunsUnconfined() throws Exception {
    Sandbox none = Sandbox.unavailable("bubblewrap (bwrap) is not installed", "install it");
    Map<String, Outcome> seen =
        run("terminal", b -> b.sandbox(none).sandboxMode(SandboxMode.BEST_EFFORT));

    assertThat(outside.resolve("escaped.txt")).hasContent("escaped");
    assertThat(seen.get("read token").output()).contains(TOKEN);
  }

  @Test
  void aCommandCommitsOnItsBranchButCannotMoveOthersOrRedirectTheWorktree() throws Exception {
    Path repo = Files.createDirectories(machine.resolve("repo"));
    git(repo, "init", "-q", "-b", "main");
    git(repo, "config", "user.name", "Test");
    git(repo, "config", "user.email", "test@localhost");
    Files.writeString(repo.resolve("README.md"), "# repo\n");
    git(repo, "add", "README.md");
    git(repo, "commit", "-q", "-m", "start");
    Path task = state.resolve("worktrees/task-2");
    git(repo, "worktree", "add", "-q", "-b", "overnight/task-2", task.toString(), "main");
    String main = git(repo, "rev-parse", "main");
    Map<String, String> attempts = new LinkedHashMap<>();
    attempts.put(
        "commit",
        "echo work > work.txt && git add work.txt && git commit -q -m work"
            + " && git log -1 --format=%s");
    attempts.put("move main", "git update-ref refs/heads/main HEAD");
    attempts.put(
        "plant a hook",
        "echo 'echo owned' > \"$(git rev-parse --git-common-dir)/hooks/post-commit\"");
    attempts.put("change the config", "git config core.fsmonitor 'echo owned'");
    attempts.put("redirect the worktree", "echo 'gitdir: /somewhere/else' > .git");

    Map<String, Outcome> seen = run("terminal", task, attempts, b -> b);

    assertThat(seen.get("commit").output()).endsWith("work\n");
    assertThat(git(repo, "log", "-1", "--format=%s", "overnight/task-2")).isEqualTo("work");
    assertThat(seen.get("move main").succeeded()).isFalse();
    assertThat(git(repo, "rev-parse", "main")).isEqualTo(main);
    assertThat(seen.get("plant a hook").succeeded()).isFalse();
    assertThat(repo.resolve(".git/hooks/post-commit")).doesNotExist();
    assertThat(seen.get("change the config").succeeded()).isFalse();
    assertThat(Files.readString(repo.resolve(".git/config"))).doesNotContain("owned");
    assertThat(seen.get("redirect the worktree").succeeded()).isFalse();
    assertThat(Files.readString(task.resolve(".git"))).doesNotContain("somewhere");
  }

  /** Runs git in {@code dir}; its output, trimmed. */
  private static String git(Path dir, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("git"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("git %s: %s", String.join(" ", args), out).isZero();
    return out;
  }

  private AcpAgentProvider.Builder asAgentThatRunsCommands(AcpAgentProvider.Builder b) {
    // Its record lies outside the worktree: a folder of its own, as Claude Code has ~/.claude.
    return b.confineAgentProcess(true).agentFolder(records);
  }

  /** What one attempt printed and how it exited. */
  private record Outcome(int exitCode, String output) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  /**
   * Runs every attempt in one session, as {@code step} ({@code terminal}: through the client's
   * terminals; {@code exec}: by the agent's own process), and returns what each did.
   */
  private Map<String, Outcome> run(String step, UnaryOperator<AcpAgentProvider.Builder> options)
      throws Exception {
    return run(step, worktree, attempts(), options);
  }

  private Map<String, Outcome> run(
      String step,
      Path in,
      Map<String, String> attempts,
      UnaryOperator<AcpAgentProvider.Builder> options)
      throws Exception {
    List<String> commands = new ArrayList<>(attempts.values());
    AcpAgentProvider provider = provider(step, commands, options);
    try (AcpAgentSession session = provider.open(request(in))) {
      assertThat(session.prompt("try").get(120, TimeUnit.SECONDS).stopReason())
          .isEqualTo(StopReason.END_TURN);
    }
    List<JsonNode> answers = new ArrayList<>();
    for (String line : Files.readAllLines(records.resolve("record.jsonl"))) {
      JsonNode n = MAPPER.readTree(line);
      if (n.path("step").asText().equals(step)) {
        answers.add(n.path("answer"));
      }
    }
    assertThat(answers).hasSize(commands.size());
    Map<String, Outcome> seen = new LinkedHashMap<>();
    int i = 0;
    for (String name : attempts.keySet()) {
      JsonNode a = answers.get(i++);
      seen.put(
          name,
          step.equals("exec")
              ? new Outcome(a.path("exitCode").asInt(), a.path("output").asText())
              : new Outcome(
                  a.path("exit").path("exitCode").asInt(-1),
                  a.path("output").path("output").asText()));
    }
    return seen;
  }

  private AcpAgentProvider provider(
      String step, List<String> commands, UnaryOperator<AcpAgentProvider.Builder> options) {
    ObjectNode script = MAPPER.createObjectNode();
    ArrayNode steps = script.putArray("steps");
    for (String command : commands) {
      ObjectNode run = steps.addObject().putObject(step);
      run.put("command", "bash");
      run.putArray("args").add("-c").add(command);
    }
    return options
        .apply(
            AcpAgentProvider.builder("scripted")
                .agentCommand(
                    ScriptedAgent.command(
                        "--script-json",
                        script.toString(),
                        "--record",
                        records.resolve("record.jsonl").toString()))
                .environment("HOME", home.toString()))
        .build();
  }

  private SessionRequest request(Path in) {
    // As the coordinator asks: the state folder hidden, the transcripts in it.
    return SessionRequest.builder(in)
        .hiddenPath(state)
        .transcriptDirectory(state.resolve("transcripts"))
        .startupTimeout(Duration.ofSeconds(60))
        .cancelGrace(Duration.ofSeconds(5))
        .build();
  }
}
