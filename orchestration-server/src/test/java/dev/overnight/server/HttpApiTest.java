package dev.overnight.server;

import static dev.overnight.server.Fixtures.NOW;
import static dev.overnight.server.Fixtures.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.Availability;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.CoordinatorMetrics;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpApiTest {
  private static final List<String> READS =
      List.of(
          "/api",
          "/api/status",
          "/api/tasks",
          "/api/tasks/some-id",
          "/api/sessions",
          "/api/sessions/s1",
          "/api/decisions",
          "/api/reports",
          "/api/reports/latest.md");
  private static final List<String> CONTROLS =
      List.of(
          "/api/run-now",
          "/api/pause",
          "/api/resume",
          "/api/tasks/some-id/cancel",
          "/api/tasks/some-id/retry");

  @TempDir Path reports;
  private final InMemoryTaskQueue queue = InMemoryTaskQueue.builder(Fixtures.CLOCK).build();
  private InMemoryDashboardBackend backend;
  private DashboardServer server;

  @BeforeEach
  void start() {
    backend =
        InMemoryDashboardBackend.builder(queue)
            .clock(Fixtures.CLOCK)
            .reportsDirectory(reports)
            .build();
    server = DashboardServer.builder(backend).clock(Fixtures.CLOCK).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyEndpointRequiresTheToken() {
    for (String path : READS) {
      HttpResponse<String> none = Http.send(Http.request(server, path).GET());
      assertThat(none.statusCode()).as("GET %s without a token", path).isEqualTo(401);
      assertThat(Http.json(none).get("error").asText()).isEqualTo("unauthorized");
      assertThat(none.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"overnight\"");
      HttpResponse<String> wrong =
          Http.send(
              Http.request(server, path).header("Authorization", "Bearer not-the-token-at-all"));
      assertThat(wrong.statusCode()).as("GET %s with a wrong token", path).isEqualTo(401);
    }
    for (String path : CONTROLS) {
      HttpResponse<String> none =
          Http.send(
              Http.request(server, path)
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
      assertThat(none.statusCode()).as("POST %s without a token", path).isEqualTo(401);
    }
    assertThat(backend.controlLog()).isEmpty();
  }

  @Test
  void theIndexListsTheEndpoints() {
    JsonNode index = Http.getJson(server, "/api");
    assertThat(index.get("endpoints").toString()).contains("GET /api/status", "POST /api/run-now");
  }

  @Test
  void theStatusShowsStateNextWakeMetricsConstraintsAndCoordinator() {
    backend.onSchedulerEvent(
        new SchedulerEvent.StateChanged(
            NOW, new SchedulerState.Idle(), new SchedulerState.Running(NOW.plusSeconds(3600))));
    backend.onSchedulerEvent(
        new SchedulerEvent.ConstraintsChecked(
            NOW,
            Map.of(
                "plugged_in", ConstraintResult.satisfied("on AC power"),
                "wifi_only", ConstraintResult.unknown("no network information")),
            false));
    backend.onSchedulerEvent(
        new SchedulerEvent.CycleStarted(NOW.minusSeconds(600), "c1", NOW.minusSeconds(600), false));
    backend.onSchedulerEvent(
        new SchedulerEvent.CycleFinished(NOW, "c1", Duration.ofSeconds(600), Optional.empty()));
    backend.onSchedulerEvent(
        new SchedulerEvent.CycleSkipped(
            NOW, NOW.minusSeconds(86400), SkipReason.MACHINE_ASLEEP, "lid closed"));
    backend.setCoordinatorMetrics(
        new CoordinatorMetrics(1, 2, 1, 0, 1, 0, 0, 1, 540, 12000, Optional.of(0.35)));
    backend.setAgentAvailability(
        Map.of(
            "codex",
            Availability.unavailable("command not found: codex-acp", "npm i -g codex-acp")));

    JsonNode status = Http.getJson(server, "/api/status");
    assertThat(status.get("scheduler").get("name").asText()).isEqualTo("running");
    assertThat(status.get("next_wake").asText()).isEqualTo(NOW.plusSeconds(3600).toString());
    JsonNode metrics = status.get("metrics");
    assertThat(metrics.get("cycle_count").asLong()).isEqualTo(1);
    assertThat(metrics.get("state").asText()).isEqualTo("running");
    assertThat(metrics.get("last_run_time").asText()).isEqualTo(NOW.minusSeconds(600).toString());
    assertThat(metrics.get("seconds_since_last_run").asLong()).isEqualTo(600);
    assertThat(metrics.get("skipped_by_reason").get("machine_asleep").asLong()).isEqualTo(1);
    assertThat(metrics.get("total_cycle_time_ms").asLong()).isEqualTo(600_000);
    assertThat(status.get("constraints").get("plugged_in").get("status").asText())
        .isEqualTo("satisfied");
    assertThat(status.get("constraints").get("wifi_only").get("reason").asText())
        .isEqualTo("no network information");
    assertThat(status.get("constraints_checked_at").asText()).isEqualTo(NOW.toString());
    assertThat(status.get("coordinator").get("tasks_completed").asLong()).isEqualTo(1);
    assertThat(status.get("coordinator").get("cost_usd").asDouble()).isEqualTo(0.35);
    assertThat(status.get("agents").get("codex").get("available").asBoolean()).isFalse();
    assertThat(status.get("agents").get("codex").get("remedy").asText())
        .isEqualTo("npm i -g codex-acp");
    assertThat(status.get("server").get("clients").asInt()).isZero();
  }

  @Test
  void theApiSchemaCatchesARenamedField() {
    backend.setCoordinatorMetrics(
        new CoordinatorMetrics(1, 2, 1, 0, 1, 0, 0, 1, 540, 12000, Optional.of(0.35)));
    backend.onSessionEvent(message("s1", 1, "Reading the parser"));
    queue.enqueue(TaskSpec.builder("Tidy the build").build());
    for (String path : List.of("/api/status", "/api/sessions", "/api/tasks")) {
      HttpResponse<String> response = Http.get(server, path);
      ObjectNode body = (ObjectNode) Http.json(response);
      List<String> fields = new ArrayList<>();
      body.fieldNames().forEachRemaining(fields::add);
      for (String field : fields) {
        ObjectNode renamed = body.deepCopy();
        renamed.set(field.replace("_", "") + "Renamed", renamed.remove(field));
        assertThat(
                ShapeSchemas.errors(
                    "http-api.schema.json#/$defs/" + Http.definition(response), renamed))
            .as("%s with %s renamed", path, field)
            .isNotEmpty();
      }
    }
  }

  @Test
  void tasksArePagedFilteredAndShownWithTheirEvents() {
    for (int i = 1; i <= 5; i++) {
      queue.enqueue(
          TaskSpec.builder("Task number " + i)
              .agentId(i % 2 == 0 ? "codex" : "claude-code")
              .build());
    }
    Task failed = queue.claimNext("w1", Duration.ofMinutes(5)).orElseThrow();
    queue.fail(failed.id(), "w1", "agent crashed", Retry.NEVER);

    JsonNode page = Http.getJson(server, "/api/tasks?limit=2");
    assertThat(page.get("total").asLong()).isEqualTo(5);
    assertThat(page.get("items")).hasSize(2);
    assertThat(page.get("has_more").asBoolean()).isTrue();
    JsonNode second = Http.getJson(server, "/api/tasks?limit=2&offset=4");
    assertThat(second.get("items")).hasSize(1);
    assertThat(second.get("has_more").asBoolean()).isFalse();

    JsonNode failedOnly = Http.getJson(server, "/api/tasks?status=failed");
    assertThat(failedOnly.get("items")).hasSize(1);
    JsonNode f = failedOnly.get("items").get(0);
    assertThat(f.get("id").asText()).isEqualTo(failed.id().value());
    assertThat(f.get("status").asText()).isEqualTo("failed");
    assertThat(f.get("last_error").asText()).isEqualTo("agent crashed");
    assertThat(f.get("attempts").asInt()).isEqualTo(1);

    JsonNode codex = Http.getJson(server, "/api/tasks?agent=codex&status=pending,in_progress");
    assertThat(codex.get("items"))
        .hasSize(2)
        .allMatch(t -> t.get("agent_id").asText().equals("codex"));

    JsonNode detail = Http.getJson(server, "/api/tasks/" + failed.id());
    assertThat(detail.get("task").get("title").asText()).isEqualTo(failed.title());
    assertThat(detail.get("events"))
        .extracting(e -> e.get("kind").asText())
        .containsExactly("enqueued", "claimed", "failed");
    assertThat(detail.get("events").get(2).get("reason").asText()).startsWith("agent crashed");

    assertThat(Http.get(server, "/api/tasks?status=sleeping").statusCode()).isEqualTo(400);
    assertThat(Http.get(server, "/api/tasks?limit=lots").statusCode()).isEqualTo(400);
    assertThat(Http.get(server, "/api/tasks?limit=0").statusCode()).isEqualTo(400);
    assertThat(Http.get(server, "/api/tasks/no-such-task").statusCode()).isEqualTo(404);
  }

  @Test
  void cancelAndRetryReachTheBackend() {
    Task task = queue.enqueue(TaskSpec.builder("Refactor the parser").build()).task();

    HttpResponse<String> cancelled =
        Http.post(server, "/api/tasks/" + task.id() + "/cancel", "{\"reason\":\"not tonight\"}");
    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(Http.json(cancelled).get("status").asText()).isEqualTo("cancelled");
    assertThat(queue.get(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(queue.events(task.id()).get(1).reason()).isEqualTo("not tonight");
    assertThat(queue.events(task.id()).get(1).actor()).isEqualTo("dashboard");

    HttpResponse<String> again = Http.post(server, "/api/tasks/" + task.id() + "/cancel", "");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(Http.json(again).get("error").asText()).isEqualTo("conflict");

    HttpResponse<String> retried = Http.post(server, "/api/tasks/" + task.id() + "/retry", "");
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(Http.json(retried).get("status").asText()).isEqualTo("pending");
    assertThat(queue.get(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);

    assertThat(Http.post(server, "/api/tasks/nope/cancel", "").statusCode()).isEqualTo(404);
    assertThat(Http.post(server, "/api/tasks/" + task.id() + "/cancel", "{not json").statusCode())
        .isEqualTo(400);
    assertThat(backend.controlLog())
        .containsExactly(
            "cancel " + task.id(), "cancel " + task.id(), "retry " + task.id(), "cancel nope");
  }

  @Test
  void runNowPauseAndResumeReachTheBackend() {
    JsonNode started = Http.json(Http.post(server, "/api/run-now", ""));
    assertThat(started.get("started").asBoolean()).isTrue();

    JsonNode paused =
        Http.json(Http.post(server, "/api/pause", "{\"reason\":\"demo in progress\"}"));
    assertThat(paused.get("scheduler").get("name").asText()).isEqualTo("paused");
    assertThat(paused.get("scheduler").get("reason").asText()).isEqualTo("demo in progress");

    JsonNode resumed = Http.json(Http.post(server, "/api/resume", ""));
    assertThat(resumed.get("scheduler").get("name").asText()).isEqualTo("idle");
    assertThat(backend.controlLog()).containsExactly("run_now", "pause demo in progress", "resume");
  }

  @Test
  void theStatusSaysTheDaemonTakesTheControlsAndGivesTheServersTime() {
    JsonNode status = Http.getJson(server, "/api/status");

    assertThat(status.get("daemon").get("running").asBoolean()).isTrue();
    assertThat(status.get("daemon").get("controls").asBoolean()).isTrue();
    assertThat(status.get("daemon").has("note")).isFalse();
    assertThat(status.get("server").get("time").asText()).isEqualTo(NOW.toString());
  }

  @Test
  void cyclesComeFromTheScheduleHistoryNewestFirst() {
    TransientSchedulerStateStore history = new TransientSchedulerStateStore();
    history.record(ran("cycle-1", "nightly", NOW.minusSeconds(3600)));
    history.record(ran("cycle-2", "nightly", NOW.minusSeconds(1800)));
    history.record(ran("elsewhere", "weekend", NOW.minusSeconds(600)));
    try (DashboardServer withHistory =
        DashboardServer.builder(
                InMemoryDashboardBackend.builder(queue).history(history, "nightly").build())
            .build()
            .start()) {
      JsonNode all = Http.getJson(withHistory, "/api/cycles");
      assertThat(all.get("cycles"))
          .extracting(c -> c.get("cycle_id").asText())
          .containsExactly("cycle-2", "cycle-1");
      assertThat(Http.getJson(withHistory, "/api/cycles?limit=1").get("cycles")).hasSize(1);
      assertThat(Http.get(withHistory, "/api/cycles?limit=0").statusCode()).isEqualTo(400);
    }
    assertThat(Http.getJson(server, "/api/cycles").get("cycles")).isEmpty();
  }

  /** A cycle that ran for ten minutes. */
  private static CycleRecord ran(String id, String scheduler, java.time.Instant at) {
    return new CycleRecord(
        id,
        scheduler,
        at,
        Optional.of(at),
        Optional.of(at.plusSeconds(600)),
        CycleOutcome.COMPLETED,
        Optional.empty(),
        List.of("1 task completed"),
        false);
  }

  @Test
  void sessionsAreListedAndReadBack() {
    backend.onSessionEvent(message("s1", 1, "Reading the parser"));
    backend.onSessionEvent(
        Fixtures.event("s1", 2, new SessionUpdate.SessionInfo(Optional.of("Parser tests"))));
    backend.onSessionEvent(message("s2", 1, "Another session"));

    JsonNode sessions = Http.getJson(server, "/api/sessions").get("sessions");
    assertThat(sessions).extracting(s -> s.get("session_id").asText()).containsExactly("s1", "s2");
    assertThat(sessions.get(0).get("title").asText()).isEqualTo("Parser tests");
    assertThat(sessions.get(0).get("updates").asLong()).isEqualTo(2);

    JsonNode one = Http.getJson(server, "/api/sessions/s1");
    assertThat(one.get("session").get("agent_id").asText()).isEqualTo("claude-code");
    assertThat(one.get("events"))
        .extracting(e -> e.get("kind").asText())
        .containsExactly("agent_message_chunk", "session_info_update");
    assertThat(Http.get(server, "/api/sessions/unknown").statusCode()).isEqualTo(404);
  }

  @Test
  void decisionsCarryTheirRationale() {
    backend.onCoordinatorEvent(
        new CoordinatorEvent.Decided(
            NOW,
            Fixtures.decision("Add tests for Parser", "Parser.java was touched 27 times"),
            true));
    JsonNode decisions = Http.getJson(server, "/api/decisions").get("decisions");
    assertThat(decisions).hasSize(1);
    JsonNode d = decisions.get(0);
    assertThat(d.get("enqueued").asBoolean()).isTrue();
    assertThat(d.get("decision").get("rationale").asText())
        .isEqualTo("Parser.java was touched 27 times");
    assertThat(d.get("decision").get("path").asText()).isEqualTo("tests");
    assertThat(d.get("decision").get("signals").get(0).get("name").asText())
        .isEqualTo("file_touches");
  }

  @Test
  void reportsAreListedReadAndServedInASandbox() throws IOException {
    Files.writeString(reports.resolve("latest.md"), "# Night of 25 November\n- 2 tasks done\n");
    Files.writeString(
        reports.resolve("latest.html"), "<html><body><h1>Night of 25 November</h1></body></html>");
    Files.writeString(reports.resolve("notes.txt"), "not a report");
    Files.writeString(reports.getParent().resolve("secret.md"), "outside the folder");

    JsonNode list = Http.getJson(server, "/api/reports").get("reports");
    assertThat(StreamSupport.stream(list.spliterator(), false).map(r -> r.get("name").asText()))
        .containsExactlyInAnyOrder("latest.md", "latest.html");
    JsonNode md = Http.getJson(server, "/api/reports/latest.md");
    assertThat(md.get("format").asText()).isEqualTo("markdown");
    assertThat(md.get("content").asText()).startsWith("# Night of 25 November");

    HttpResponse<String> html = Http.get(server, "/reports/latest.html");
    assertThat(html.statusCode()).isEqualTo(200);
    assertThat(html.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(html.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("sandbox", "default-src 'none'");
    assertThat(html.body()).contains("Night of 25 November");

    assertThat(Http.get(server, "/api/reports/notes.txt").statusCode()).isEqualTo(404);
    assertThat(Http.get(server, "/api/reports/..%2Fsecret.md").statusCode()).isIn(400, 404);
    assertThat(Http.get(server, "/api/reports/..%2Fsecret.md").body())
        .doesNotContain("outside the folder");
    assertThat(Http.get(server, "/reports/..%2Fsecret.md").statusCode()).isIn(400, 404);
    assertThat(Http.get(server, "/api/reports/missing.md").statusCode()).isEqualTo(404);
  }

  @Test
  void wrongMethodsAndUnknownPathsAreRefused() {
    HttpResponse<String> wrong = Http.post(server, "/api/status", "");
    assertThat(wrong.statusCode()).isEqualTo(405);
    assertThat(wrong.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(Http.get(server, "/api/run-now").statusCode()).isEqualTo(405);
    assertThat(Http.get(server, "/api/nothing-here").statusCode()).isEqualTo(404);
    assertThat(Http.get(server, "/nothing-here").statusCode()).isEqualTo(404);
    assertThat(Http.get(server, "/ws").statusCode()).isEqualTo(400);
    assertThat(backend.controlLog()).isEmpty();
  }
}
