package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.agent.PermissionDecision;
import dev.overnight.api.agent.PermissionPolicy;
import dev.overnight.api.agent.PermissionRequest;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.ToolCallStatus;
import dev.overnight.api.agent.ToolKind;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a policy's decision becomes the option Overnight answers an agent with, and its record. */
class PermissionBrokerTest {
  private static final List<String> ALL_KINDS =
      List.of("allow_always", "allow_once", "reject_once", "reject_always");

  @TempDir Path worktree;
  @TempDir Path transcripts;

  private final ToolCalls toolCalls = new ToolCalls();
  private final AtomicBoolean cancelling = new AtomicBoolean();
  private final AtomicReference<PermissionRequest> asked = new AtomicReference<>();
  private TranscriptNotes notes;

  @BeforeEach
  void transcript() {
    notes = new TranscriptNotes(transcripts, InstantSource.system());
  }

  @AfterEach
  void closeTranscript() {
    notes.transcript.close();
  }

  private PermissionBroker broker(PermissionPolicy policy) {
    return new PermissionBroker(
        "agent",
        worktree,
        request -> {
          asked.set(request);
          return policy.decide(request);
        },
        toolCalls,
        notes.transcript,
        () -> "s1",
        cancelling::get);
  }

  /** A request for an edit of {@code a.txt} offering one option of each kind, ids as the kinds. */
  private static ObjectNode request(List<String> optionKinds) {
    ObjectNode params = Json.object();
    params.put("sessionId", "s1");
    ObjectNode call = params.putObject("toolCall");
    call.put("toolCallId", "call-1");
    call.put("title", "Edit a.txt");
    call.put("kind", "edit");
    call.putArray("locations").addObject().put("path", "a.txt");
    ArrayNode options = params.putArray("options");
    for (String kind : optionKinds) {
      options.addObject().put("optionId", "opt-" + kind).put("name", kind).put("kind", kind);
    }
    return params;
  }

  private static String chosen(JsonNode answer) {
    JsonNode outcome = answer.path("outcome");
    return outcome.path("outcome").asText().equals("selected")
        ? outcome.path("optionId").asText()
        : outcome.path("outcome").asText();
  }

  @Test
  void anAllowPicksAllowOnceNeverAllowAlways() {
    JsonNode answer =
        broker(r -> PermissionDecision.allow("edit inside the worktree"))
            .answer(request(ALL_KINDS));

    assertThat(chosen(answer)).isEqualTo("opt-allow_once");
    JsonNode note = notes.of("permission").get(0);
    assertThat(note.path("toolCallId").asText()).isEqualTo("call-1");
    assertThat(note.path("title").asText()).isEqualTo("Edit a.txt");
    assertThat(note.path("allowed").asBoolean()).isTrue();
    assertThat(note.path("reason").asText()).isEqualTo("edit inside the worktree");
    assertThat(note.path("optionId").asText()).isEqualTo("opt-allow_once");
  }

  @Test
  void thePolicySeesTheRequestAsTheAgentMadeIt() {
    broker(r -> PermissionDecision.allow("ok")).answer(request(ALL_KINDS));

    PermissionRequest request = asked.get();
    assertThat(request.sessionId()).isEqualTo("s1");
    assertThat(request.worktree()).isEqualTo(worktree);
    assertThat(request.toolCallId()).isEqualTo("call-1");
    assertThat(request.toolKind()).isEqualTo(ToolKind.EDIT);
    assertThat(request.locations()).containsExactly("a.txt");
    assertThat(request.options()).extracting(o -> o.kind()).containsExactlyElementsOf(ALL_KINDS);
  }

  @Test
  void anAllowWithoutAnAllowOnceOptionIsARejection() {
    JsonNode answer =
        broker(r -> PermissionDecision.allow("ok"))
            .answer(request(List.of("allow_always", "reject_once")));

    assertThat(chosen(answer)).isEqualTo("opt-reject_once");
    JsonNode note = notes.of("permission").get(0);
    assertThat(note.path("allowed").asBoolean()).isFalse();
    assertThat(note.path("reason").asText())
        .isEqualTo(
            "allowed by policy, but the agent offered no allow-once option (Overnight never"
                + " answers allow-always)");
  }

  @Test
  void aRejectPicksRejectOnceElseRejectAlways() {
    PermissionPolicy no = r -> PermissionDecision.reject("outside the worktree");

    assertThat(chosen(broker(no).answer(request(ALL_KINDS)))).isEqualTo("opt-reject_once");
    assertThat(chosen(broker(no).answer(request(List.of("allow_once", "reject_always")))))
        .isEqualTo("opt-reject_always");
    assertThat(notes.of("permission"))
        .allSatisfy(
            n -> {
              assertThat(n.path("allowed").asBoolean()).isFalse();
              assertThat(n.path("reason").asText()).isEqualTo("outside the worktree");
            });
  }

  @Test
  void withNoOptionToSayItTheAnswerIsCancelled() {
    JsonNode answer =
        broker(r -> PermissionDecision.reject("no")).answer(request(List.of("allow_once")));

    assertThat(chosen(answer)).isEqualTo("cancelled");
    assertThat(notes.of("permission").get(0).has("optionId")).isFalse();
  }

  @Test
  void aPolicyThatFailsOrSaysNothingRejects() {
    broker(
            r -> {
              throw new IllegalStateException("boom");
            })
        .answer(request(ALL_KINDS));
    broker(r -> null).answer(request(ALL_KINDS));

    assertThat(notes.of("permission"))
        .extracting(n -> n.path("optionId").asText() + ": " + n.path("reason").asText())
        .containsExactly(
            "opt-reject_once: the permission policy failed: java.lang.IllegalStateException: boom",
            "opt-reject_once: the permission policy gave no answer");
  }

  @Test
  void whileTheTurnIsBeingCancelledEveryRequestIsCancelledWithoutAskingThePolicy() {
    cancelling.set(true);

    JsonNode answer = broker(r -> PermissionDecision.allow("ok")).answer(request(ALL_KINDS));

    assertThat(chosen(answer)).isEqualTo("cancelled");
    assertThat(asked.get()).isNull();
    assertThat(notes.of("permission").get(0).path("reason").asText())
        .isEqualTo("the turn is being cancelled");
  }

  @Test
  void aRequestNamingOnlyAnAnnouncedToolCallIsDecidedOnWhatItsUpdatesSaid() {
    toolCalls.announced(
        new SessionUpdate.ToolCall(
            "call-9",
            "Run tests",
            ToolKind.EXECUTE,
            Optional.of(ToolCallStatus.PENDING),
            List.of(),
            List.of("old/dir"),
            Optional.of("{\"command\":\"make test\"}")));
    toolCalls.updated(
        new SessionUpdate.ToolCallUpdate(
            "call-9",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(List.of("src")),
            Optional.empty()));
    ObjectNode params = Json.object();
    params.putObject("toolCall").put("toolCallId", "call-9");
    params.putArray("options").addObject().put("optionId", "yes").put("kind", "allow_once");

    assertThat(chosen(broker(r -> PermissionDecision.allow("ok")).answer(params))).isEqualTo("yes");

    PermissionRequest request = asked.get();
    assertThat(request.title()).isEqualTo("Run tests");
    assertThat(request.toolKind()).isEqualTo(ToolKind.EXECUTE);
    assertThat(request.locations()).containsExactly("src");
    assertThat(request.rawInput()).contains("{\"command\":\"make test\"}");
  }
}
