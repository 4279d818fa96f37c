package dev.overnight.acp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.ToolCallContent;
import dev.overnight.api.agent.UsageLimitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against an agent written on the official TypeScript SDK, which validates every message
 * the client sends; and every message the client sent is checked again against the protocol's JSON
 * schema.
 */
class SdkPeerTest {
  private static AcpSchema schema;

  @TempDir Path worktree;
  @TempDir Path state;

  @BeforeAll
  static void loadSchema() throws Exception {
    schema = AcpSchema.load();
  }

  @AfterEach
  void nothingLeft() {
    Sessions.assertNoScriptedAgentRunning();
    Sessions.assertNoSessionThreads();
  }

  private AcpAgentProvider provider() {
    return AcpAgentProvider.builder("sdk")
        .command(
            NodePeers.node().toString(),
            List.of(NodePeers.folder().resolve("sdk-agent.mjs").toString()))
        .build();
  }

  private SessionRequest.Builder request() {
    return SessionRequest.builder(worktree)
        .transcriptDirectory(state)
        .startupTimeout(Duration.ofSeconds(60))
        .cancelGrace(Duration.ofSeconds(30));
  }

  private void assertValid(AcpAgentSession session) throws Exception {
    session.close();
    assertThat(schema.checkClientMessages(session.transcript().orElseThrow())).isEmpty();
  }

  @Test
  void aFullTurnWithModesPermissionFilesAndATerminal() throws Exception {
    AcpAgentSession session = provider().open(request().mode("plan").build());
    List<ProcessHandle> tree = List.of(session.process());
    try {
      Sessions.Collected updates = Sessions.Collected.from(session);
      assertThat(session.agentInfo().name()).isEqualTo("sdk-test-agent");
      assertThat(session.agentInfo().protocolVersion()).isEqualTo(1);
      assertThat(session.modes()).extracting(AcpAgentSession.Mode::id).contains("default", "plan");
      assertThat(session.currentMode()).contains("plan");

      AgentOutcome outcome = session.prompt("hello sdk").get(60, TimeUnit.SECONDS);
      session.setMode("default");
      assertThat(session.currentMode()).contains("default");
      assertValid(session);
      updates.awaitEnd();

      assertThat(outcome.stopReason()).isEqualTo(StopReason.END_TURN);
      assertThat(outcome.usage().costUsd()).contains(0.5);
      assertThat(Files.readString(worktree.resolve("echo.txt"))).isEqualTo("hello sdk");
      assertThat(updates.messageText())
          .isEqualTo("Echo: hello sdk | terminal: from-terminal exit 3");
      assertThat(updates.of(SessionUpdate.CurrentMode.class))
          .extracting(SessionUpdate.CurrentMode::modeId)
          .containsExactly("plan", "default");
      SessionUpdate.ToolCallUpdate done = updates.of(SessionUpdate.ToolCallUpdate.class).get(0);
      assertThat(done.content().orElseThrow())
          .singleElement()
          .isInstanceOfSatisfying(
              ToolCallContent.Diff.class,
              d -> {
                assertThat(d.oldText()).isEmpty();
                assertThat(d.newText()).isEqualTo("hello sdk");
              });
    } finally {
      session.close();
    }
    Sessions.assertNothingLeft(session, tree);
  }

  @Test
  void cancelStopsTheTurnAsCancelled() throws Exception {
    try (AcpAgentSession session = provider().open(request().build())) {
      Sessions.Collected updates = Sessions.Collected.from(session);
      CompletableFuture<AgentOutcome> turn = session.prompt("wait");
      updates.await(SessionUpdate.AgentThoughtChunk.class);
      session.cancel();
      assertThat(turn.get(60, TimeUnit.SECONDS).stopReason()).isEqualTo(StopReason.CANCELLED);
      assertValid(session);
    }
  }

  @Test
  void aUsageLimitErrorBecomesAUsageLimitException() throws Exception {
    try (AcpAgentSession session = provider().open(request().build())) {
      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class, () -> session.prompt("fail").get(60, TimeUnit.SECONDS));
      assertThat(e.getCause())
          .isInstanceOf(UsageLimitException.class)
          .hasMessageContaining("You've hit your limit · resets 5am (UTC)");
      assertValid(session);
    }
  }

  @Test
  void readsOutsideTheWorktreeAreRefusedAndUnknownMethodsAnswered() throws Exception {
    try (AcpAgentSession session = provider().open(request().build())) {
      Sessions.Collected updates = Sessions.Collected.from(session);
      session.prompt("outside").get(60, TimeUnit.SECONDS);
      session.prompt("bogus").get(60, TimeUnit.SECONDS);
      assertValid(session);
      updates.awaitEnd();
      assertThat(updates.messageText())
          .startsWith("refused -32602: Access refused to /etc/passwd: it is outside the worktree")
          .endsWith("error -32601");
    }
  }
}
