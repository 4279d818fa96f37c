package dev.overnight.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.PlanEntry;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.ToolCallContent;
import dev.overnight.api.agent.ToolCallStatus;
import dev.overnight.api.agent.ToolKind;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.decision.Signal;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFact;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerMetrics;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.core.coordinator.AttemptOutcome;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.CoordinatorMetrics;
import dev.overnight.core.json.internal.TaskShapes;
import dev.overnight.core.report.MachineCounts;
import dev.overnight.core.report.MorningReport;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The canonical shapes: their field names and rules (snake_case, ISO-8601 instants, lower-case enum
 * keys, absent values left out, typed facts), and that each validates against its published schema,
 * which in turn rejects a renamed or missing field.
 */
class OvernightJsonTest {
  private static final Instant AT = Instant.parse("2026-11-25T23:30:00Z");
  private static final TaskId ID = TaskId.of("7f3c2a10-0000-4000-8000-000000000001");

  static Task task(TaskStatus status, Map<String, String> metadata) {
    boolean running = status == TaskStatus.IN_PROGRESS;
    return Task.builder()
        .id(ID)
        .title("Add tests for Parser")
        .prompt("Write tests for src/Parser.java")
        .agentId(Optional.of("codex"))
        .priority(TaskPriority.HIGH)
        .opHash("0123456789abcdef")
        .status(status)
        .attempts(1)
        .maxAttempts(3)
        .workerId(running ? Optional.of("worker-1") : Optional.empty())
        .leaseExpiresAt(running ? Optional.of(AT.plusSeconds(600)) : Optional.empty())
        .createdAt(AT.minusSeconds(60))
        .updatedAt(AT)
        .startedAt(Optional.of(AT.minusSeconds(30)))
        .finishedAt(running ? Optional.empty() : Optional.of(AT))
        .lastError(status == TaskStatus.FAILED ? Optional.of("agent crashed") : Optional.empty())
        .metadata(metadata)
        .build();
  }

  static Task minimalTask() {
    return Task.builder()
        .id(ID)
        .title("Tidy")
        .prompt("Tidy the build")
        .agentId(Optional.empty())
        .priority(TaskPriority.LOW)
        .opHash("fedcba9876543210")
        .status(TaskStatus.PENDING)
        .attempts(0)
        .maxAttempts(3)
        .workerId(Optional.empty())
        .leaseExpiresAt(Optional.empty())
        .createdAt(AT)
        .updatedAt(AT)
        .startedAt(Optional.empty())
        .finishedAt(Optional.empty())
        .lastError(Optional.empty())
        .metadata(Map.of())
        .build();
  }

  static Decision decision() {
    return new Decision(
        "Add tests for Parser",
        "Write tests for src/Parser.java",
        "codex",
        TaskPriority.MEDIUM,
        DecisionPath.TESTS,
        Optional.of("src/Parser.java"),
        "Parser.java changed 27 times and has no tests",
        0.8,
        List.of(new Signal("file_touches", "src/Parser.java: 27", 0.7)),
        Duration.ofMinutes(20),
        Map.of("top_file", "src/Parser.java"));
  }

