package dev.overnight.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.decision.Candidate;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.Evidence;
import dev.overnight.api.decision.Signal;
import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerMetrics;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.CoordinatorMetrics;
import dev.overnight.core.fleet.FleetStatus;
import dev.overnight.core.json.internal.CoordinatorShapes;
import dev.overnight.core.json.internal.FleetShapes;
import dev.overnight.core.json.internal.Nodes;
import dev.overnight.core.json.internal.NotificationShapes;
import dev.overnight.core.json.internal.ReportShapes;
import dev.overnight.core.json.internal.ScheduleShapes;
import dev.overnight.core.json.internal.SessionShapes;
import dev.overnight.core.json.internal.TaskShapes;
import dev.overnight.core.report.MorningReport;
import dev.overnight.core.report.NightAlarm;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Overnight's JSON in one place: the single Jackson mapper every module reads and writes with, and
 * the one canonical shape of each entity, shared by the CLI's {@code --json} output, the HTTP API,
 * the WebSocket stream and the morning report.
 *
 * <p>Every shape follows the same rules: snake_case keys; instants as ISO-8601 text; enum values as
 * lower-case keys ({@code in_progress}, {@code tool_call}); an absent optional value is left out,
 * never written as {@code null}; a task's facts ({@link dev.overnight.api.queue.TaskFacts}) typed
 * under {@code facts}, the rest of its metadata as text under {@code metadata}. Events carry their
 * kind under {@code kind}. The shapes are written field by field rather than by reflection, so a
 * change to a Java type cannot change them by accident; their JSON Schemas (draft 2020-12) are in
 * {@code docs/schema/} and in this jar under {@value #SCHEMA_FOLDER}.
 *
 * <p>The mapper reads strictly: a duplicate key or anything after the document is an error, and
 * comments are not JSON. It writes compact text; {@link #pretty()} indents.
 *
 * <p>Thread-safe: everything here is stateless or immutable, except that {@link #mapper()} is
 * shared — never reconfigure it. Nothing blocks. Serializing a tree cannot fail in practice; if it
 * does, {@link UncheckedIOException} is thrown.
 *
 * @since 0.1.0
 */
public final class OvernightJson {
  /** Classpath folder of the JSON Schemas of the shapes, e.g. {@code task.schema.json}. */
  public static final String SCHEMA_FOLDER = "/dev/overnight/core/json/schema/";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonParser.Feature.ALLOW_COMMENTS)
          .build();

  private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  /** Reads pipeline manifests written in YAML, as strictly as JSON: a duplicate key is an error. */
  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private OvernightJson() {}

  // ------------------------------------------------------------------ the mapper

  /** The one mapper. Thread-safe; shared by every module, so never reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A writer that indents, for output people read. Immutable. */
  public static ObjectWriter pretty() {
    return PRETTY;
  }

  /** A new empty object. */
  public static ObjectNode object() {
    return Nodes.object();
  }

  /** A new empty array. */
  public static ArrayNode array() {
    return Nodes.array();
  }

  /** A tree as compact JSON text, on one line. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A tree as indented JSON text, without a final line break. */
  public static String writePretty(JsonNode node) {
    try {
      return PRETTY.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses one JSON document.
   *
   * @throws IllegalArgumentException when the text is not one JSON document, with the parser's
   *     reason
   */
  public static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Parses one YAML document into the same tree JSON gives.
   *
   * @throws IllegalArgumentException when the text is not one YAML document, with the parser's
   *     reason
   */
  public static JsonNode readYaml(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getOriginalMessage(), e);
    }
  }

  // ------------------------------------------------------------------ queue

  /**
   * A task: {@code id}, {@code short_id}, {@code title}, {@code prompt}, {@code agent_id}, {@code
   * priority}, {@code op_hash}, {@code status}, {@code attempts}, {@code max_attempts}, the lease
   * ({@code worker_id}, {@code lease_expires_at}), its times, {@code last_error}, its typed {@code
   * facts} and the rest of its {@code metadata}.
   */
  public static ObjectNode task(Task task) {
    return TaskShapes.task(task);
  }

  /** Tasks, in their order. */
  public static ArrayNode tasks(List<Task> tasks) {
    return TaskShapes.tasks(tasks);
  }

  /** A page of tasks: {@code items}, {@code total}, {@code offset}, {@code has_more}. */
  public static ObjectNode taskPage(Page<Task> page) {
    return TaskShapes.taskPage(page);
  }

  /**
   * One change to a task: {@code sequence}, {@code task_id}, {@code at}, {@code actor}, {@code
   * kind} ({@code enqueued}, {@code claimed}…), {@code from}, {@code to}, {@code reason}.
   */
  public static ObjectNode taskEvent(TaskEvent event) {
    return TaskShapes.taskEvent(event);
  }

  /** Task events, in their order. */
  public static ArrayNode taskEvents(List<TaskEvent> events) {
    return TaskShapes.taskEvents(events);
  }

  // ------------------------------------------------------------------ sessions

  /**
   * A session update in its envelope: {@code session_id}, {@code agent_id}, {@code task_id}, {@code
   * sequence}, {@code at}, then the update's {@code kind} ({@code agent_message_chunk}, {@code
   * tool_call}…) and that kind's fields.
   */
  public static ObjectNode sessionEvent(SessionEvent event) {
    return SessionShapes.sessionEvent(event);
  }

  /** How a turn ended: {@code stop_reason} and the {@code usage} it reported. */
  public static ObjectNode agentOutcome(AgentOutcome outcome) {
    return SessionShapes.agentOutcome(outcome);
  }

  // ------------------------------------------------------------------ fleet

  /**
   * A worker of the fleet: {@code id}, {@code name}, {@code labels}, {@code state} ({@code
   * running}, {@code waiting_for_window}, {@code constraints_unmet}, {@code idle}, {@code
   * stopping}), {@code unmet_constraints}, {@code current_tasks}, {@code last_heartbeat}, {@code
   * started_at}.
   */
  public static ObjectNode worker(WorkerInfo worker) {
    return FleetShapes.worker(worker);
  }

  /**
   * The fleet's status ({@code fleet.schema.json}): {@code machines} (each worker with {@code
   * offline} and {@code offline_since}) and the {@code queue} by status and by required label.
   */
  public static ObjectNode fleet(FleetStatus status) {
    return FleetShapes.fleet(status);
  }

  // ------------------------------------------------------------------ scheduler

  /**
   * A planned cycle: {@code cycle_id}, {@code scheduler_id}, {@code planned_at}, {@code
   * started_at}, {@code finished_at}, {@code outcome}, {@code skip_reason}, {@code notes} (a list),
   * {@code catch_up}, {@code receipt} ({@code verdict}: fired, skipped or deferred; {@code reason}
   * when it did not fire; {@code detail} when there is one).
   */
  public static ObjectNode cycle(CycleRecord cycle) {
    return ScheduleShapes.cycle(cycle);
  }

  /** Cycles, in their order. */
  public static ArrayNode cycles(List<CycleRecord> cycles) {
    return ScheduleShapes.cycles(cycles);
  }

  /**
   * A scheduler event: {@code kind} ({@code state_changed}, {@code cycle_started}…), fields, {@code
   * at}.
   */
  public static ObjectNode schedulerEvent(SchedulerEvent event) {
    return ScheduleShapes.schedulerEvent(event);
  }

  /**
   * A scheduler state: {@code name}, plus {@code next_wake} or {@code reason} and {@code retry_at}.
   */
  public static ObjectNode schedulerState(SchedulerState state) {
    return ScheduleShapes.state(state);
  }

  /** Constraint results by checker name, each a {@code status} and a {@code reason}. */
  public static ObjectNode constraints(Map<String, ConstraintResult> results) {
    return ScheduleShapes.constraints(results);
  }

  /** The scheduler's counters, the same keys as {@link SchedulerMetrics#toJson()}. */
  public static ObjectNode schedulerMetrics(SchedulerMetrics metrics) {
    return ScheduleShapes.metrics(metrics);
  }

  // ------------------------------------------------------------------ coordinator

  /**
   * A coordinator event: {@code kind} ({@code decided}, {@code task_ended}…), fields, {@code at}.
   */
  public static ObjectNode coordinatorEvent(CoordinatorEvent event) {
    return CoordinatorShapes.coordinatorEvent(event);
  }

  /** The coordinator's counters. */
  public static ObjectNode coordinatorMetrics(CoordinatorMetrics metrics) {
    return CoordinatorShapes.metrics(metrics);
  }

  /**
   * A decision: what, for which agent, why (rationale, confidence, signals), how long, and the
   * {@code op_hash} its task carries.
   */
  public static ObjectNode decision(Decision decision) {
    return CoordinatorShapes.decision(decision);
  }

  /**
   * A proposal: a candidate a source found, with its score after goal bias — kind, source, files,
   * title, prompt, confidence, signals, the evidence it rests on, and the pipeline it proposes to
   * run, if any ({@code name} and {@code inputs}).
   */
  public static ObjectNode proposal(Candidate candidate, double score) {
    ObjectNode o = object();
    o.put("kind", candidate.kind().key());
    o.put("source", candidate.source());
    ArrayNode files = o.putArray("files");
    candidate.files().forEach(files::add);
    o.put("title", candidate.title());
    o.put("prompt", candidate.prompt());
    o.put("confidence", score);
    ArrayNode signals = o.putArray("signals");
    for (Signal s : candidate.signals()) {
      signals.addObject().put("name", s.name()).put("value", s.value()).put("weight", s.weight());
    }
    ArrayNode evidence = o.putArray("evidence");
    for (Evidence e : candidate.evidence()) {
      ObjectNode n = evidence.addObject().put("kind", e.kind()).put("detail", e.detail());
      e.file().ifPresent(f -> n.put("file", f));
      e.line().ifPresent(l -> n.put("line", l));
      e.commit().ifPresent(c -> n.put("commit", c));
    }
    candidate
        .pipeline()
        .ifPresent(
            p -> {
              ObjectNode pipeline = o.putObject("pipeline");
              pipeline.put("name", p.pipeline());
              ObjectNode inputs = pipeline.putObject("inputs");
              new java.util.TreeMap<>(p.inputs()).forEach(inputs::put);
            });
    return o;
  }

  // ------------------------------------------------------------------ report

  /** The morning report: counts, usage, tasks, setbacks by task id, cycles, night alarms. */
  public static ObjectNode report(MorningReport report) {
    return ReportShapes.report(report);
  }

  /**
   * Night alarms, as the report's {@code alarms} holds them: {@code kind} ({@code no_change} or
   * {@code never_fired}), {@code nights} (dates) and {@code message}.
   */
  public static ArrayNode alarms(List<NightAlarm> alarms) {
    return ReportShapes.alarms(alarms);
  }

  /**
   * Usage windows of the quota ledger, as the report's {@code quota} holds them: {@code agent_id},
   * {@code start}, {@code resets_at} when known, {@code used_tokens}, {@code limit_tokens} once
   * learned, {@code exhausted}.
   */
  public static ArrayNode quotaWindows(List<QuotaWindow> windows) {
    return ReportShapes.quotaWindows(windows);
  }

  // ------------------------------------------------------------------ notifications

  /**
   * A notification as the generic webhook posts it: {@code version}, {@code kind}, {@code
   * attention}, {@code config_id}, {@code at}, {@code title}, {@code text}, {@code items} and
   * {@code report}.
   */
  public static ObjectNode notification(Notification notification) {
    return NotificationShapes.notification(notification);
  }
}
