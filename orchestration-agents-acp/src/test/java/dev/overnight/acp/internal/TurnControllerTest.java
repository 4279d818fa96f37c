package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.AgentProtocolException;
import dev.overnight.api.agent.AgentTimeoutException;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.Usage;
import dev.overnight.fakes.ManualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The turn state machine on virtual time, against an agent played by the test. */
class TurnControllerTest {
  private static final Instant T0 = Instant.parse("2026-06-01T23:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(5);

  @TempDir Path transcripts;

  private final ManualTimeSource time = new ManualTimeSource(T0);
  private final FakeChannel agent = new FakeChannel(T0);
  private final UsageLedger usage = new UsageLedger();
  private final AtomicInteger requestsInFlight = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<AgentException> fatal = new CopyOnWriteArrayList<>();
  private TranscriptNotes notes;
  private TurnController turns;

  @BeforeEach
  void transcript() {
    notes = new TranscriptNotes(transcripts, time);
  }

  @AfterEach
  void closeTranscript() {
    notes.transcript.close();
  }

  private TurnController turns(
      Optional<Duration> budget, Optional<Duration> silence, AgentExtensions extensions) {
    turns =
        new TurnController(
            "agent",
            new TurnController.Budgets(budget, silence, GRACE),
            time,
            notes.transcript,
            usage,
            extensions,
            requestsInFlight::get,
            closed::get,
            (method, e) -> new AgentException(method + " refused: " + e.getMessage()),
            cause -> {
              // As the session does: record the failure, which ends the turn.
              fatal.add(cause);
              turns.fail(cause, () -> {});
            });
    return turns;
  }

  private TurnController unlimited() {
    return turns(Optional.empty(), Optional.empty(), AgentExtensions.none());
  }

  private TurnController withBudget(Duration budget) {
    return turns(Optional.of(budget), Optional.empty(), AgentExtensions.none());
  }

  private TurnController withSilenceLimit(Duration limit) {
    return turns(Optional.empty(), Optional.of(limit), AgentExtensions.none());
  }

  private void answer(String resultJson) throws Exception {
    agent.last("session/prompt").answer().complete(Json.MAPPER.readTree(resultJson));
  }

  @Test
  void aTurnSendsThePromptAndEndsWithTheStopReasonTokensAndTheCostItRan() throws Exception {
    usage.costReported(1.0);
    CompletableFuture<AgentOutcome> turn = unlimited().prompt(agent, "s1", "Write hello.txt");

    JsonNode params = agent.last("session/prompt").params();
    assertThat(params.path("sessionId").asText()).isEqualTo("s1");
    assertThat(params.path("prompt").get(0).path("text").asText()).isEqualTo("Write hello.txt");
    assertThat(turns.running()).isTrue();
    usage.costReported(1.25);
    answer(
        "{\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":100,\"outputTokens\":20,"
            + "\"cachedReadTokens\":5,\"cachedWriteTokens\":1}}");

    assertThat(turn.getNow(null))
        .isEqualTo(
            new AgentOutcome(StopReason.END_TURN, new Usage(100, 20, 5, 1, Optional.of(0.25))));
    assertThat(turns.running()).isFalse();
    assertThat(usage.total()).isEqualTo(new Usage(100, 20, 5, 1, Optional.of(1.25)));
    JsonNode end = notes.of("turn_end").get(0);
    assertThat(end.path("stopReason").asText()).isEqualTo("end_turn");
    assertThat(end.path("inputTokens").asLong()).isEqualTo(100);
    assertThat(end.path("costUsd").asDouble()).isEqualTo(0.25);
  }

  @Test
  void tokensOutsideTheProtocolAreReadOnlyForAnAgentWhoseProfileReportsThemThere() {
    String geminiResult =
        "{\"stopReason\":\"end_turn\","
            + "\"_meta\":{\"quota\":{\"token_count\":{\"input_tokens\":20,\"output_tokens\":10}}}}";

    CompletableFuture<AgentOutcome> gemini =
        turns(Optional.empty(), Optional.empty(), AgentExtensions.geminiCli())
            .prompt(agent, "s1", "go");
    complete(geminiResult);
    CompletableFuture<AgentOutcome> generic = unlimited().prompt(agent, "s1", "go");
    complete(geminiResult);

    assertThat(gemini.getNow(null).usage()).isEqualTo(new Usage(20, 10, 0, 0, Optional.empty()));
    assertThat(generic.getNow(null).usage()).isEqualTo(Usage.NONE);
  }

  private void complete(String resultJson) {
    try {
      answer(resultJson);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void oneTurnAtATime() throws Exception {
    TurnController turns = unlimited();
    turns.prompt(agent, "s1", "first");

    assertThat(turns.prompt(agent, "s1", "second"))
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class)
        .withMessageContaining("agent session s1 already runs a turn; one prompt at a time");
    answer("{\"stopReason\":\"end_turn\"}");
    assertThat(turns.prompt(agent, "s1", "third")).isNotDone();
    assertThat(agent.requestMethods()).containsExactly("session/prompt", "session/prompt");
  }

  @Test
  void aTurnOverItsBudgetIsCancelledAndEndsAsCancelledWhenTheAgentStops() throws Exception {
    CompletableFuture<AgentOutcome> turn =
        withBudget(Duration.ofMinutes(10)).prompt(agent, "s1", "go");

    time.advance(Duration.ofMinutes(9));
    assertThat(agent.notifications).isEmpty();
    time.advance(Duration.ofMinutes(1));
    assertThat(agent.notificationMethods()).containsExactly("session/cancel");
    assertThat(agent.notifications.get(0).params().path("sessionId").asText()).isEqualTo("s1");
    assertThat(turns.cancelling()).isTrue();
    assertThat(notes.of("cancel").get(0).path("reason").asText())
        .isEqualTo("exceeded its turn budget of 10 min");

    answer("{\"stopReason\":\"cancelled\"}");
    time.advance(GRACE.multipliedBy(2));

    assertThat(turn.getNow(null).stopReason()).isEqualTo(StopReason.CANCELLED);
    assertThat(fatal).isEmpty();
    assertThat(turns.failure()).isEmpty();
    assertThat(notes.of("turn_end").get(0).path("cancelReason").asText())
        .isEqualTo("exceeded its turn budget of 10 min");
  }

  @Test
  void anAgentThatIgnoresTheCancelFailsTheSessionWhenTheGraceIsOver() {
    CompletableFuture<AgentOutcome> turn =
        withBudget(Duration.ofMinutes(1)).prompt(agent, "s1", "go");

    time.advance(Duration.ofMinutes(1));
    time.advance(GRACE.minusSeconds(1));
    assertThat(fatal).isEmpty();
    time.advance(Duration.ofSeconds(1));

    assertThat(fatal).hasSize(1);
    assertThat(fatal.get(0))
        .isInstanceOf(AgentTimeoutException.class)
        .hasMessage(
            "agent exceeded its turn budget of 1 min and did not stop within the 5 s grace period"
                + " after session/cancel; its process tree was killed");
    assertThat(turn).isCompletedExceptionally();
    assertThat(agent.notificationMethods()).containsExactly("session/cancel");
  }

  @Test
  void anAgentThatKeepsTalkingIsNotSilent() {
    withSilenceLimit(Duration.ofMinutes(1)).prompt(agent, "s1", "go");

    time.advance(Duration.ofSeconds(30));
    agent.lastActivity = time.instant();
    time.advance(Duration.ofSeconds(59));
    assertThat(agent.notifications).isEmpty();
    time.advance(Duration.ofSeconds(1));

    assertThat(agent.notificationMethods()).containsExactly("session/cancel");
    assertThat(notes.of("cancel").get(0).path("reason").asText())
        .isEqualTo("went silent for 1 min");
  }

  @Test
  void anAgentWaitingOnItsOwnRequestIsNotSilent() {
    withSilenceLimit(Duration.ofMinutes(1)).prompt(agent, "s1", "go");
    requestsInFlight.set(1);

    time.advance(Duration.ofMinutes(5));
    assertThat(agent.notifications).isEmpty();
    requestsInFlight.set(0);
    time.advance(Duration.ofMinutes(1));

    assertThat(agent.notificationMethods()).containsExactly("session/cancel");
  }

  @Test
  void aTurnCancelledByItsCallerOrTheSessionIsSentSessionCancelOnce() {
    TurnController turns = unlimited();
    CompletableFuture<AgentOutcome> first = turns.prompt(agent, "s1", "go");
    first.cancel(true);
    turns.cancel();
    complete("{\"stopReason\":\"cancelled\"}");
    turns.prompt(agent, "s1", "again");
    turns.cancel();

    assertThat(agent.notificationMethods()).containsExactly("session/cancel", "session/cancel");
    assertThat(notes.of("cancel"))
        .extracting(n -> n.path("reason").asText())
        .containsExactly("was cancelled by its caller", "was cancelled");
  }

  @Test
  void anErrorAnswerFailsTheTurnButNotTheSession() {
    TurnController turns = unlimited();
    CompletableFuture<AgentOutcome> turn = turns.prompt(agent, "s1", "go");
    agent
        .last("session/prompt")
        .answer()
        .completeExceptionally(new RpcException(RpcException.INTERNAL_ERROR, "boom"));

    assertThat(turn)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withMessageContaining("session/prompt refused: boom");
    assertThat(notes.of("turn_failed").get(0).path("error").asText())
        .isEqualTo("session/prompt refused: boom");
    assertThat(turns.failure()).isEmpty();
    assertThat(turns.prompt(agent, "s1", "again")).isNotDone();
  }

  @Test
  void anUnknownStopReasonIsAProtocolError() {
    CompletableFuture<AgentOutcome> turn = unlimited().prompt(agent, "s1", "go");
    complete("{\"stopReason\":\"took_a_nap\"}");

    assertThat(turn)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(AgentProtocolException.class)
        .withMessageContaining("agent ended its turn with an unknown stop reason: took_a_nap");
  }

  @Test
  void aFailedSessionEndsTheRunningTurnAfterItsOwnCleanUpAndStartsNoOther() {
    TurnController turns = unlimited();
    CompletableFuture<AgentOutcome> turn = turns.prompt(agent, "s1", "go");
    AgentException cause = new AgentException("agent broke");
    AtomicBoolean turnEndedBeforeCleanUp = new AtomicBoolean(true);

    assertThat(turns.fail(cause, () -> turnEndedBeforeCleanUp.set(turn.isDone()))).isTrue();

    assertThat(turnEndedBeforeCleanUp).isFalse();
    assertThat(turn).failsWithin(Duration.ZERO).withThrowableThat().havingCause().isSameAs(cause);
    assertThat(turns.running()).isFalse();
    assertThat(turns.failure()).containsSame(cause);
    assertThat(turns.fail(new AgentException("later"), () -> {})).isFalse();
    assertThat(turns.prompt(agent, "s1", "again"))
        .failsWithin(Duration.ZERO)
        .withThrowableThat()
        .havingCause()
        .isSameAs(cause);
    assertThat(agent.requestMethods()).containsExactly("session/prompt");
  }

  @Test
  void aClosedSessionEndsItsTurnAndStartsNoOther() {
    TurnController turns = unlimited();
    CompletableFuture<AgentOutcome> turn = turns.prompt(agent, "s1", "go");
    closed.set(true);
    AgentException closing = new AgentException("agent session s1 was closed during a turn");

    turns.close(closing);

    assertThat(turn).failsWithin(Duration.ZERO).withThrowableThat().havingCause().isSameAs(closing);
    assertThat(turns.prompt(agent, "s1", "again"))
        .failsWithin(Duration.ZERO)
        .withThrowableThat()
        .withMessageContaining("agent session s1 is closed");
  }
}