  static List<SessionUpdate> everyUpdate() {
    return List.of(
        new SessionUpdate.UserMessageChunk(new ContentBlock.Text("hi")),
        new SessionUpdate.AgentMessageChunk(
            new ContentBlock.Resource("file:///a", Optional.of("text"), Optional.of("text/x"))),
        new SessionUpdate.AgentMessageChunk(
            new ContentBlock.Resource("file:///a", Optional.empty(), Optional.empty())),
        new SessionUpdate.AgentThoughtChunk(new ContentBlock.Image("image/png", "AAAA")),
        new SessionUpdate.UserMessageChunk(new ContentBlock.ResourceLink("file:///b", "b")),
        new SessionUpdate.UserMessageChunk(new ContentBlock.Other("audio", "{\"type\":\"audio\"}")),
        new SessionUpdate.ToolCall(
            "t1",
            "Edit A.java",
            ToolKind.EDIT,
            Optional.of(ToolCallStatus.IN_PROGRESS),
            List.of(
                new ToolCallContent.Diff("A.java", Optional.of("class A {}"), "class A { int x; }"),
                new ToolCallContent.Diff("B.java", Optional.empty(), "class B {}"),
                new ToolCallContent.Content(new ContentBlock.Text("done")),
                new ToolCallContent.Terminal("term-1"),
                new ToolCallContent.Other("widget", "{\"type\":\"widget\"}")),
            List.of("A.java"),
            Optional.of("{\"path\":\"A.java\"}")),
        new SessionUpdate.ToolCall(
            "t2",
            "Think",
            ToolKind.THINK,
            Optional.empty(),
            List.of(),
            List.of(),
            Optional.empty()),
        new SessionUpdate.ToolCallUpdate(
            "t1",
            Optional.of("Edited A.java"),
            Optional.of(ToolCallStatus.COMPLETED),
            Optional.of(List.of()),
            Optional.of(List.of("A.java")),
            Optional.of("{\"ok\":true}")),
        new SessionUpdate.ToolCallUpdate(
            "t1",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()),
        new SessionUpdate.Plan(List.of(new PlanEntry("Read", "high", "completed"))),
        new SessionUpdate.AvailableCommands(List.of("review")),
        new SessionUpdate.CurrentMode("plan"),
        new SessionUpdate.SessionInfo(Optional.of("Parser tests")),
        new SessionUpdate.SessionInfo(Optional.empty()),
        new SessionUpdate.UsageUpdate(1200, 200000, Optional.of(0.42), Optional.of("USD")),
        new SessionUpdate.UsageUpdate(1200, 200000, Optional.empty(), Optional.empty()),
        new SessionUpdate.Unknown("future_kind", "{\"x\":1}"));
  }

  static List<SchedulerEvent> everySchedulerEvent() {
    return List.of(
        new SchedulerEvent.StateChanged(
            AT, new SchedulerState.Idle(), new SchedulerState.Running(AT.plusSeconds(600))),
        new SchedulerEvent.StateChanged(
            AT,
            new SchedulerState.Running(AT),
            new SchedulerState.Paused("on battery", AT.plusSeconds(60))),
        new SchedulerEvent.StateChanged(
            AT, new SchedulerState.Paused("x", AT), new SchedulerState.Stopped()),
        new SchedulerEvent.ConstraintsChecked(
            AT,
            Map.of(
                "plugged_in",
                ConstraintResult.unsatisfied("on battery (58%)"),
                "wifi_only",
                ConstraintResult.satisfied("on Wi-Fi")),
            false),
        new SchedulerEvent.CycleStarted(AT, "c1", AT.minusSeconds(5), true),
        new SchedulerEvent.CycleFinished(AT, "c1", Duration.ofMinutes(3), Optional.empty()),
        new SchedulerEvent.CycleFinished(AT, "c1", Duration.ofMinutes(3), Optional.of("boom")),
        new SchedulerEvent.CycleSkipped(
            AT, AT.minusSeconds(5), SkipReason.CONSTRAINTS_UNSATISFIED, "on battery"),
        new SchedulerEvent.Paused(AT, "by user", AT.plusSeconds(60)),
        new SchedulerEvent.Resumed(AT));
  }

  static List<CoordinatorEvent> everyCoordinatorEvent() {
    Task task = task(TaskStatus.COMPLETED, Map.of());
    return List.of(
        new CoordinatorEvent.CycleBegan(AT, "c1", AT.plusSeconds(3600)),
        new CoordinatorEvent.Decided(AT, decision(), true),
        new CoordinatorEvent.NothingToDo(AT, "nothing changed"),
        new CoordinatorEvent.TaskStarted(AT, task, "codex", "overnight/tests-parser", "s1"),
        new CoordinatorEvent.TaskEnded(
            AT, task, AttemptOutcome.COMPLETED, "done", Optional.of("https://x/pull/1")),
        new CoordinatorEvent.TaskEnded(
            AT, minimalTask(), AttemptOutcome.RETRY, "crashed", Optional.empty()),
        new CoordinatorEvent.AgentParked(AT, "codex", AT.plusSeconds(3600), "usage limit"),
        new CoordinatorEvent.LimitWarning(AT, "80% of the night's budget"),
        new CoordinatorEvent.CycleEnded(AT, "c1", 2, Optional.of("/reports/latest.md")),
        new CoordinatorEvent.CycleEnded(AT, "c1", 0, Optional.empty()));
  }

