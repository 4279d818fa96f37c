package dev.overnight.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.acp.internal.AcpSessionImpl;
import dev.overnight.api.agent.AgentCrashedException;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.AgentProtocolException;
import dev.overnight.api.agent.AgentTimeoutException;
import dev.overnight.api.agent.AuthenticationRequiredException;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.StopReason;
import dev.overnight.fakes.ScriptedAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way an agent can misbehave ends its session with a clear error, leaves no process and no
 * thread behind, and never costs unbounded memory.
 */
class AgentFaultTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path worktree;
  @TempDir Path state;

  @AfterEach
  void nothingLeft() {
    Sessions.assertNoScriptedAgentRunning();
    Sessions.assertNoSessionThreads();
  }

  private AcpAgentProvider provider(
      UnaryOperator<AcpAgentProvider.Builder> options, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--record");
    all.add(state.resolve("record.jsonl").toString());
    return options
        .apply(
            AcpAgentProvider.builder("scripted")
                .agentCommand(ScriptedAgent.command(all.toArray(new String[0]))))
        .build();
  }

  private AcpAgentProvider fault(String name) {
    return provider(b -> b, "--fault", name);
  }

  private SessionRequest request() {
    return SessionRequest.builder(worktree)
        .transcriptDirectory(state.resolve("transcripts"))
        .startupTimeout(Duration.ofSeconds(60))
        .cancelGrace(Duration.ofMillis(500))
        .build();
  }

  private List<JsonNode> recorded() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(state.resolve("record.jsonl"))) {
      out.add(MAPPER.readTree(line));
    }
    return out;
  }

  /** Runs one turn that must fail; returns the cause after checking nothing is left. */
  private Throwable failingTurn(AcpAgentProvider provider) throws Exception {
    AcpAgentSession session = provider.open(request());
    Sessions.Collected updates = Sessions.Collected.from(session);
    List<ProcessHandle> tree = List.of(session.process());
    Throwable cause;
    try {
      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class, () -> session.prompt("go").get(60, TimeUnit.SECONDS));
      cause = e.getCause();
      assertThat(updates.awaitEnd()).as("the update stream ends with the failure").contains(cause);
      assertThat(session.isAlive()).isFalse();
      assertThat(session.prompt("again")).failsWithin(Duration.ofSeconds(10));
    } finally {
      session.close();
    }
    Sessions.assertNothingLeft(session, tree);
    return cause;
  }

  @Test
  void anAgentThatExitsAtStartFailsOpenWithItsExitCodeAndStderr() {
    assertThatThrownBy(() -> fault("exit-at-start").open(request()))
        .isInstanceOf(AgentCrashedException.class)
        .hasMessageContaining("scripted exited with code 3 while starting")
        .hasMessageContaining("exiting at start as scripted");
  }

  @Test
  void anAgentThatRefusesSessionNewSaysWhyWithItsErrorAndStderrInTheExceptionAndTranscript()
      throws Exception {
    assertThatThrownBy(() -> fault("session-new-error").open(request()))
        .isExactlyInstanceOf(AgentException.class)
        .hasMessageContaining("scripted failed session/new: Internal error")
        .hasMessageContaining("upstream request failed")
        .hasMessageContaining("JSON-RPC error -32603")
        .satisfies(
            e ->
                assertThat(((AgentException) e).agentOutput())
                    .contains("scripted agent: the model service answered 500"));
    JsonNode note = startupNote();
    assertThat(note.path("error").asText()).contains("JSON-RPC error -32603");
    assertThat(note.path("stderr").asText())
        .isEqualTo("scripted agent: the model service answered 500");
  }

  @Test
  void anAgentWhoseKeyIsRefusedNeedsALoginAndSaysSoInItsOwnWords() throws Exception {
    assertThatThrownBy(() -> fault("auth-error").open(request()))
        .isInstanceOf(AuthenticationRequiredException.class)
        .hasMessageContaining("Authentication required")
        .satisfies(
            e ->
                assertThat(((AgentException) e).withOutput())
                    .endsWith("; its last stderr lines:\nscripted agent: 401 invalid x-api-key"));
    assertThat(startupNote().path("stderr").asText())
        .isEqualTo("scripted agent: 401 invalid x-api-key");
  }

  /** The note a failed start left in the transcript's start-up file. */
  private JsonNode startupNote() throws Exception {
    List<JsonNode> notes = new ArrayList<>();
    try (var files = Files.list(state.resolve("transcripts"))) {
      for (Path f : files.toList()) {
        for (String line : Files.readAllLines(f)) {
          JsonNode l = MAPPER.readTree(line);
          if (l.path("msg").path("event").asText().equals("startup_failed")) {
            notes.add(l.path("msg"));
          }
        }
      }
    }
    assertThat(notes).hasSize(1);
    return notes.get(0);
  }

  @Test
  void anAgentThatNeverAnswersInitializeTimesOut() {
    SessionRequest quick =
        SessionRequest.builder(worktree).startupTimeout(Duration.ofSeconds(2)).build();
    assertThatThrownBy(() -> fault("never-initialize").open(quick))
        .isInstanceOf(AgentTimeoutException.class)
        .hasMessage("scripted did not answer initialize within 2 s (start-up timeout)");
  }

  @Test
  void anAgentThatExitsMidTurnFailsTheTurn() throws Exception {
    assertThat(failingTurn(fault("exit-mid-turn")))
        .isInstanceOf(AgentCrashedException.class)
        .hasMessageContaining("scripted exited with code 4 during a turn")
        .hasMessageContaining("exiting mid-turn as scripted");
  }

  @Test
  void aTurnOverItsBudgetIsCancelledThenKilled() throws Exception {
    assertThat(failingTurn(provider(b -> b.turnTimeout(Duration.ofSeconds(1)), "--fault", "hang")))
        .isInstanceOf(AgentTimeoutException.class)
        .hasMessage(
            "scripted exceeded its turn budget of 1 s and did not stop within the 500 ms grace"
                + " period after session/cancel; its process tree was killed");
  }

  @Test
  void aSilentAgentIsCancelledThenKilled() throws Exception {
    assertThat(
            failingTurn(provider(b -> b.silenceTimeout(Duration.ofSeconds(1)), "--fault", "hang")))
        .isInstanceOf(AgentTimeoutException.class)
        .hasMessageStartingWith("scripted went silent for 1 s and did not stop");
  }

  @Test
  void aTurnThatStopsWhenCancelledByTheBudgetEndsAsCancelled() throws Exception {
    AcpAgentProvider provider =
        provider(b -> b.turnTimeout(Duration.ofSeconds(1)), "--fault", "wait-for-cancel");
    // A generous grace: this agent stops when asked, and a busy machine must not make it late.
    SessionRequest patient =
        SessionRequest.builder(worktree)
            .transcriptDirectory(state.resolve("transcripts"))
            .cancelGrace(Duration.ofSeconds(30))
            .build();
    try (AcpAgentSession session = provider.open(patient)) {
      AgentOutcome outcome = session.prompt("go").get(60, TimeUnit.SECONDS);
      assertThat(outcome.stopReason()).isEqualTo(StopReason.CANCELLED);
      assertThat(session.isAlive()).isTrue();
      session.close();
      assertThat(Files.readString(session.transcript().orElseThrow()))
          .contains("\"reason\":\"exceeded its turn budget of 1 s\"");
    }
  }

  @Test
  void nonJsonOnStdoutEndsTheSession() throws Exception {
    assertThat(failingTurn(fault("non-json")))
        .isInstanceOf(AgentProtocolException.class)
        .hasMessageContaining("wrote a line that is not JSON")
        .hasMessageContaining("Loading model weights... done");
  }

  @Test
  void aFiftyMegabyteLineIsCutOffAtTheCapWithBoundedMemory() throws Exception {
    AcpAgentSession session = fault("huge-line").open(request());
    List<ProcessHandle> tree = List.of(session.process());
    try {
      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class, () -> session.prompt("go").get(60, TimeUnit.SECONDS));
      assertThat(e.getCause())
          .isInstanceOf(AgentProtocolException.class)
          .hasMessageContaining("wrote a line longer than 16 MiB");
      assertThat(((AcpSessionImpl) session).lineBufferHighWater())
          .isLessThanOrEqualTo(AcpAgentProvider.DEFAULT_MAX_LINE_BYTES);
    } finally {
      session.close();
    }
    Sessions.assertNothingLeft(session, tree);
  }

  @Test
  void aFloodOfAHundredThousandUpdatesArrivesWholeAndInOrder() throws Exception {
    try (AcpAgentSession session = fault("flood").open(request())) {
      Sessions.Collected updates = Sessions.Collected.from(session);
      assertThat(session.prompt("go").get(120, TimeUnit.SECONDS).stopReason())
          .isEqualTo(StopReason.END_TURN);
      session.close();
      updates.awaitEnd();
      List<SessionUpdate.AgentMessageChunk> chunks =
          updates.of(SessionUpdate.AgentMessageChunk.class);
      assertThat(chunks).hasSize(100_001);
      for (int i = 0; i < 100_000; i += 9_999) {
        assertThat(chunks.get(i).content().asText()).isEqualTo("update " + i);
      }
      assertThat(chunks.get(100_000).content().asText()).isEqualTo("flood done");
    }
  }

  @Test
  void aResponseToAnIdNeverSentEndsTheSession() throws Exception {
    assertThat(failingTurn(fault("unknown-id")))
        .isInstanceOf(AgentProtocolException.class)
        .hasMessageContaining(
            "answered request id 987654, which Overnight never sent or had already been answered");
  }

  @Test
  void readingEtcPasswdIsRefused() throws Exception {
    assertRefused("read-passwd", "/etc/passwd", "is outside the worktree");
  }

  @Test
  void readingThroughDotDotIsRefused() throws Exception {
    assertRefused("read-dotdot", "../../x", "is outside the worktree");
  }

  @Test
  void readingThroughASymlinkOutOfTheWorktreeIsRefused() throws Exception {
    assertRefused("read-symlink", "escape/passwd", "leads outside the worktree");
  }

  private void assertRefused(String fault, String path, String why) throws Exception {
    try (AcpAgentSession session = fault(fault).open(request())) {
      Sessions.Collected updates = Sessions.Collected.from(session);
      assertThat(session.prompt("read").get(60, TimeUnit.SECONDS).stopReason())
          .isEqualTo(StopReason.END_TURN);
      assertThat(session.isAlive()).isTrue();
      session.close();
      updates.awaitEnd();
      JsonNode error = recorded().get(0).path("answer").path("error");
      assertThat(error.path("code").asInt()).isEqualTo(-32602);
      assertThat(error.path("message").asText()).startsWith("Access refused to ").contains(why);
      assertThat(error.path("data").path("path").asText()).endsWith(path.replace("../../", ""));
      assertThat(updates.messageText()).contains("failed: Access refused").doesNotContain("root:");
    }
  }

  @Test
  void terminalOutputIsCappedAndItsCwdConfined() throws Exception {
    Path script = state.resolve("script.json");
    Files.writeString(
        script,
        "{\"steps\":["
            + "{\"terminal\":{\"command\":\"sh\",\"args\":[\"-c\",\"yes 0123456789 | head -c"
            + " 100000\"],\"outputByteLimit\":1000}},"
            + "{\"terminal\":{\"command\":\"ls\",\"cwd\":\"/tmp\"}}]}");
    try (AcpAgentSession session =
        provider(b -> b, "--script", script.toString()).open(request())) {
      session.prompt("run").get(60, TimeUnit.SECONDS);
      List<JsonNode> answers = recorded();
      JsonNode output = answers.get(1).path("answer").path("output");
      assertThat(output.path("truncated").asBoolean()).isTrue();
      assertThat(output.path("output").asText())
          .hasSizeLessThanOrEqualTo(1000)
          .endsWith("0123456789");
      JsonNode refused = answers.get(2).path("answer").path("error");
      assertThat(refused.path("code").asInt()).isEqualTo(-32602);
      assertThat(refused.path("message").asText())
          .contains("Access refused to /tmp: it is outside the worktree");
    }
  }

  @Test
  void killingATerminalKillsItsWholeProcessTree() throws Exception {
    Path script = state.resolve("script.json");
    Files.writeString(
        script,
        "{\"steps\":[{\"terminal\":{\"command\":\"sh\",\"args\":[\"-c\",\"sleep 613 & sleep"
            + " 613\"],\"kill\":true}}]}");
    try (AcpAgentSession session =
        provider(b -> b, "--script", script.toString()).open(request())) {
      session.prompt("run").get(60, TimeUnit.SECONDS);
      JsonNode exit = recorded().get(1).path("answer").path("exit");
      assertThat(exit.path("signal").asText()).isEqualTo("SIGKILL");
    }
    assertThat(
            ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("sleep 613")))
        .allSatisfy(p -> assertThat(p.onExit()).succeedsWithin(Duration.ofSeconds(30)));
  }
}
