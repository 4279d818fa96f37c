package dev.overnight.server;

import static dev.overnight.server.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.api.store.Store;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.runtime.StateLock;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard over a state folder with no daemon behind it: what the nights left, honestly. */
class StateFolderBackendTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path folder;
  private StatePaths paths;
  private final TaskQueue queue = InMemoryTaskQueue.create(Fixtures.CLOCK);
  private final SchedulerStateStore schedules = new TransientSchedulerStateStore();
  private final Store store =
      new Store() {
        @Override
        public TaskQueue taskQueue() {
          return queue;
        }

        @Override
        public SchedulerStateStore schedulerStateStore() {
          return schedules;
        }

        @Override
        public void close() {}
      };
  private StateFolderBackend backend;
  private DashboardServer server;

  @BeforeEach
  void start() throws IOException {
    paths = new StatePaths(folder.resolve("app"));
    Files.createDirectories(paths.transcripts());
    backend =
        StateFolderBackend.builder(store, paths)
            .clock(Fixtures.CLOCK)
            .transcriptReader(StateFolderBackendTest::readLines)
            .daemonDashboard(() -> Optional.of("http://127.0.0.1:4711/"))
            .build();
    server = DashboardServer.builder(backend).clock(Fixtures.CLOCK).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void withoutADaemonTheStatusSaysSoAndShowsTheStoredSchedule() {
    schedules.save(
        new SchedulerSnapshot(
            "app",
            Optional.of(NOW.minusSeconds(3600)),
            Optional.of(NOW.minusSeconds(3600)),
            Optional.of(NOW.plusSeconds(1800)),
            false,
            3,
            NOW.minusSeconds(3000)));
    schedules.record(cycle("c1", NOW.minusSeconds(7200), CycleOutcome.COMPLETED));
    schedules.record(cycle("c2", NOW.minusSeconds(3600), CycleOutcome.COMPLETED));
    schedules.record(skipped("c3", NOW.minusSeconds(1800)));

    JsonNode status = Http.getJson(server, "/api/status");

    assertThat(status.get("daemon").get("running").asBoolean()).isFalse();
    assertThat(status.get("daemon").get("controls").asBoolean()).isFalse();
    assertThat(status.get("daemon").get("note").asText())
        .startsWith("No daemon is running on this state folder")
        .contains("overnight run --config FILE");
    assertThat(status.get("scheduler").get("name").asText()).isEqualTo("stopped");
    assertThat(status.has("next_wake")).as("nothing will wake").isFalse();
    JsonNode metrics = status.get("metrics");
    assertThat(metrics.get("cycle_count").asLong()).isEqualTo(3);
    assertThat(metrics.get("last_run_time").asText()).isEqualTo(NOW.minusSeconds(3600).toString());
    assertThat(metrics.get("seconds_since_last_run").asLong()).isEqualTo(3600);
    assertThat(metrics.get("skipped_by_reason").get("constraints_unsatisfied").asLong())
        .isEqualTo(1);
    assertThat(metrics.get("total_cycle_time_ms").asLong()).isEqualTo(2 * 600_000);
    assertThat(Http.getJson(server, "/api/cycles").get("cycles"))
        .extracting(c -> c.get("cycle_id").asText())
        .containsExactly("c3", "c2", "c1");
  }

  @Test
  void threeNightsWithoutAFiredWakeRaiseTheAlarmFirstInTheStatus() {
    assertThat(Http.getJson(server, "/api/status").has("alarms")).isFalse();
    for (int night = 3; night >= 1; night--) {
      schedules.record(skipped("s" + night, NOW.minus(Duration.ofDays(night))));
    }

    JsonNode status = Http.getJson(server, "/api/status");

    assertThat(status.get("alarms"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.get("kind").asText()).isEqualTo("never_fired");
              assertThat(a.get("nights")).hasSize(3);
              assertThat(a.get("message").asText())
                  .startsWith("No wake fired on the last 3 nights it was due")
                  .endsWith(": constraint unsatisfied ×3.");
            });
    assertThat(ShapeSchemas.errors("http-api.schema.json#/$defs/status", status)).isEmpty();
  }

  @Test
  void onAQueueMachinesShareTheAlarmsAreOfTheTasksThisMachineRan() {
    Task mine = queue.enqueue(TaskSpec.builder("Tidy the Mac build").build()).task();
    queue.claimNext("mini-1a2b", Duration.ofMinutes(5)).orElseThrow();
    queue.complete(mine.id(), "mini-1a2b", "done", Map.of(TaskFacts.NO_CHANGE.key(), "nothing"));
    Task theirs = queue.enqueue(TaskSpec.builder("Write the release notes").build()).task();
    queue.claimNext("box-9f8e", Duration.ofMinutes(5)).orElseThrow();
    queue.complete(theirs.id(), "box-9f8e", "done", Map.of(TaskFacts.FILES_CHANGED.key(), "2"));
    for (int night = 0; night < 3; night++) {
      Instant at = NOW.minus(Duration.ofDays(night));
      schedules.record(
          new CycleRecord(
              "cycle-" + (3 - night),
              "app",
              at,
              Optional.of(at),
              Optional.of(at),
              CycleOutcome.COMPLETED,
              Optional.empty(),
              List.of(),
              false));
    }
    StateFolderBackend macMini =
        StateFolderBackend.builder(store, paths)
            .clock(Fixtures.CLOCK)
            .nights(ZoneOffset.UTC, 3)
            .ownTasks(Optional.of("mini-1a2b"))
            .build();

    assertThat(backend.alarms()).as("every task: the build box's change counts").isEmpty();
    assertThat(macMini.alarms())
        .singleElement()
        .satisfies(a -> assertThat(a.message()).contains("1 completed with no change"));
  }

  @Test
  void theUsageWindowsOpenNowAreInTheStatus() {
    assertThat(Http.getJson(server, "/api/status").has("quota")).isFalse();
    schedules.saveQuotaWindow(
        new QuotaWindow(
            "codex",
            NOW.minus(Duration.ofHours(2)),
            Optional.of(NOW.plus(Duration.ofHours(3))),
            80_000,
            OptionalLong.of(100_000),
            true));
    schedules.saveQuotaWindow(
        new QuotaWindow(
            "gemini",
            NOW.minus(Duration.ofDays(2)),
            Optional.of(NOW.minus(Duration.ofDays(1))),
            5_000,
            OptionalLong.empty(),
            false));

    JsonNode status = Http.getJson(server, "/api/status");

    assertThat(status.get("quota"))
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.get("agent_id").asText()).isEqualTo("codex");
              assertThat(w.get("exhausted").asBoolean()).isTrue();
              assertThat(w.get("resets_at").asText())
                  .isEqualTo(NOW.plus(Duration.ofHours(3)).toString());
            });
    assertThat(ShapeSchemas.errors("http-api.schema.json#/$defs/status", status)).isEmpty();
  }

  @Test
  void runNowPauseAndResumeAreRefusedWithTheReasonInsteadOfPretending() {
    for (String control : List.of("/api/run-now", "/api/pause", "/api/resume")) {
      HttpResponse<String> refused = Http.post(server, control, "{}");

      assertThat(refused.statusCode()).as(control).isEqualTo(409);
      assertThat(Http.json(refused).get("message").asText())
          .as(control)
          .startsWith("No daemon is running on this state folder");
    }
    assertThatThrownBy(backend::runNow)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("No daemon is running");
  }

  @Test
  void aDaemonOnTheFolderIsNamedWithItsOwnDashboardAndItsNextWake() {
    schedules.save(
        new SchedulerSnapshot(
            "app",
            Optional.empty(),
            Optional.empty(),
            Optional.of(NOW.plusSeconds(1800)),
            false,
            0,
            NOW));
    try (StateLock daemon = StateLock.acquire(paths)) {
      JsonNode status = Http.getJson(server, "/api/status");

      assertThat(status.get("daemon").get("running").asBoolean()).isTrue();
      assertThat(status.get("daemon").get("controls").asBoolean()).isFalse();
      assertThat(status.get("daemon").get("note").asText())
          .startsWith("A daemon runs on this state folder (pid " + ProcessHandle.current().pid())
          .contains("its own dashboard, at http://127.0.0.1:4711/,");
      assertThat(status.get("scheduler").get("name").asText()).isEqualTo("running");
      assertThat(status.get("next_wake").asText()).isEqualTo(NOW.plusSeconds(1800).toString());
      assertThat(Http.post(server, "/api/run-now", "").statusCode()).isEqualTo(409);
    }
  }

  @Test
  void sessionsComeFromTheTranscriptsWithTheTaskTheyWorkedOn() throws IOException {
    Task task = queue.enqueue(TaskSpec.builder("Add tests for the parser").build()).task();
    queue.claimNext("w1", Duration.ofMinutes(5)).orElseThrow();
    queue.annotate(task.id(), "w1", Map.of(TaskFacts.SESSION_ID.key(), "s-1"));
    transcript("scripted-s-1.jsonl", "s-1", "Reading the parser.", "Tests written.");
    transcript("scripted-s-2.jsonl", "s-2", "Exploring.");
    Files.writeString(paths.transcripts().resolve("notes.txt"), "not a transcript");

    JsonNode sessions = Http.getJson(server, "/api/sessions").get("sessions");

    assertThat(sessions).extracting(s -> s.get("session_id").asText()).contains("s-1", "s-2");
    JsonNode first =
        List.of(sessions.get(0), sessions.get(1)).stream()
            .filter(s -> s.get("session_id").asText().equals("s-1"))
            .findFirst()
            .orElseThrow();
    assertThat(first.get("task_id").asText()).isEqualTo(task.id().value());
    assertThat(first.get("title").asText()).isEqualTo("Add tests for the parser");
    assertThat(first.get("updates").asLong()).isEqualTo(2);
    assertThat(first.get("active").asBoolean()).isFalse();
    JsonNode detail = Http.getJson(server, "/api/sessions/s-1");
    assertThat(detail.get("events"))
        .extracting(e -> e.get("content").get("text").asText())
        .containsExactly("Reading the parser.", "Tests written.");
    assertThat(detail.get("events").get(0).get("task_id").asText()).isEqualTo(task.id().value());
    assertThat(Http.get(server, "/api/sessions/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void tasksCanStillBeCancelledAndRetriedThroughTheSharedQueue() {
    Task task = queue.enqueue(TaskSpec.builder("Tidy the build").build()).task();

    assertThat(Http.post(server, "/api/tasks/" + task.id() + "/cancel", "").statusCode())
        .isEqualTo(200);

    assertThat(queue.get(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
  }

  /** Writes a transcript of agent messages, one a minute, in the test's own simple format. */
  private void transcript(String file, String session, String... messages) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < messages.length; i++) {
      lines.add(
          JSON.createObjectNode()
              .put("session", session)
              .put("at", NOW.minusSeconds(600).plusSeconds(60L * i).toString())
              .put("text", messages[i])
              .toString());
    }
    Files.write(paths.transcripts().resolve(file), lines);
  }

  private static List<SessionEvent> readLines(Path file) throws IOException {
    List<SessionEvent> events = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      JsonNode n = JSON.readTree(line);
      events.add(
          new SessionEvent(
              n.get("session").asText(),
              "scripted",
              Optional.empty(),
              events.size() + 1,
              Instant.parse(n.get("at").asText()),
              new SessionUpdate.AgentMessageChunk(new ContentBlock.Text(n.get("text").asText()))));
    }
    return events;
  }

  private static CycleRecord cycle(String id, Instant at, CycleOutcome outcome) {
    return new CycleRecord(
        id,
        "app",
        at,
        Optional.of(at),
        Optional.of(at.plusSeconds(600)),
        outcome,
        Optional.empty(),
        List.of(),
        false);
  }

  private static CycleRecord skipped(String id, Instant at) {
    return new CycleRecord(
        id,
        "app",
        at,
        Optional.empty(),
        Optional.empty(),
        CycleOutcome.SKIPPED,
        Optional.of(SkipReason.CONSTRAINTS_UNSATISFIED),
        List.of("not on AC power"),
        false);
  }
}
