package dev.overnight.fakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.Availability;
import dev.overnight.api.agent.AgentCrashedException;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.AgentProtocolException;
import dev.overnight.api.agent.AgentUnavailableException;
import dev.overnight.api.agent.AuthenticationRequiredException;
import dev.overnight.api.agent.PlanEntry;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.ToolCallStatus;
import dev.overnight.api.agent.ToolKind;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.agent.UsageLimitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process fake agent keeps the agent contracts before core's tests rely on it. */
class FakeAgentTest {
  private static final Instant T0 = Instant.parse("2026-11-25T01:00:00Z");
  private static final Duration SAFETY_NET = Duration.ofSeconds(30);
  private static final Usage USAGE = new Usage(1000, 250, 0, 0, Optional.of(0.01));

  private final ManualTimeSource time = new ManualTimeSource(T0);

  @TempDir Path dir;

  private FakeAgent.Builder agent() {
    return FakeAgent.builder("fake").timeSource(time);
  }

  private SessionRequest request() {
    return SessionRequest.builder(dir).build();
  }

  private static AgentOutcome outcome(CompletableFuture<AgentOutcome> turn) throws Exception {
    assertThat(turn).as("a turn that does not hang has ended when prompt returns").isDone();
    return turn.get();
  }

  private static Throwable failure(CompletableFuture<AgentOutcome> turn) {
    assertThat(turn).isCompletedExceptionally();
    try {
      turn.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aTurnWritesItsFilesPublishesItsUpdatesInOrderAndEndsWithItsUsage() throws Exception {
    Files.writeString(dir.resolve("README.md"), "hello\n");
    FakeAgent agent =
        agent()
            .session(
                FakeTurn.builder()
                    .thought("Looking around.")
                    .plan(new PlanEntry("Write notes", "high", "in_progress"))
                    .toolCall("call-1", "Write notes", ToolKind.EDIT, "docs/NOTES.md")
                    .write("docs/NOTES.md", "Notes.\n")
                    .modify("README.md", text -> text + "more\n")
                    .toolCallUpdate("call-1", ToolCallStatus.COMPLETED)
                    .usageUpdate(1200, 200_000, 0.02)
                    .message("Wrote the notes.")
                    .endTurn(USAGE))
            .build();
    FakeSession session = agent.open(request());
    Collector updates = Collector.subscribe(session);
    time.advance(Duration.ofMinutes(1));

    AgentOutcome result = outcome(session.prompt("Write notes"));

    assertThat(result).isEqualTo(new AgentOutcome(StopReason.END_TURN, USAGE));
    assertThat(Files.readString(dir.resolve("docs/NOTES.md"))).isEqualTo("Notes.\n");
    assertThat(Files.readString(dir.resolve("README.md"))).isEqualTo("hello\nmore\n");
    assertThat(updates.kinds())
        .containsExactly(
            "agent_thought_chunk",
            "plan",
            "tool_call",
            "tool_call_update",
            "usage_update",
            "agent_message_chunk");
    assertThat(session.usage()).isEqualTo(USAGE);
    assertThat(session.lastActivity()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    assertThat(session.isAlive()).isTrue();
    assertThat(updates.ended()).isFalse();

    session.close();
    assertThat(updates.completed()).as("the stream completes when the session ends").isTrue();
    assertThat(session.isAlive()).isFalse();
    assertThat(session.closedAt()).contains(T0.plus(Duration.ofMinutes(1)));
    assertThat(agent.prompts()).containsExactly("Write notes");
    assertThat(agent.requests()).extracting(SessionRequest::workingDirectory).containsExactly(dir);
  }

  @Test
  void sessionsTakeTheScriptsInOrderAndPromptsTheTurnsInOrderTheLastOfEachRepeating()
      throws Exception {
    FakeAgent agent =
        agent()
            .session(FakeTurn.crash("gone"))
            .session(FakeTurn.endTurn(), FakeTurn.builder().end(StopReason.MAX_TOKENS, Usage.NONE))
            .build();

    assertThat(failure(agent.open(request()).prompt("1")))
        .isInstanceOf(AgentCrashedException.class);
    FakeSession second = agent.open(request());
    assertThat(outcome(second.prompt("2a")).stopReason()).isEqualTo(StopReason.END_TURN);
    assertThat(outcome(second.prompt("2b")).stopReason()).isEqualTo(StopReason.MAX_TOKENS);
    assertThat(outcome(second.prompt("2c")).stopReason()).isEqualTo(StopReason.MAX_TOKENS);
    FakeSession third = agent.open(request());
    assertThat(outcome(third.prompt("3")).stopReason()).isEqualTo(StopReason.END_TURN);

    assertThat(agent.sessions())
        .extracting(FakeSession::sessionId)
        .containsExactly("fake-1", "fake-2", "fake-3");
    assertThat(second.prompts()).containsExactly("2a", "2b", "2c");
    assertThat(agent.prompts()).containsExactly("1", "2a", "2b", "2c", "3");
  }

  @Test
  void anAgentWithoutAScriptEndsEveryTurnAtOnce() throws Exception {
    FakeAgent agent = agent().build();
    assertThat(outcome(agent.open(request()).prompt("anything")))
        .isEqualTo(new AgentOutcome(StopReason.END_TURN, Usage.NONE));
  }

  @Test
  void aCrashFailsTheTurnEndsTheStreamWithTheCrashAndLeavesNoLiveAgent() {
    FakeAgent agent =
        agent().session(FakeTurn.builder().message("About to crash.").crash("exit 4")).build();
    FakeSession session = agent.open(request());
    Collector updates = Collector.subscribe(session);

    Throwable crash = failure(session.prompt("go"));

    assertThat(crash).isInstanceOf(AgentCrashedException.class).hasMessage("exit 4");
    assertThat(session.isAlive()).isFalse();
    assertThat(updates.kinds()).containsExactly("agent_message_chunk");
    assertThat(updates.error()).containsSame(crash);
    assertThat(failure(session.prompt("again"))).isInstanceOf(AgentCrashedException.class);
  }

  @Test
  void aUsageLimitSaysWhenItResets() {
    Instant reset = T0.plus(Duration.ofHours(2));
    FakeAgent agent = agent().session(FakeTurn.usageLimit("limit reached", reset)).build();

    Throwable limit = failure(agent.open(request()).prompt("go"));

    assertThat(limit).isInstanceOf(UsageLimitException.class).hasMessage("limit reached");
    assertThat(((UsageLimitException) limit).resetAt()).contains(reset);
    assertThat(
            ((UsageLimitException)
                    failure(
                        agent()
                            .session(FakeTurn.builder().usageLimit("no reset"))
                            .build()
                            .open(request())
                            .prompt("go")))
                .resetAt())
        .isEmpty();
  }

  @Test
  void anyAgentFailureCanEndATurnAndTheSessionLivesOn() throws Exception {
    FakeAgent agent =
        agent()
            .session(
                FakeTurn.builder().fail(() -> new AgentProtocolException("bad frame")),
                FakeTurn.endTurn())
            .build();
    FakeSession session = agent.open(request());

    assertThat(failure(session.prompt("1"))).isInstanceOf(AgentProtocolException.class);
    assertThat(session.isAlive()).isTrue();
    assertThat(outcome(session.prompt("2")).stopReason()).isEqualTo(StopReason.END_TURN);
  }

  @Test
  void anAgentThatNeedsALoginFailsToOpenAndTheRequestIsStillRecorded() {
    FakeAgent agent =
        agent()
            .authenticationRequired("fake needs FAKE_API_KEY")
            .session(FakeTurn.endTurn())
            .build();

    assertThatThrownBy(() -> agent.open(request()))
        .isInstanceOf(AuthenticationRequiredException.class)
        .hasMessage("fake needs FAKE_API_KEY");
    assertThat(agent.requests()).hasSize(1);
    assertThat(agent.sessions()).isEmpty();
    assertThat(agent.open(request()).sessionId()).isEqualTo("fake-2");
  }

  @Test
  void anUnavailableAgentSaysWhyAndHowToFixItAndOpensNothingUntilItIsBack() {
    FakeAgent agent =
        agent().unavailable("command not found: fake-acp", "install fake-acp").build();

    assertThat(agent.availability())
        .isEqualTo(Availability.unavailable("command not found: fake-acp", "install fake-acp"));
    assertThatThrownBy(() -> agent.open(request()))
        .isInstanceOf(AgentUnavailableException.class)
        .hasMessageContaining("command not found: fake-acp");
    assertThat(agent.sessions()).isEmpty();

    agent.setAvailability(Availability.available("fake-acp found"));
    assertThat(agent.availability().available()).isTrue();
    assertThat(agent.open(request()).isAlive()).isTrue();
  }

  @Test
  void aHangingTurnEndsAsCancelledWhenCancelled() throws Exception {
    FakeAgent agent = agent().session(FakeTurn.builder().thought("Thinking hard.").hang()).build();
    FakeSession session = agent.open(request());

    CompletableFuture<AgentOutcome> turn = session.prompt("go");
    assertThat(turn).isNotDone();
    assertThat(session.turnRunning()).isTrue();
    time.advance(Duration.ofMinutes(5));
    session.cancel();

    assertThat(outcome(turn)).isEqualTo(new AgentOutcome(StopReason.CANCELLED, Usage.NONE));
    assertThat(session.cancels()).containsExactly(T0.plus(Duration.ofMinutes(5)));
    assertThat(session.isAlive()).as("cancelling a turn keeps the session").isTrue();
    assertThat(session.closedAt()).isEmpty();
  }

  @Test
  void aTurnThatIgnoresCancelEndsOnlyWhenTheSessionIsClosed() {
    FakeAgent agent = agent().session(FakeTurn.hangIgnoringCancel()).build();
    FakeSession session = agent.open(request());
    Collector updates = Collector.subscribe(session);
    CompletableFuture<AgentOutcome> turn = session.prompt("go");

    time.advance(Duration.ofMinutes(30));
    session.cancel();
    assertThat(turn).isNotDone();
    time.advance(Duration.ofSeconds(30));
    session.close();
    session.close();

    assertThat(failure(turn))
        .isExactlyInstanceOf(AgentException.class)
        .hasMessage("fake session fake-1 was closed during a turn");
    assertThat(session.cancels()).containsExactly(T0.plus(Duration.ofMinutes(30)));
    assertThat(session.closedAt()).contains(T0.plus(Duration.ofMinutes(30).plusSeconds(30)));
    assertThat(updates.completed()).isTrue();
    assertThat(failure(session.prompt("after"))).hasMessageContaining("is closed");
  }

  @Test
  void aTestEndsAHangingTurnWhenItChoosesAndItsUsageCounts() throws Exception {
    FakeAgent agent = agent().session(FakeTurn.hang()).build();
    FakeSession session = agent.open(request());
    CompletableFuture<AgentOutcome> turn = session.prompt("go");

    assertThat(session.finishTurn(new AgentOutcome(StopReason.END_TURN, USAGE))).isTrue();

    assertThat(outcome(turn)).isEqualTo(new AgentOutcome(StopReason.END_TURN, USAGE));
    assertThat(session.usage()).isEqualTo(USAGE);
    assertThat(session.finishTurn(new AgentOutcome(StopReason.END_TURN, USAGE))).isFalse();
    CompletableFuture<AgentOutcome> second = session.prompt("again");
    assertThat(session.failTurn(new AgentCrashedException("killed"))).isTrue();
    assertThat(failure(second)).hasMessage("killed");
  }

  @Test
  void aSecondPromptWhileATurnRunsFailsAndLeavesTheTurnRunning() {
    FakeSession session = agent().session(FakeTurn.hang()).build().open(request());
    CompletableFuture<AgentOutcome> first = session.prompt("first");

    assertThat(failure(session.prompt("second"))).isInstanceOf(IllegalStateException.class);
    assertThat(first).isNotDone();
  }

  @Test
  void aStepThatLeavesTheWorkingFolderFailsTheTurnNamingTheStep() {
    FakeAgent agent =
        agent()
            .session(FakeTurn.builder().write("../outside.txt", "x").message("never").endTurn())
            .build();
    FakeSession session = agent.open(request());
    Collector updates = Collector.subscribe(session);

    assertThat(failure(session.prompt("go")))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("write ../outside.txt")
        .hasMessageContaining("outside the working folder");
    assertThat(dir.resolveSibling("outside.txt")).doesNotExist();
    assertThat(updates.kinds()).as("the steps after the failed one are skipped").isEmpty();
  }

  @Test
  void updatesBeforeTheFirstSubscriberAreKeptForItAndLaterSubscribersSeeWhatFollows()
      throws Exception {
    FakeAgent agent = agent().session(FakeTurn.builder().message("hi").endTurn()).build();
    FakeSession session = agent.open(SessionRequest.builder(dir).mode("plan").build());

    Collector first = Collector.subscribe(session);
    Collector second = Collector.subscribe(session);
    outcome(session.prompt("go"));

    assertThat(session.modes()).containsExactly("plan");
    assertThat(first.kinds()).containsExactly("current_mode_update", "agent_message_chunk");
    assertThat(second.kinds()).containsExactly("agent_message_chunk");
  }

  @Test
  void aSubscriberGetsOnlyWhatItRequestedInOrderAndABadRequestEndsItsSubscription()
      throws Exception {
    FakeAgent agent =
        agent()
            .session(FakeTurn.builder().message("1").message("2").message("3").endTurn())
            .build();
    FakeSession session = agent.open(request());
    Collector slow = Collector.subscribe(session, 0);
    Collector bad = Collector.subscribe(session, 0);

    outcome(session.prompt("go"));
    assertThat(slow.kinds()).isEmpty();
    slow.request(2);
    assertThat(slow.texts()).containsExactly("1", "2");
    slow.request(5);
    assertThat(slow.texts()).containsExactly("1", "2", "3");

    bad.request(0);
    assertThat(bad.error()).get().isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void awaitTurnsReturnsOnceTurnsRunningOnOtherThreadsHaveBeenPlayed() throws Exception {
    FakeAgent agent = agent().session(FakeTurn.builder().message("working").hang()).build();
    assertThatThrownBy(() -> agent.awaitTurns(1, Duration.ZERO))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("played 0 turn(s)");

    CompletableFuture<CompletableFuture<AgentOutcome>> prompted =
        CompletableFuture.supplyAsync(() -> agent.open(request()).prompt("from elsewhere"));

    assertThat(agent.awaitTurns(1, SAFETY_NET)).containsExactly("from elsewhere");
    assertThat(agent.sessions().get(0).turnRunning()).isTrue();
    assertThat(prompted.get(SAFETY_NET.toSeconds(), TimeUnit.SECONDS)).isNotDone();
  }

  @Test
  void itCountsTheSessionsOpenAtOnce() {
    FakeAgent agent = agent().build();
    FakeSession a = agent.open(request());
    FakeSession b = agent.open(request());
    a.close();
    FakeSession c = agent.open(request());

    assertThat(agent.openSessions()).isEqualTo(2);
    assertThat(agent.peakOpenSessions()).isEqualTo(2);
    b.close();
    c.close();
    assertThat(agent.openSessions()).isZero();
  }

  /** Collects a session's updates, requesting as the test says. */
  static final class Collector implements Flow.Subscriber<SessionUpdate> {
    private final long initialRequest;
    private final List<SessionUpdate> items = new ArrayList<>();
    private Flow.Subscription subscription;
    private boolean completed;
    private Throwable error;

    private Collector(long initialRequest) {
      this.initialRequest = initialRequest;
    }

    static Collector subscribe(FakeSession session) {
      return subscribe(session, Long.MAX_VALUE);
    }

    static Collector subscribe(FakeSession session, long initialRequest) {
      Collector c = new Collector(initialRequest);
      session.updates().subscribe(c);
      return c;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (initialRequest > 0) {
        s.request(initialRequest);
      }
    }

    @Override
    public synchronized void onNext(SessionUpdate item) {
      items.add(item);
    }

    @Override
    public synchronized void onError(Throwable throwable) {
      error = throwable;
    }

    @Override
    public synchronized void onComplete() {
      completed = true;
    }

    void request(long n) {
      Flow.Subscription s;
      synchronized (this) {
        s = subscription;
      }
      s.request(n);
    }

    synchronized List<String> kinds() {
      return items.stream().map(SessionUpdate::kind).toList();
    }

    synchronized List<String> texts() {
      return items.stream()
          .map(u -> ((SessionUpdate.AgentMessageChunk) u).content().asText())
          .toList();
    }

    synchronized boolean completed() {
      return completed;
    }

    synchronized boolean ended() {
      return completed || error != null;
    }

    synchronized Optional<Throwable> error() {
      return Optional.ofNullable(error);
    }
  }
}
