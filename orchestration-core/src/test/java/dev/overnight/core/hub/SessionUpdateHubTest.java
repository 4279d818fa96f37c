package dev.overnight.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.AgentSession;
import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.queue.TaskId;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionUpdateHubTest {
  private static final Instant T0 = Instant.parse("2026-11-25T01:00:00Z");
  private static final TaskId TASK = TaskId.of("task-1");

  private final SessionUpdateHub hub =
      SessionUpdateHub.builder(InstantSource.fixed(T0))
          .replayPerSession(3)
          .subscriberBuffer(4)
          .build();

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void publishedUpdatesAreNumberedTimestampedAndDeliveredInOrder() throws Exception {
    Collector all = new Collector();
    hub.subscribe(all);
    hub.register("s1", "claude-code", Optional.of(TASK));

    SessionEvent first = hub.publish("s1", text("a"));
    hub.publish("s1", text("b"));

    assertThat(first.sequence()).isEqualTo(1);
    assertThat(first.at()).isEqualTo(T0);
    assertThat(first.taskId()).contains(TASK);
    assertThat(all.texts(2)).containsExactly("a", "b");
  }

  @Test
  void aLateSubscriberGetsTheRecentEventsThenLiveOnesWithNothingRepeated() throws Exception {
    hub.register("s1", "codex", Optional.empty());
    for (int i = 1; i <= 5; i++) {
      hub.publish("s1", text("m" + i));
    }
    Collector late = new Collector();
    hub.subscribe("s1", late);
    hub.publish("s1", text("m6"));

    List<HubItem> items = late.take(4);
    assertThat(items).allMatch(HubItem.Event.class::isInstance);
    assertThat(items.stream().map(i -> ((HubItem.Event) i).event().sequence()))
        .containsExactly(3L, 4L, 5L, 6L);
  }

  @Test
  void aSessionSubscriberSeesOnlyItsSession() throws Exception {
    hub.register("s1", "codex", Optional.empty());
    hub.register("s2", "gemini", Optional.empty());
    Collector one = new Collector();
    hub.subscribe("s2", one);

    hub.publish("s1", text("not for you"));
    hub.publish("s2", text("for you"));
    hub.end("s2");

    List<HubItem> items = one.take(2);
    assertThat(((HubItem.Event) items.get(0)).event().sessionId()).isEqualTo("s2");
    assertThat(items.get(1)).isInstanceOf(HubItem.Ended.class);
    assertThat(one.queue).isEmpty();
  }

  @Test
  void aSubscriberOfAnUnknownSessionReceivesItOnceRegistered() throws Exception {
    Collector early = new Collector();
    hub.subscribe("later", early);
    assertThat(hub.session("later")).isEmpty();

    hub.register("later", "acp", Optional.empty());
    hub.publish("later", text("hello"));

    assertThat(early.texts(1)).containsExactly("hello");
    assertThat(hub.session("later").orElseThrow().agentId()).isEqualTo("acp");
  }

  @Test
  void aStalledSubscriberNeitherBlocksThePublisherNorTheOthersAndSeesAGap() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch stalled = new CountDownLatch(1);
    BlockingQueue<HubItem> slowItems = new LinkedBlockingQueue<>();
    hub.subscribe(
        item -> {
          stalled.countDown();
          await(release);
          slowItems.add(item);
        });
    Collector fast = new Collector();
    hub.subscribe(fast);
    hub.register("s1", "claude-code", Optional.empty());

    hub.publish("s1", text("0"));
    assertThat(stalled.await(30, TimeUnit.SECONDS)).isTrue();
    // The slow subscriber holds item 0; 20 more go by while its buffer holds 4.
    List<String> expected = new ArrayList<>(List.of("0"));
    for (int i = 1; i <= 20; i++) {
      hub.publish("s1", text(Integer.toString(i)));
      expected.add(Integer.toString(i));
      assertThat(fast.texts(1)).containsExactly(expected.get(i - 1));
    }
    assertThat(fast.texts(1)).containsExactly("20");
    assertThat(hub.droppedCount())
        .as("dropped for the slow subscriber, counted hub-wide")
        .isEqualTo(16);
    release.countDown();

    List<HubItem> got = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      got.add(slowItems.poll(30, TimeUnit.SECONDS));
    }
    assertThat(((HubItem.Event) got.get(0)).event().sequence()).isEqualTo(1);
    assertThat(got.get(1)).isEqualTo(new HubItem.Gap(16));
    assertThat(got.subList(2, 6).stream().map(i -> ((HubItem.Event) i).event().sequence()))
        .containsExactly(18L, 19L, 20L, 21L);
  }

  @Test
  void aSubscriberStuckInItsOwnCodeLosesItsWorkerNotTheOthers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch stuck = new CountDownLatch(1);
    try (SessionUpdateHub single =
        SessionUpdateHub.builder(InstantSource.fixed(T0)).deliveryThreads(1).build()) {
      single.subscribe(
          item -> {
            stuck.countDown();
            await(release);
          });
      single.register("s1", "x", Optional.empty());
      single.publish("s1", text("first"));
      assertThat(stuck.await(30, TimeUnit.SECONDS)).isTrue();
      // The only worker is now held by the stuck subscriber; a late subscriber is still served.
      Collector other = new Collector();
      single.subscribe(other);
      single.publish("s1", text("second"));
      assertThat(other.texts(2)).containsExactly("first", "second");
      release.countDown();
    }
  }

  @Test
  void theMappingAnswersWhichAgentWorkedOnWhichTask() {
    hub.register("s1", "claude-code", Optional.of(TASK));
    hub.register("s2", "codex", Optional.of(TaskId.of("other")));
    hub.register("s3", "codex", Optional.of(TASK));
    hub.end("s1");

    assertThat(hub.sessionsOf(TASK))
        .extracting(HubSession::sessionId, HubSession::agentId, HubSession::active)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("s1", "claude-code", false),
            org.assertj.core.groups.Tuple.tuple("s3", "codex", true));
    assertThat(hub.sessions()).hasSize(3);
    assertThat(hub.session("s2").orElseThrow().taskId()).contains(TaskId.of("other"));
  }

  @Test
  void endedSessionsBeyondTheRetainedNumberAreForgotten() {
    SessionUpdateHub small =
        SessionUpdateHub.builder(InstantSource.fixed(T0)).retainEndedSessions(1).build();
    try {
      small.register("a", "x", Optional.empty());
      small.register("b", "x", Optional.empty());
      small.end("a");
      small.end("b");
      assertThat(small.sessions()).extracting(HubSession::sessionId).containsExactly("b");
    } finally {
      small.close();
    }
  }

  @Test
  void publishingToAnUnknownOrEndedSessionFails() {
    assertThatThrownBy(() -> hub.publish("nope", text("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not registered");
    hub.register("s1", "x", Optional.empty());
    hub.end("s1");
    assertThatThrownBy(() -> hub.publish("s1", text("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ended");
  }

  @Test
  void readyMadeEventsRegisterTheirSession() throws Exception {
    Collector all = new Collector();
    hub.subscribe(all);
    hub.publish(new SessionEvent("s9", "gemini", Optional.of(TASK), 7, T0, text("seven")));
    assertThat(all.texts(1)).containsExactly("seven");
    assertThat(hub.session("s9").orElseThrow().lastSequence()).isEqualTo(7);
    assertThat(hub.recent("s9")).hasSize(1);
  }

  @Test
  void aConnectedAgentSessionIsForwardedAndEndedWithIt() throws Exception {
    FakeSession session = new FakeSession();
    Collector all = new Collector();
    hub.subscribe(all);
    hub.connect(session, Optional.of(TASK));

    session.publisher.submit(text("streamed"));
    assertThat(all.texts(1)).containsExactly("streamed");
    session.publisher.close();
    assertThat(all.take(1).get(0)).isInstanceOf(HubItem.Ended.class);
    assertThat(hub.session("fake-1").orElseThrow().active()).isFalse();
  }

  @Test
  void theHubCountsItsOpenSubscriptionsToAllSessionsAndToOne() {
    assertThat(hub.subscriberCount()).isZero();
    HubSubscription all = hub.subscribe(new Collector());
    HubSubscription one = hub.subscribe("s1", new Collector());
    hub.subscribe("s2", new Collector());

    assertThat(hub.subscriberCount()).isEqualTo(3);
    all.close();
    one.close();
    assertThat(hub.subscriberCount()).isEqualTo(1);
    assertThat(hub.droppedCount()).isZero();
  }

  @Test
  void aClosedSubscriptionReceivesNothingMore() throws Exception {
    Collector c = new Collector();
    HubSubscription sub = hub.subscribe(c);
    hub.register("s1", "x", Optional.empty());
    sub.close();
    sub.close(); // closing twice does nothing
    hub.publish("s1", text("after"));
    Collector witness = new Collector();
    hub.subscribe("s1", witness);
    assertThat(witness.texts(1)).containsExactly("after");
    assertThat(c.queue).isEmpty();
  }

  private static SessionUpdate text(String t) {
    return new SessionUpdate.AgentMessageChunk(new ContentBlock.Text(t));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Collector implements HubSubscriber {
    final BlockingQueue<HubItem> queue = new LinkedBlockingQueue<>();

    @Override
    public void onItem(HubItem item) {
      queue.add(item);
    }

    List<HubItem> take(int n) throws InterruptedException {
      List<HubItem> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        HubItem item = queue.poll(30, TimeUnit.SECONDS);
        assertThat(item).as("item %d of %d", i + 1, n).isNotNull();
        out.add(item);
      }
      return out;
    }

    List<String> texts(int n) throws InterruptedException {
      List<String> out = new ArrayList<>();
      for (HubItem item : take(n)) {
        SessionUpdate u = ((HubItem.Event) item).event().update();
        out.add(((SessionUpdate.AgentMessageChunk) u).content().asText());
      }
      return out;
    }
  }

  /** The smallest real AgentSession: only its update stream matters to the hub. */
  private static final class FakeSession implements AgentSession {
    final SubmissionPublisher<SessionUpdate> publisher = new SubmissionPublisher<>();

    @Override
    public String sessionId() {
      return "fake-1";
    }

    @Override
    public String agentId() {
      return "fake";
    }

    @Override
    public CompletableFuture<AgentOutcome> prompt(String text) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public Flow.Publisher<SessionUpdate> updates() {
      return publisher;
    }

    @Override
    public void setMode(String modeId) {}

    @Override
    public void cancel() {}

    @Override
    public Instant lastActivity() {
      return T0;
    }

    @Override
    public Usage usage() {
      return Usage.NONE;
    }

    @Override
    public boolean isAlive() {
      return true;
    }

    @Override
    public void close() {
      publisher.close();
    }
  }
}
