package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.Availability;
import dev.overnight.api.agent.AgentUnavailableException;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.config.SandboxMode;
import dev.overnight.core.sandbox.Sandbox;
import dev.overnight.core.sandbox.SandboxProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a session's terminals and agent process are wrapped in, per agent and per mode. */
class SessionSandboxTest {
  @TempDir Path machine;

  /** Records the profile of every command it wraps. */
  static final class Recording implements Sandbox {
    final List<SandboxProfile> profiles = new ArrayList<>();

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public boolean confines() {
      return true;
    }

    @Override
    public Availability availability() {
      return Availability.available("recording sandbox");
    }

    @Override
    public List<String> wrap(List<String> argv, SandboxProfile profile) {
      profiles.add(profile);
      List<String> out = new ArrayList<>(List.of("sandboxed", "--"));
      out.addAll(argv);
      return out;
    }
  }

  private ProviderSettings settings(String id, SandboxMode mode, boolean network, Sandbox sandbox) {
    return new ProviderSettings(
        id,
        AgentProfile.forId(id),
        Optional.empty(),
        Map.of(),
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        1 << 20,
        1 << 20,
        1 << 20,
        4,
        Optional.empty(),
        new SandboxSettings(
            mode,
            network,
            List.of(machine.resolve("configured-state")),
            List.of(),
            Optional.empty(),
            Optional.of(sandbox)));
  }

  @Test
  void claudeCodesOwnProcessRunsConfinedWithItsFoldersWritableAndItsSettingsReadOnly()
      throws Exception {
    Path home = Files.createDirectories(machine.resolve("home"));
    Path claude = Files.createDirectories(home.resolve(".claude"));
    Files.writeString(claude.resolve("settings.json"), "{}");
    Path worktree = Files.createDirectories(machine.resolve("state/worktrees/t1"));
    Recording sandbox = new Recording();
    SessionRequest request =
        SessionRequest.builder(worktree)
            .hiddenPath(machine.resolve("state"))
            .transcriptDirectory(machine.resolve("transcripts"))
            .build();

    SessionSandbox s =
        SessionSandbox.prepare(
            settings("claude-code", SandboxMode.REQUIRED, false, sandbox),
            request,
            worktree,
            Map.of("HOME", home.toString()));

    assertThat(s.confinesAgent()).isTrue();
    assertThat(s.agentEnvironment()).containsEntry("IS_SANDBOX", "1");
    assertThat(s.agentCommand(List.of("claude-agent-acp")))
        .containsExactly("sandboxed", "--", "claude-agent-acp");
    SandboxProfile agent = sandbox.profiles.get(0);
    assertThat(agent.network()).isTrue();
    assertThat(agent.writable())
        .contains(worktree, claude, home.resolve(".claude.json"), home.resolve(".npm"));
    assertThat(home.resolve(".npm")).isDirectory();
    assertThat(home.resolve(".claude.json")).doesNotExist();
    assertThat(agent.readable()).contains(claude.resolve("settings.json"));
    assertThat(agent.hidden())
        .contains(
            machine.resolve("state"),
            machine.resolve("configured-state"),
            machine.resolve("transcripts"),
            home.resolve(".ssh"),
            home.resolve(".config/gh"),
            home.resolve(".local/state/overnight"));

    assertThat(s.terminalCommand(List.of("ls"), worktree)).containsExactly("sandboxed", "--", "ls");
    SandboxProfile terminal = sandbox.profiles.get(1);
    assertThat(terminal.network()).isFalse();
    assertThat(terminal.writable()).containsExactly(worktree);
    assertThat(terminal.hidden()).containsAll(agent.hidden());
  }

  @Test
  void anAgentThatRunsNoCommandsItselfHasOnlyItsTerminalsConfined() throws Exception {
    Path worktree = Files.createDirectories(machine.resolve("w"));
    Recording sandbox = new Recording();
    SessionSandbox s =
        SessionSandbox.prepare(
            settings("my-agent", SandboxMode.REQUIRED, true, sandbox),
            SessionRequest.builder(worktree).build(),
            worktree,
            Map.of("HOME", machine.toString()));

    assertThat(s.confinesAgent()).isFalse();
    assertThat(s.agentEnvironment()).isEmpty();
    assertThat(s.agentCommand(List.of("my-agent"))).containsExactly("my-agent");
    assertThat(s.terminalCommand(List.of("ls"), worktree)).startsWith("sandboxed");
    assertThat(sandbox.profiles).singleElement().satisfies(p -> assertThat(p.network()).isTrue());
  }

  @Test
  void offConfinesNothingAndRequiredWithoutASandboxRefusesToStart() throws Exception {
    Path worktree = Files.createDirectories(machine.resolve("w"));
    Recording sandbox = new Recording();
    SessionSandbox off =
        SessionSandbox.prepare(
            settings("codex", SandboxMode.OFF, false, sandbox),
            SessionRequest.builder(worktree).build(),
            worktree,
            Map.of("HOME", machine.toString()));
    assertThat(off.agentCommand(List.of("codex-acp"))).containsExactly("codex-acp");
    assertThat(off.terminalCommand(List.of("ls"), worktree)).containsExactly("ls");
    assertThat(sandbox.profiles).isEmpty();
    assertThat(machine.resolve(".codex")).as("nothing made for a sandbox not used").doesNotExist();

    Sandbox none = Sandbox.unavailable("bubblewrap (bwrap) is not installed", "install it");
    assertThatThrownBy(
            () ->
                SessionSandbox.prepare(
                    settings("codex", SandboxMode.REQUIRED, false, none),
                    SessionRequest.builder(worktree).build(),
                    worktree,
                    Map.of()))
        .isInstanceOf(AgentUnavailableException.class)
        .hasMessageStartingWith(
            "codex: permissions.sandbox is required, but no sandbox can be used here: bubblewrap");
  }
}