  static CycleRecord ranCycle() {
    return new CycleRecord(
        "c1",
        "nightly",
        AT.minusSeconds(60),
        Optional.of(AT.minusSeconds(59)),
        Optional.of(AT),
        CycleOutcome.COMPLETED,
        Optional.empty(),
        List.of("ran 2 tasks", "one retried"),
        true);
  }

  static CycleRecord skippedCycle() {
    return new CycleRecord(
        "c2",
        "nightly",
        AT,
        Optional.empty(),
        Optional.empty(),
        CycleOutcome.SKIPPED,
        Optional.of(SkipReason.MACHINE_ASLEEP),
        List.of(),
        false);
  }

  static Map<String, String> everyFact() {
    Map<String, String> m = new LinkedHashMap<>();
    m.putAll(TaskFacts.BRANCH.of("overnight/tests-parser"));
    m.putAll(TaskFacts.TOKENS.of(1234L));
    m.putAll(TaskFacts.COST_USD.of(0.35));
    m.putAll(TaskFacts.PUSHED.of(true));
    m.putAll(TaskFacts.FILE_TOUCHES.of(27L));
    m.put("source", "cli");
    return m;
  }

  // ------------------------------------------------------------------ rules

  @Test
  void aTaskHasSnakeCaseKeysTypedFactsAndTheRestOfItsMetadata() {
    Map<String, String> metadata = new LinkedHashMap<>(everyFact());
    metadata.put(TaskFacts.AGENT_SECONDS.key(), "not a number");
    ObjectNode json = OvernightJson.task(task(TaskStatus.IN_PROGRESS, metadata));

    assertThat(json.get("id").asText()).isEqualTo(ID.value());
    assertThat(json.get("short_id").asText()).isEqualTo(ID.shortId());
    assertThat(json.get("agent_id").asText()).isEqualTo("codex");
    assertThat(json.get("priority").asText()).isEqualTo("high");
    assertThat(json.get("status").asText()).isEqualTo("in_progress");
    assertThat(json.get("max_attempts").asInt()).isEqualTo(3);
    assertThat(json.get("worker_id").asText()).isEqualTo("worker-1");
    assertThat(json.get("lease_expires_at").asText()).isEqualTo(AT.plusSeconds(600).toString());
    assertThat(json.get("created_at").asText()).isEqualTo(AT.minusSeconds(60).toString());
    assertThat(json.has("finished_at")).as("absent values are left out").isFalse();
    assertThat(json.has("last_error")).isFalse();

    JsonNode facts = json.get("facts");
    assertThat(facts.get("branch").asText()).isEqualTo("overnight/tests-parser");
    assertThat(facts.get("tokens").isIntegralNumber()).isTrue();
    assertThat(facts.get("tokens").asLong()).isEqualTo(1234);
    assertThat(facts.get("cost_usd").isNumber()).isTrue();
    assertThat(facts.get("cost_usd").asDouble()).isEqualTo(0.35);
    assertThat(facts.get("pushed").isBoolean()).isTrue();
    assertThat(facts.has("agent_seconds")).as("a fact not of its type is not a fact").isFalse();

    JsonNode rest = json.get("metadata");
    assertThat(rest.get("source").asText()).isEqualTo("cli");
    assertThat(rest.get("agent_seconds").asText()).isEqualTo("not a number");
    assertThat(rest.has("branch")).as("a fact appears once, under facts").isFalse();
  }

