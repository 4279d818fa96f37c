package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.agent.PermissionDecision;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.core.secrets.Redactor;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each message from the agent goes, and what is refused. */
class DispatcherTest {
  @TempDir Path worktree;
  @TempDir Path transcripts;

  private final AuthStatusWatch authStatus = new AuthStatusWatch();
  private final Redactor redactor = Redactor.forEnvironment(Map.of());
  private final AtomicInteger servingWhileDeciding = new AtomicInteger(-1);
  private TranscriptNotes notes;
  private TerminalService terminals;
  private Dispatcher dispatcher;

  @BeforeEach
  void parts() throws Exception {
    notes = new TranscriptNotes(transcripts, InstantSource.system());
    terminals =
        new TerminalService(
            new Confinement(worktree), Map.of(), 1024, 1, Executors.defaultThreadFactory());
  }

  @AfterEach
  void close() {
    terminals.close();
    notes.transcript.close();
  }

  private Dispatcher dispatcher(AgentProfile profile) throws Exception {
    Confinement confinement = new Confinement(worktree);
    ToolCalls toolCalls = new ToolCalls();
    UpdateStream<SessionUpdate> stream = new UpdateStream<>(Executors.defaultThreadFactory(), 10);
    dispatcher =
        new Dispatcher(
            "agent",
            () -> "s1",
            profile.extensions(),
            authStatus,
            new SessionUpdates(
                profile.extensions(), toolCalls, new UsageLedger(), new SessionModes(), stream),
            new PermissionBroker(
                "agent",
                worktree,
                request -> {
                  servingWhileDeciding.set(dispatcher.requestsInFlight());
                  return PermissionDecision.allow("ok");
                },
                toolCalls,
                notes.transcript,
                () -> "s1",
                () -> false),
            new FileSystemService(confinement, 1024, false),
            terminals,
            false,
            notes.transcript,
            redactor,
            cause -> {},
            error -> {});
    return dispatcher;
  }

  private static ObjectNode params(String sessionId) {
    ObjectNode params = Json.object();
    params.put("sessionId", sessionId);
    return params;
  }

  private static JsonNode notLoggedIn() {
    ObjectNode params = Json.object();
    params.putObject("authStatus").put("kind", "none");
    return params;
  }

  @Test
  void claudeCodesLoginReportReachesTheWatch() throws Exception {
    dispatcher(AgentProfile.claudeCode()).onNotification("_auth/status_update", notLoggedIn());

    assertThat(authStatus.saysNotLoggedIn()).isTrue();
  }

  @Test
  void anAgentWithoutThatExtensionHasTheNotificationIgnored() throws Exception {
    dispatcher(AgentProfile.generic("agent")).onNotification("_auth/status_update", notLoggedIn());

    assertThat(authStatus.saysNotLoggedIn()).isFalse();
  }

  @Test
  void aPermissionRequestIsAnsweredByTheBrokerWhileCountedAsServed() throws Exception {
    Dispatcher dispatcher = dispatcher(AgentProfile.generic("agent"));
    ObjectNode request = params("s1");
    request.putObject("toolCall").put("toolCallId", "c1").put("kind", "read");
    request.putArray("options").addObject().put("optionId", "yes").put("kind", "allow_once");

    JsonNode answer = dispatcher.onRequest("session/request_permission", request);

    assertThat(answer.path("outcome").path("optionId").asText()).isEqualTo("yes");
    assertThat(servingWhileDeciding).hasValue(1);
    assertThat(dispatcher.requestsInFlight()).isZero();
  }

  @Test
  void requestsForAnotherSessionOrAnUnknownMethodAreRefused() throws Exception {
    Dispatcher dispatcher = dispatcher(AgentProfile.generic("agent"));

    assertThatThrownBy(() -> dispatcher.onRequest("fs/read_text_file", params("s2")))
        .isInstanceOf(RpcException.class)
        .hasMessage("Unknown session s2")
        .satisfies(
            e -> assertThat(((RpcException) e).code()).isEqualTo(RpcException.INVALID_PARAMS));
    assertThatThrownBy(() -> dispatcher.onRequest("_vendor/thing", params("s1")))
        .isInstanceOf(RpcException.class)
        .hasMessage("Method not found: _vendor/thing")
        .satisfies(
            e -> assertThat(((RpcException) e).code()).isEqualTo(RpcException.METHOD_NOT_FOUND));
    assertThat(dispatcher.requestsInFlight()).isZero();
  }

  @Test
  void aFileRequestOutsideTheWorktreeIsRefusedAndTheRefusalRecorded() throws Exception {
    Dispatcher dispatcher = dispatcher(AgentProfile.generic("agent"));
    ObjectNode read = params("s1");
    read.put("path", "/etc/passwd");

    assertThatThrownBy(() -> dispatcher.onRequest("fs/read_text_file", read))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("outside the worktree");

    JsonNode note = notes.of("refused").get(0);
    assertThat(note.path("method").asText()).isEqualTo("fs/read_text_file");
    assertThat(note.path("reason").asText()).contains("/etc/passwd");
  }
}
