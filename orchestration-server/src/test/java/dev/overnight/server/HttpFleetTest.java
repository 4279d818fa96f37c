package dev.overnight.server;

import static dev.overnight.server.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.fleet.WorkerState;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.queue.InMemoryTaskQueue;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fleet over HTTP: the machines and the queue by label, and queueing work for one machine. */
class HttpFleetTest {
  private final InMemoryTaskQueue queue = InMemoryTaskQueue.builder(Fixtures.CLOCK).build();
  private final Map<String, WorkerInfo> recorded = new ConcurrentHashMap<>();
  private final WorkerRegistry registry =
      new WorkerRegistry() {
        @Override
        public void record(WorkerInfo worker) {
          recorded.put(worker.id(), worker);
        }

        @Override
        public List<WorkerInfo> workers() {
          return recorded.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
        }
      };
  private DashboardServer server;

  @BeforeEach
  void start() {
    InMemoryDashboardBackend backend =
        InMemoryDashboardBackend.builder(queue).clock(Fixtures.CLOCK).workers(registry).build();
    server = DashboardServer.builder(backend).clock(Fixtures.CLOCK).build().start();
    registry.record(
        new WorkerInfo(
            "mini-1a2b3c4d",
            "mac-mini",
            Set.of("os:macos", "agent:codex", "worker:mini-1a2b3c4d"),
            WorkerState.constraintsUnmet(List.of("plugged_in: on battery")),
            List.of(),
            NOW.minusSeconds(30),
            NOW.minus(Duration.ofHours(2))));
    registry.record(
        new WorkerInfo(
            "box-9f8e7d6c",
            "build-box",
            Set.of("os:linux", "worker:box-9f8e7d6c"),
            WorkerState.running(),
            List.of(TaskId.random()),
            NOW.minus(Duration.ofMinutes(20)),
            NOW.minus(Duration.ofHours(3))));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theFleetShowsEachMachineOfflineOnceSilentAndTheQueueByLabel() {
    Task running =
        queue
            .enqueue(TaskSpec.builder("linux work").requiredLabels(List.of("os:linux")).build())
            .task();
    queue.enqueue(TaskSpec.builder("anyone").build());
    queue.enqueue(TaskSpec.builder("mac work").requiredLabels(List.of("os:macos")).build());
    queue.claimNext("box-9f8e7d6c", Set.of("os:linux"), Duration.ofMinutes(5)).orElseThrow();

    JsonNode fleet = Http.getJson(server, "/api/fleet");

    JsonNode box = fleet.get("machines").get(0);
    assertThat(box.get("name").asText()).isEqualTo("build-box");
    assertThat(box.get("offline").asBoolean()).as("silent for 20 minutes").isTrue();
    assertThat(box.get("offline_since").asText())
        .isEqualTo(NOW.minus(Duration.ofMinutes(20)).toString());
    JsonNode mini = fleet.get("machines").get(1);
    assertThat(mini.get("offline").asBoolean()).isFalse();
    assertThat(mini.get("state").asText()).isEqualTo("constraints_unmet");
    assertThat(mini.get("unmet_constraints").get(0).asText()).isEqualTo("plugged_in: on battery");
    assertThat(fleet.at("/queue/by_status/pending").asLong()).isEqualTo(2);
    assertThat(fleet.at("/queue/by_status/in_progress").asLong()).isEqualTo(1);
    assertThat(fleet.at("/queue/live_by_label").toString())
        .contains("{\"label\":null,\"pending\":1,\"in_progress\":0}")
        .contains("{\"label\":\"os:linux\",\"pending\":0,\"in_progress\":1}")
        .contains("{\"label\":\"os:macos\",\"pending\":1,\"in_progress\":0}");
    assertThat(queue.get(running.id()).orElseThrow().workerId()).contains("box-9f8e7d6c");
  }

  @Test
  void aTaskQueuedForOneMachineByNameRequiresThatWorkersLabel() {
    HttpResponse<String> response =
        Http.post(
            server,
            "/api/tasks",
            "{\"prompt\": \"Upgrade Xcode project settings\", \"agent\": \"codex\","
                + " \"priority\": \"high\", \"on\": \"mac-mini\", \"require\": [\"agent:codex\"]}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = Http.json(response);
    assertThat(body.get("created").asBoolean()).isTrue();
    Task task = queue.get(TaskId.of(body.at("/task/id").asText())).orElseThrow();
    assertThat(TaskFacts.REQUIRED_LABELS.from(task))
        .contains(Set.of("agent:codex", "worker:mini-1a2b3c4d"));
    assertThat(body.at("/task/facts/required_labels").toString())
        .isEqualTo("[\"agent:codex\",\"worker:mini-1a2b3c4d\"]");
    assertThat(
            queue.claimNext(
                "box-9f8e7d6c", Set.of("os:linux", "agent:codex"), Duration.ofMinutes(5)))
        .isEmpty();
  }

  @Test
  void aNameAnEarlierIdLeftBehindMeansTheMachineLiveUnderItToday() {
    registry.record(
        new WorkerInfo(
            "mini-00000000",
            "mac-mini",
            Set.of("os:macos", "worker:mini-00000000"),
            WorkerState.stopping(),
            List.of(),
            NOW.minus(Duration.ofDays(3)),
            NOW.minus(Duration.ofDays(30))));
    JsonNode body =
        Http.json(Http.post(server, "/api/tasks", "{\"prompt\": \"x\", \"on\": \"mac-mini\"}"));
    Task task = queue.get(TaskId.of(body.at("/task/id").asText())).orElseThrow();
    assertThat(TaskFacts.REQUIRED_LABELS.from(task)).contains(Set.of("worker:mini-1a2b3c4d"));
  }

  @Test
  void aTaskForTheFleetRequiresNothing() {
    JsonNode body = Http.json(Http.post(server, "/api/tasks", "{\"prompt\": \"Tidy the build\"}"));
    Task task = queue.get(TaskId.of(body.at("/task/id").asText())).orElseThrow();
    assertThat(TaskFacts.REQUIRED_LABELS.from(task)).isEmpty();
    assertThat(task.metadata()).containsEntry("source", "dashboard");
  }

  @Test
  void aBadRequestSaysWhatIsWrongAndQueuesNothing() {
    assertThat(error(Http.post(server, "/api/tasks", "{\"prompt\": \"x\", \"on\": \"laptop\"}")))
        .contains("no machine is named laptop", "mac-mini (mini-1a2b3c4d)");
    assertThat(error(Http.post(server, "/api/tasks", "{\"title\": \"no prompt\"}")))
        .contains("prompt is required");
    assertThat(
            error(Http.post(server, "/api/tasks", "{\"prompt\": \"x\", \"priority\": \"asap\"}")))
        .contains("priority must be high, medium or low");
    assertThat(
            error(Http.post(server, "/api/tasks", "{\"prompt\": \"x\", \"require\": [\"a b\"]}")))
        .contains("a b");
    assertThat(queue.list(TaskFilter.all()).total()).isZero();
  }

  @Test
  void queueingRequiresTheToken() {
    HttpResponse<String> none =
        Http.send(
            Http.request(server, "/api/tasks")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"x\"}")));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(queue.list(TaskFilter.all()).total()).isZero();
  }

  private static String error(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    return Http.json(response).get("message").asText();
  }
}