  @Test
  void everyTaskFactIsRendered() throws Exception {
    List<String> declared = new ArrayList<>();
    for (Field f : TaskFacts.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == TaskFact.class) {
        declared.add(((TaskFact<?>) f.get(null)).key());
      }
    }
    assertThat(TaskShapes.FACTS.stream().map(TaskFact::key).toList())
        .containsExactlyInAnyOrderElementsOf(declared);
  }

  @Test
  void aTaskEventNamesItsKindAndStatusesAsKeys() {
    JsonNode json =
        OvernightJson.taskEvent(
            new TaskEvent(
                7,
                ID,
                AT,
                "worker-1",
                TaskEventType.RETRY_SCHEDULED,
                Optional.of(TaskStatus.IN_PROGRESS),
                TaskStatus.PENDING,
                "agent crashed"));
    assertThat(json.get("task_id").asText()).isEqualTo(ID.value());
    assertThat(json.get("kind").asText()).isEqualTo("retry_scheduled");
    assertThat(json.get("from").asText()).isEqualTo("in_progress");
    assertThat(json.get("to").asText()).isEqualTo("pending");
    assertThat(json.get("at").asText()).isEqualTo(AT.toString());
  }

  @Test
  void aSessionEventCarriesItsEnvelopeThenTheUpdatesKindAndFields() {
    SessionUpdate edit = everyUpdate().get(6);
    JsonNode json =
        OvernightJson.sessionEvent(
            new SessionEvent("s1", "claude-code", Optional.of(ID), 3, AT, edit));
    assertThat(json.get("session_id").asText()).isEqualTo("s1");
    assertThat(json.get("agent_id").asText()).isEqualTo("claude-code");
    assertThat(json.get("task_id").asText()).isEqualTo(ID.value());
    assertThat(json.get("sequence").asLong()).isEqualTo(3);
    assertThat(json.get("kind").asText()).isEqualTo("tool_call");
    assertThat(json.get("tool_call_id").asText()).isEqualTo("t1");
    assertThat(json.get("tool_kind").asText()).isEqualTo("edit");
    assertThat(json.get("status").asText()).isEqualTo("in_progress");
    assertThat(json.get("raw_input").asText()).isEqualTo("{\"path\":\"A.java\"}");
    assertThat(json.at("/content/0/old_text").asText()).isEqualTo("class A {}");
    assertThat(json.at("/content/0/new_text").asText()).isEqualTo("class A { int x; }");
    assertThat(json.at("/content/1").has("old_text")).as("a new file has no old text").isFalse();
    assertThat(json.at("/content/3/terminal_id").asText()).isEqualTo("term-1");

    JsonNode usage =
        OvernightJson.sessionEvent(
            new SessionEvent("s1", "codex", Optional.empty(), 4, AT, everyUpdate().get(15)));
    assertThat(usage.has("task_id")).isFalse();
    assertThat(usage.get("cost_amount").asDouble()).isEqualTo(0.42);
  }

  @Test
  void aCycleListsItsNotesAndSaysWhyItWasSkipped() {
    JsonNode ran = OvernightJson.cycle(ranCycle());
    assertThat(ran.get("notes")).hasSize(2);
    assertThat(ran.get("catch_up").asBoolean()).isTrue();
    assertThat(ran.has("skip_reason")).isFalse();
    JsonNode skipped = OvernightJson.cycle(skippedCycle());
    assertThat(skipped.get("outcome").asText()).isEqualTo("skipped");
    assertThat(skipped.get("skip_reason").asText()).isEqualTo("machine_asleep");
    assertThat(skipped.get("notes")).isEmpty();
    assertThat(skipped.has("started_at")).isFalse();
  }

  @Test
  void schedulerMetricsMatchTheirOwnRendering() {
    Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    skipped.put(SkipReason.MACHINE_ASLEEP, 2L);
    SchedulerMetrics metrics =
        new SchedulerMetrics(
            4, "running", Optional.of(AT), OptionalLong.of(30), skipped, Duration.ofMinutes(9));
    assertThat(OvernightJson.write(OvernightJson.schedulerMetrics(metrics)))
        .isEqualTo(metrics.toJson());
  }

  @Test
  void theMapperReadsStrictly() {
    assertThatThrownBy(() -> OvernightJson.read("{\"a\":1,\"a\":2}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Duplicate field 'a'");
    assertThatThrownBy(() -> OvernightJson.read("{\"a\":1} {}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OvernightJson.read("{/* no */\"a\":1}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(OvernightJson.read("{\"a\":1}").get("a").asInt()).isEqualTo(1);
  }

  @Test
  void compactTextIsOneLineAndPrettyTextIsIndented() {
    ObjectNode node = OvernightJson.object().put("a", 1);
    assertThat(OvernightJson.write(node)).isEqualTo("{\"a\":1}");
    assertThat(OvernightJson.writePretty(node)).isEqualTo("{\n  \"a\" : 1\n}");
  }

  // ------------------------------------------------------------------ schemas

  /** A shape's output and the schema it must validate against. */
  record Sample(String schema, JsonNode json) {}

  static List<Sample> samples() {
    List<Sample> all = new ArrayList<>();
    for (TaskStatus s : TaskStatus.values()) {
      all.add(new Sample("task.schema.json", OvernightJson.task(task(s, everyFact()))));
    }
    all.add(new Sample("task.schema.json", OvernightJson.task(minimalTask())));
    for (TaskEventType type : TaskEventType.values()) {
      all.add(
          new Sample(
              "task-event.schema.json",
              OvernightJson.taskEvent(
                  new TaskEvent(
                      1,
                      ID,
                      AT,
                      "queue",
                      type,
                      type == TaskEventType.ENQUEUED
                          ? Optional.empty()
                          : Optional.of(TaskStatus.PENDING),
                      TaskStatus.IN_PROGRESS,
                      "why"))));
    }
    long sequence = 1;
    for (SessionUpdate u : everyUpdate()) {
      all.add(
          new Sample(
              "session-event.schema.json",
              OvernightJson.sessionEvent(
                  new SessionEvent("s1", "codex", Optional.of(ID), sequence++, AT, u))));
    }
    all.add(new Sample("cycle.schema.json", OvernightJson.cycle(ranCycle())));
    all.add(new Sample("cycle.schema.json", OvernightJson.cycle(skippedCycle())));
    everySchedulerEvent()
        .forEach(
            e ->
                all.add(
                    new Sample("scheduler-event.schema.json", OvernightJson.schedulerEvent(e))));
    everyCoordinatorEvent()
        .forEach(
            e ->
                all.add(
                    new Sample(
                        "coordinator-event.schema.json", OvernightJson.coordinatorEvent(e))));
    all.add(new Sample("decision.schema.json", OvernightJson.decision(decision())));
    all.add(
        new Sample(
            "coordinator-event.schema.json#/$defs/metrics",
            OvernightJson.coordinatorMetrics(
                new CoordinatorMetrics(1, 2, 1, 0, 1, 0, 0, 3, 600, 1234, Optional.of(0.35)))));
    all.add(
        new Sample(
            "coordinator-event.schema.json#/$defs/metrics",
            OvernightJson.coordinatorMetrics(
                new CoordinatorMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Optional.empty()))));
    all.add(
        new Sample(
            "scheduler-event.schema.json#/$defs/metrics",
            OvernightJson.schedulerMetrics(
                new SchedulerMetrics(
                    0, "idle", Optional.empty(), OptionalLong.empty(), Map.of(), Duration.ZERO))));
    all.add(
        new Sample(
            "task.schema.json",
            OvernightJson.taskPage(new Page<>(List.of(minimalTask()), 3, 0)).get("items").get(0)));
    all.add(
        new Sample(
            "cli.schema.json#/$defs/agent_outcome",
            OvernightJson.agentOutcome(
                new AgentOutcome(
                    StopReason.END_TURN, new Usage(10, 20, 0, 0, Optional.of(0.01))))));
    all.add(new Sample("report.schema.json", OvernightJson.report(report())));
    all.add(new Sample("report.schema.json", OvernightJson.report(fleetReport())));
    return all;
  }

  /** One machine's report on a queue the fleet shares, with what the other machines ran. */
  static MorningReport fleetReport() {
    MorningReport own = report();
    return new MorningReport(
        "nightly@mac-mini",
        own.from(),
        own.to(),
        own.zone(),
        own.cycles(),
        own.tasks(),
        own.setbacks(),
        List.of(),
        List.of(),
        List.of(
            new MachineCounts(
                "build-box", Map.of(TaskStatus.COMPLETED, 3L, TaskStatus.PENDING, 1L))));
  }

  static MorningReport report() {
    Task failed = task(TaskStatus.FAILED, everyFact());
    return new MorningReport(
        "nightly",
        AT.minusSeconds(86400),
        AT,
        ZoneId.of("Europe/Paris"),
        List.of(ranCycle(), skippedCycle()),
        List.of(failed, minimalTask()),
        Map.of(failed.id(), List.of("retried: agent crashed")));
  }

  @Test
  void everyShapeValidatesAgainstItsSchema() {
    for (Sample s : samples()) {
      assertThat(ShapeSchemas.errors(s.schema(), s.json()))
          .as("%s against %s", s.json(), s.schema())
          .isEmpty();
    }
  }

  @Test
  void theSchemasRejectARenamedOrMissingTopLevelField() {
    for (Sample s : samples()) {
      if (!s.json().isObject()) {
        continue;
      }
      List<String> fields = new ArrayList<>();
      s.json().fieldNames().forEachRemaining(fields::add);
      for (String field : fields) {
        ObjectNode renamed = ((ObjectNode) s.json()).deepCopy();
        renamed.set(camelCase(field) + "X", renamed.remove(field));
        assertThat(ShapeSchemas.errors(s.schema(), renamed))
            .as("%s renamed in %s against %s", field, s.json(), s.schema())
            .isNotEmpty();
      }
    }
  }

  @Test
  void theSchemasCheckNestedShapesToo() {
    ObjectNode task = OvernightJson.task(task(TaskStatus.COMPLETED, everyFact()));
    ((ObjectNode) task.get("facts")).put("tokens", "1234");
    assertThat(ShapeSchemas.errors("task.schema.json", task)).isNotEmpty();

    ObjectNode event =
        OvernightJson.sessionEvent(
            new SessionEvent("s1", "codex", Optional.empty(), 1, AT, everyUpdate().get(6)));
    ((ObjectNode) event.at("/content/0"))
        .set("oldText", ((ObjectNode) event.at("/content/0")).remove("old_text"));
    assertThat(ShapeSchemas.errors("session-event.schema.json", event)).isNotEmpty();

    ObjectNode report = OvernightJson.report(report());
    ((ObjectNode) report.at("/cycles/0")).put("planned_at", "yesterday");
    assertThat(ShapeSchemas.errors("report.schema.json", report)).isNotEmpty();

    ObjectNode ended = OvernightJson.coordinatorEvent(everyCoordinatorEvent().get(4));
    ((ObjectNode) ended.get("task")).put("status", "done");
    assertThat(ShapeSchemas.errors("coordinator-event.schema.json", ended)).isNotEmpty();

    ObjectNode skipped = OvernightJson.cycle(ranCycle());
    skipped.put("skip_reason", "machine_asleep");
    assertThat(ShapeSchemas.errors("cycle.schema.json", skipped))
        .as("a skip reason only with a skipped outcome")
        .isNotEmpty();
  }

  private static String camelCase(String snake) {
    String[] parts = snake.split("_");
    StringBuilder b = new StringBuilder(parts[0]);
    Arrays.stream(parts)
        .skip(1)
        .forEach(p -> b.append(Character.toUpperCase(p.charAt(0))).append(p.substring(1)));
    return b.toString();
  }
}
