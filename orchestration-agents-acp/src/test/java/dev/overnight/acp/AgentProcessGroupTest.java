package dev.overnight.acp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.StopReason;
import dev.overnight.fakes.ScriptedAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent runs as the leader of a process group of its own, so that what it starts ends with it:
 * even a process that left the agent's tree (its parent exited, init adopted it), and, through the
 * group, even after the Overnight that started the agent died.
 */
class AgentProcessGroupTest {
  @TempDir Path worktree;
  @TempDir Path state;

  private ProcessHandle orphan;

  @AfterEach
  void nothingLeft() {
    if (orphan != null) {
      orphan.destroyForcibly();
    }
    Sessions.assertNoScriptedAgentRunning();
    Sessions.assertNoSessionThreads();
  }

  @Test
  void whatTheAgentLeftRunningOutsideItsTreeEndsWithTheSession() throws Exception {
    Path pidFile = state.resolve("orphan.pid");
    String script =
        "{\"turns\":[[{\"spawn\":[\"/bin/sh\",\"-c\",\"sleep 40 >/dev/null 2>&1 & echo $! > '"
            + pidFile
            + "'\"]},{\"stop\":\"end_turn\"}]]}";
    AcpAgentProvider provider =
        AcpAgentProvider.builder("scripted")
            .agentCommand(ScriptedAgent.command("--script-json", script))
            .build();
    AcpAgentSession session =
        provider.open(
            SessionRequest.builder(worktree)
                .transcriptDirectory(state.resolve("transcripts"))
                .startupTimeout(Duration.ofSeconds(60))
                .build());
    try {
      assertThat(session.processGroupLeader()).contains(session.process());
      AgentOutcome outcome = session.prompt("Start something").get(60, TimeUnit.SECONDS);
      assertThat(outcome.stopReason()).isEqualTo(StopReason.END_TURN);

      orphan = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).orElseThrow();
      assertThat(orphan.isAlive()).isTrue();
      assertThat(session.process().descendants())
          .as("the sleep left the agent's process tree")
          .doesNotContain(orphan);
    } finally {
      session.close();
    }

    assertThat(orphan.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
  }
}
