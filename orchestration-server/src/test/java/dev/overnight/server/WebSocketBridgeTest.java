package dev.overnight.server;

import static dev.overnight.server.Fixtures.NOW;
import static dev.overnight.server.Fixtures.event;
import static dev.overnight.server.Fixtures.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.queue.InMemoryTaskQueue;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebSocketBridgeTest {
  private final InMemoryTaskQueue queue = InMemoryTaskQueue.builder(Fixtures.CLOCK).build();
  private final InMemoryDashboardBackend backend =
      InMemoryDashboardBackend.builder(queue).clock(Fixtures.CLOCK).build();
  private DashboardServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private DashboardServer start(DashboardServer.Builder builder) {
    server = builder.clock(Fixtures.CLOCK).build().start();
    return server;
  }

  @Test
  void aLateJoinerGetsTheLastMessagesThenLiveOnes() {
    start(DashboardServer.builder(backend).replaySize(5));
    for (int i = 1; i <= 8; i++) {
      backend.onSessionEvent(message("s1", i, "chunk " + i));
    }
    try (StreamClient late = StreamClient.connect(server)) {
      JsonNode hello = late.next();
      assertThat(hello.get("type").asText()).isEqualTo("hello");
      assertThat(hello.get("data").get("replay").asInt()).isEqualTo(5);
      assertThat(hello.get("data").get("last_id").asLong()).isEqualTo(8);
      List<JsonNode> replay =
          List.of(late.next(), late.next(), late.next(), late.next(), late.next());
      assertThat(replay).extracting(m -> m.get("id").asLong()).containsExactly(4L, 5L, 6L, 7L, 8L);
      assertThat(replay)
          .extracting(m -> m.get("data").get("content").get("text").asText())
          .containsExactly("chunk 4", "chunk 5", "chunk 6", "chunk 7", "chunk 8");

      backend.onSessionEvent(message("s1", 9, "live"));
      JsonNode live = late.next();
      assertThat(live.get("id").asLong()).isEqualTo(9);
      assertThat(live.get("data").get("content").get("text").asText()).isEqualTo("live");
    }
  }

  @Test
  void historyFromBeforeTheServerStartedIsReplayedOnce() {
    backend.onSessionEvent(message("early", 1, "before the server"));
    backend.onSessionEvent(message("early", 2, "also before"));
    start(DashboardServer.builder(backend));
    try (StreamClient client = StreamClient.connect(server)) {
      assertThat(client.next().get("data").get("replay").asInt()).isEqualTo(2);
      assertThat(client.next().at("/data/content/text").asText()).isEqualTo("before the server");
      assertThat(client.next().at("/data/content/text").asText()).isEqualTo("also before");
    }
  }

  @Test
  void aSessionUpdateCarriesItsEnvelopeAndItsFields() {
    start(DashboardServer.builder(backend));
    try (StreamClient client = StreamClient.connect(server)) {
      client.next();
      TaskId task = TaskId.of("7f3c2a10-0000-4000-8000-000000000001");
      backend.onSessionEvent(
          event(
              "s1",
              Optional.of(task),
              3,
              Fixtures.editWithDiff("t1", "src/A.java", "class A {}", "class A { int x; }")));
      JsonNode message = client.next();
      assertThat(message.get("type").asText()).isEqualTo("session");
      JsonNode m = message.get("data");
      assertThat(m.get("session_id").asText()).isEqualTo("s1");
      assertThat(m.get("agent_id").asText()).isEqualTo("claude-code");
      assertThat(m.get("task_id").asText()).isEqualTo(task.value());
      assertThat(m.get("sequence").asLong()).isEqualTo(3);
      assertThat(m.get("at").asText()).isEqualTo(NOW.plusSeconds(3).toString());
      assertThat(m.get("kind").asText()).isEqualTo("tool_call");
      assertThat(m.get("tool_kind").asText()).isEqualTo("edit");
      assertThat(m.get("status").asText()).isEqualTo("in_progress");
      JsonNode diff = m.get("content").get(0);
      assertThat(diff.get("type").asText()).isEqualTo("diff");
      assertThat(diff.get("old_text").asText()).isEqualTo("class A {}");
      assertThat(diff.get("new_text").asText()).isEqualTo("class A { int x; }");

      backend.onSessionEvent(event("s1", 4, new SessionUpdate.Unknown("future_kind", "{\"x\":1}")));
      JsonNode unknown = client.next().get("data");
      assertThat(unknown.get("kind").asText()).isEqualTo("future_kind");
      assertThat(unknown.get("json").asText()).isEqualTo("{\"x\":1}");

      backend.onSessionEvent(
          event(
              "s1",
              5,
              new SessionUpdate.UsageUpdate(1200, 200000, Optional.of(0.42), Optional.of("USD"))));
      JsonNode usage = client.next().get("data");
      assertThat(usage.get("used").asLong()).isEqualTo(1200);
      assertThat(usage.get("cost_amount").asDouble()).isEqualTo(0.42);

      backend.onSessionEvent(
          event(
              "s1",
              6,
              new SessionUpdate.UserMessageChunk(
                  new ContentBlock.ResourceLink("file:///src/A.java", "A.java"))));
      assertThat(client.next().at("/data/content/type").asText()).isEqualTo("resource_link");
    }
  }

  @Test
  void schedulerCoordinatorAndQueueEventsAreStreamed() {
    start(DashboardServer.builder(backend));
    try (StreamClient client = StreamClient.connect(server)) {
      client.next();
      backend.onSchedulerEvent(
          new SchedulerEvent.StateChanged(
              NOW, new SchedulerState.Idle(), new SchedulerState.Running(NOW.plusSeconds(600))));
      JsonNode stateMessage = client.next();
      assertThat(stateMessage.get("type").asText()).isEqualTo("scheduler");
      JsonNode state = stateMessage.get("data");
      assertThat(state.get("kind").asText()).isEqualTo("state_changed");
      assertThat(state.get("to").get("name").asText()).isEqualTo("running");
      assertThat(state.get("to").get("next_wake").asText())
          .isEqualTo(NOW.plusSeconds(600).toString());

      backend.onSchedulerEvent(
          new SchedulerEvent.ConstraintsChecked(
              NOW, Map.of("plugged_in", ConstraintResult.unsatisfied("on battery (58%)")), false));
      JsonNode checked = client.next().get("data");
      assertThat(checked.get("results").get("plugged_in").get("status").asText())
          .isEqualTo("unsatisfied");
      assertThat(checked.get("results").get("plugged_in").get("reason").asText())
          .isEqualTo("on battery (58%)");

      backend.onCoordinatorEvent(
          new CoordinatorEvent.Decided(
              NOW,
              Fixtures.decision("Add tests for Parser", "Parser.java changed 27 times"),
              true));
      JsonNode decided = client.next();
      assertThat(decided.get("type").asText()).isEqualTo("coordinator");
      assertThat(decided.at("/data/kind").asText()).isEqualTo("decided");
      assertThat(decided.at("/data/decision").get("rationale").asText())
          .isEqualTo("Parser.java changed 27 times");

      Task task = queue.enqueue(TaskSpec.builder("Write the changelog").build()).task();
      JsonNode enqueued = client.next();
      assertThat(enqueued.get("type").asText()).isEqualTo("queue");
      assertThat(enqueued.at("/data/kind").asText()).isEqualTo("enqueued");
      assertThat(enqueued.at("/data/task_id").asText()).isEqualTo(task.id().value());
      assertThat(enqueued.at("/data/to").asText()).isEqualTo("pending");
    }
  }

  @Test
  void aStalledClientDoesNotSlowTheOthersAndLearnsWhatItMissed() {
    // Small queues and big messages: the stalled client's socket buffers fill after a few
    // megabytes, then its queue overflows.
    start(DashboardServer.builder(backend).replaySize(0).clientQueueSize(32));
    int count = 600;
    try (StreamClient stalled = StreamClient.connectStalled(server);
        StreamClient fast = StreamClient.connect(server)) {
      assertThat(fast.next().get("type").asText()).isEqualTo("hello");
      waitForClients(2);

      // Every message reaches the reading client at once, in order and without a gap, while the
      // other client reads nothing: its stall costs the publisher and the reader nothing.
      publishInStep(fast, 1, count);
      assertThat(server.droppedMessages())
          .as("messages dropped for the stalled client meanwhile")
          .isPositive();

      stalled.resume();
      List<JsonNode> late = stalled.until(m -> m.at("/data/sequence").asLong() == count);
      assertThat(late.get(0).get("type").asText()).isEqualTo("hello");
      List<String> types = late.stream().map(m -> m.get("type").asText()).toList();
      assertThat(types).contains("gap");
      long delivered = types.stream().filter("session"::equals).count();
      long dropped =
          late.stream()
              .filter(m -> m.get("type").asText().equals("gap"))
              .mapToLong(g -> g.at("/data/dropped").asLong())
              .sum();
      assertThat(delivered + dropped).isEqualTo(count);
      assertThat(
              late.stream()
                  .filter(m -> m.get("type").asText().equals("session"))
                  .map(m -> m.at("/data/sequence").asLong())
                  .toList())
          .isSorted();
    }
  }

  @Test
  void aClientThatStopsReadingIsDisconnectedWhileAnIdleOneStays() {
    start(
        DashboardServer.builder(backend)
            .replaySize(0)
            .clientQueueSize(32)
            .idleTimeout(Duration.ofSeconds(1)));
    try (StreamClient stalled = StreamClient.connectStalled(server);
        StreamClient fast = StreamClient.connect(server)) {
      fast.next();
      waitForClients(2);
      publishInStep(fast, 1, 600);
      // The stalled connection makes no progress and times out; the reading one, idle from now
      // on, answers the server's pings and stays.
      waitForClients(1);
      backend.onSessionEvent(message("s1", 601, "still here"));
      assertThat(fast.next().at("/data/content/text").asText()).isEqualTo("still here");
      assertThat(fast.closed()).isNotDone();
    }
  }

  /** Publishes big messages one after the other, each as soon as the reader got the previous. */
  private void publishInStep(StreamClient reader, int from, int to) {
    String chunk = "x".repeat(64 * 1024);
    for (int i = from; i <= to; i++) {
      backend.onSessionEvent(message("s1", i, chunk));
      JsonNode m = reader.next();
      assertThat(m.path("type").asText()).as("message %d", i).isEqualTo("session");
      assertThat(m.at("/data/sequence").asLong()).isEqualTo(i);
    }
  }

  @Test
  void theStreamRequiresTheTokenAndTheDashboardsOrigin() {
    start(DashboardServer.builder(backend));
    assertThat(
            handshakeStatus(() -> StreamClient.connect(server.webSocketUri(), null, null, false)))
        .isEqualTo(401);
    assertThat(
            handshakeStatus(
                () ->
                    StreamClient.connect(
                        server.webSocketUri(), "wrong-token-0123456789", null, false)))
        .isEqualTo(401);
    assertThat(
            handshakeStatus(
                () ->
                    StreamClient.connect(
                        server.webSocketUri(), server.token(), "http://evil.example", false)))
        .isEqualTo(403);
    String own = "http://127.0.0.1:" + server.port();
    try (StreamClient ok =
        StreamClient.connect(server.webSocketUri(), server.token(), own, false)) {
      assertThat(ok.next().get("type").asText()).isEqualTo("hello");
    }
    try (StreamClient byQuery =
        StreamClient.connect(
            java.net.URI.create(server.webSocketUri() + "?token=" + server.token()),
            null,
            null,
            false)) {
      assertThat(byQuery.next().get("type").asText()).isEqualTo("hello");
    }
  }

  private static int handshakeStatus(Runnable connect) {
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(connect::run);
    assertThat(failure).isInstanceOf(CompletionException.class);
    assertThat(failure.getCause()).isInstanceOf(WebSocketHandshakeException.class);
    return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
  }

  private void waitForClients(int n) {
    org.awaitility.Awaitility.await()
        .atMost(StreamClient.PATIENCE)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> server.connectedClients() == n);
  }
}
