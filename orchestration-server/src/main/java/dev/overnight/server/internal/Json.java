package dev.overnight.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.Availability;
import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.PlanEntry;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.ToolCallContent;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.Signal;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.CoordinatorMetrics;
import dev.overnight.server.DashboardStatus;
import dev.overnight.server.DecisionRecord;
import dev.overnight.server.ReportFile;
import dev.overnight.server.SessionSummary;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The wire format of the HTTP API and the WebSocket stream: every type the dashboard shows, mapped
 * field by field to JSON. Written out rather than left to reflection so that the format is a
 * deliberate contract (camelCase keys, ISO-8601 instants, lowercase enum names, absent optionals as
 * {@code null}) that a refactoring of the Java types cannot change by accident.
 */
public final class Json {
  /** The shared mapper; thread-safe once configured. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** A new empty object. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Serializes a tree. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a request body; an empty body is an empty object. */
  public static JsonNode read(String text) {
    if (text == null || text.isBlank()) {
      return object();
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static void put(ObjectNode node, String key, Optional<?> value) {
    if (value.isEmpty()) {
      node.putNull(key);
    } else {
      Object v = value.get();
      if (v instanceof Instant i) {
        node.put(key, i.toString());
      } else if (v instanceof Enum<?> e) {
        node.put(key, lower(e));
      } else if (v instanceof Double d) {
        node.put(key, d);
      } else {
        node.put(key, v.toString());
      }
    }
  }

  private static ArrayNode strings(Collection<String> values) {
    ArrayNode array = MAPPER.createArrayNode();
    values.forEach(array::add);
    return array;
  }

  private static ObjectNode map(Map<String, String> values) {
    ObjectNode node = object();
    new java.util.TreeMap<>(values).forEach(node::put);
    return node;
  }

  // ------------------------------------------------------------------ sessions

  /** A session update in its envelope, flattened: envelope fields, then the update's fields. */
  public static ObjectNode sessionEvent(SessionEvent e) {
    ObjectNode node = object();
    node.put("sessionId", e.sessionId());
    node.put("agentId", e.agentId());
    put(node, "taskId", e.taskId());
    node.put("sequence", e.sequence());
    node.put("at", e.at().toString());
    node.put("kind", e.update().kind());
    update(node, e.update());
    return node;
  }

  private static void update(ObjectNode node, SessionUpdate update) {
    if (update instanceof SessionUpdate.UserMessageChunk u) {
      node.set("content", content(u.content()));
    } else if (update instanceof SessionUpdate.AgentMessageChunk u) {
      node.set("content", content(u.content()));
    } else if (update instanceof SessionUpdate.AgentThoughtChunk u) {
      node.set("content", content(u.content()));
    } else if (update instanceof SessionUpdate.ToolCall u) {
      node.put("toolCallId", u.toolCallId());
      node.put("title", u.title());
      node.put("toolKind", u.toolKind().wireName());
      put(node, "status", u.status().map(s -> s.wireName()));
      node.set("content", toolContents(u.content()));
      node.set("locations", strings(u.locations()));
      put(node, "rawInput", u.rawInput());
    } else if (update instanceof SessionUpdate.ToolCallUpdate u) {
      node.put("toolCallId", u.toolCallId());
      u.title().ifPresent(t -> node.put("title", t));
      u.status().ifPresent(s -> node.put("status", s.wireName()));
      u.content().ifPresent(c -> node.set("content", toolContents(c)));
      u.locations().ifPresent(l -> node.set("locations", strings(l)));
      u.rawOutput().ifPresent(r -> node.put("rawOutput", r));
    } else if (update instanceof SessionUpdate.Plan u) {
      ArrayNode entries = node.putArray("entries");
      for (PlanEntry p : u.entries()) {
        entries
            .addObject()
            .put("content", p.content())
            .put("priority", p.priority())
            .put("status", p.status());
      }
    } else if (update instanceof SessionUpdate.AvailableCommands u) {
      node.set("names", strings(u.names()));
    } else if (update instanceof SessionUpdate.CurrentMode u) {
      node.put("modeId", u.modeId());
    } else if (update instanceof SessionUpdate.SessionInfo u) {
      put(node, "title", u.title());
    } else if (update instanceof SessionUpdate.UsageUpdate u) {
      node.put("used", u.used());
      node.put("size", u.size());
      put(node, "costAmount", u.costAmount());
      put(node, "currency", u.currency());
    } else if (update instanceof SessionUpdate.Unknown u) {
      node.put("json", u.json());
    }
  }

  static ObjectNode content(ContentBlock block) {
    ObjectNode node = object();
    if (block instanceof ContentBlock.Text t) {
      node.put("type", "text").put("text", t.text());
    } else if (block instanceof ContentBlock.ResourceLink r) {
      node.put("type", "resource_link").put("uri", r.uri()).put("name", r.name());
    } else if (block instanceof ContentBlock.Resource r) {
      node.put("type", "resource").put("uri", r.uri());
      put(node, "text", r.text());
      put(node, "mimeType", r.mimeType());
    } else if (block instanceof ContentBlock.Image i) {
      node.put("type", "image").put("mimeType", i.mimeType()).put("data", i.data());
    } else if (block instanceof ContentBlock.Other o) {
      node.put("type", o.type()).put("json", o.json());
    }
    return node;
  }

  private static ArrayNode toolContents(List<ToolCallContent> contents) {
    ArrayNode array = MAPPER.createArrayNode();
    for (ToolCallContent c : contents) {
      ObjectNode node = array.addObject();
      if (c instanceof ToolCallContent.Content content) {
        node.put("type", "content").set("content", content(content.content()));
      } else if (c instanceof ToolCallContent.Diff d) {
        node.put("type", "diff").put("path", d.path());
        put(node, "oldText", d.oldText());
        node.put("newText", d.newText());
      } else if (c instanceof ToolCallContent.Terminal t) {
        node.put("type", "terminal").put("terminalId", t.terminalId());
      } else if (c instanceof ToolCallContent.Other o) {
        node.put("type", o.type()).put("json", o.json());
      }
    }
    return array;
  }

  /** One session of the list. */
  public static ObjectNode session(SessionSummary s) {
    ObjectNode node = object();
    node.put("sessionId", s.sessionId());
    node.put("agentId", s.agentId());
    put(node, "taskId", s.taskId());
    put(node, "title", s.title());
    node.put("startedAt", s.startedAt().toString());
    node.put("lastUpdateAt", s.lastUpdateAt().toString());
    node.put("updates", s.updates());
    node.put("active", s.active());
    return node;
  }

  // ------------------------------------------------------------------ scheduler

  /** A scheduler state: its name plus the next wake, or the pause's reason and retry time. */
  public static ObjectNode state(SchedulerState state) {
    ObjectNode node = object();
    node.put("name", state.name());
    if (state instanceof SchedulerState.Running r) {
      node.put("nextWake", r.nextWake().toString());
    } else if (state instanceof SchedulerState.Paused p) {
      node.put("reason", p.reason());
      node.put("retryAt", p.retryAt().toString());
    }
    return node;
  }

  /** Constraint results by checker name. */
  public static ObjectNode constraints(Map<String, ConstraintResult> results) {
    ObjectNode node = object();
    results.forEach(
        (name, r) ->
            node.putObject(name).put("status", lower(r.status())).put("reason", r.reason()));
    return node;
  }

  /** A scheduler event: {@code event} names its kind in snake_case. */
  public static ObjectNode schedulerEvent(SchedulerEvent e) {
    ObjectNode node = object();
    if (e instanceof SchedulerEvent.StateChanged s) {
      node.put("event", "state_changed");
      node.set("from", state(s.from()));
      node.set("to", state(s.to()));
    } else if (e instanceof SchedulerEvent.ConstraintsChecked c) {
      node.put("event", "constraints_checked");
      node.set("results", constraints(new java.util.TreeMap<>(c.results())));
      node.put("satisfied", c.satisfied());
    } else if (e instanceof SchedulerEvent.CycleStarted c) {
      node.put("event", "cycle_started");
      node.put("cycleId", c.cycleId());
      node.put("plannedAt", c.plannedAt().toString());
      node.put("catchUp", c.catchUp());
    } else if (e instanceof SchedulerEvent.CycleFinished c) {
      node.put("event", "cycle_finished");
      node.put("cycleId", c.cycleId());
      node.put("durationMs", c.duration().toMillis());
      put(node, "error", c.error());
    } else if (e instanceof SchedulerEvent.CycleSkipped c) {
      node.put("event", "cycle_skipped");
      node.put("plannedAt", c.plannedAt().toString());
      node.put("reason", c.reason().key());
      node.put("detail", c.detail());
    } else if (e instanceof SchedulerEvent.Paused p) {
      node.put("event", "paused");
      node.put("reason", p.reason());
      node.put("retryAt", p.retryAt().toString());
    } else if (e instanceof SchedulerEvent.Resumed) {
      node.put("event", "resumed");
    }
    node.put("at", e.at().toString());
    return node;
  }

  /** The status panel. */
  public static ObjectNode status(DashboardStatus s) {
    ObjectNode node = object();
    node.set("scheduler", state(s.state()));
    put(node, "nextWake", s.nextWake());
    try {
      // The metrics keep the snake_case rendering the original design's clients read.
      node.set("metrics", MAPPER.readTree(s.metrics().toJson()));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    node.set("constraints", constraints(s.constraints()));
    put(node, "constraintsCheckedAt", s.constraintsCheckedAt());
    if (s.coordinator().isPresent()) {
      node.set("coordinator", coordinatorMetrics(s.coordinator().get()));
    } else {
      node.putNull("coordinator");
    }
    ObjectNode agents = node.putObject("agents");
    s.agents().forEach((id, a) -> agents.set(id, availability(a)));
    return node;
  }

  private static ObjectNode availability(Availability a) {
    ObjectNode node = object();
    node.put("available", a.available());
    node.put("reason", a.reason());
    put(node, "remedy", a.remedy());
    return node;
  }

  private static ObjectNode coordinatorMetrics(CoordinatorMetrics m) {
    ObjectNode node = object();
    node.put("cyclesRun", m.cyclesRun());
    node.put("tasksExecuted", m.tasksExecuted());
    node.put("tasksCompleted", m.tasksCompleted());
    node.put("tasksFailed", m.tasksFailed());
    node.put("tasksRetried", m.tasksRetried());
    node.put("tasksReleased", m.tasksReleased());
    node.put("tasksCancelled", m.tasksCancelled());
    node.put("decisions", m.decisions());
    node.put("agentSeconds", m.agentSeconds());
    node.put("tokens", m.tokens());
    put(node, "costUsd", m.costUsd());
    return node;
  }

  // ------------------------------------------------------------------ coordinator

  /** A coordinator event: {@code event} names its kind in snake_case. */
  public static ObjectNode coordinatorEvent(CoordinatorEvent e) {
    ObjectNode node = object();
    if (e instanceof CoordinatorEvent.CycleBegan c) {
      node.put("event", "cycle_began");
      node.put("cycleId", c.cycleId());
      node.put("deadline", c.deadline().toString());
    } else if (e instanceof CoordinatorEvent.Decided d) {
      node.put("event", "decided");
      node.set("decision", decision(d.decision()));
      node.put("enqueued", d.enqueued());
    } else if (e instanceof CoordinatorEvent.NothingToDo n) {
      node.put("event", "nothing_to_do");
      node.put("reason", n.reason());
    } else if (e instanceof CoordinatorEvent.TaskStarted t) {
      node.put("event", "task_started");
      node.set("task", task(t.task()));
      node.put("agentId", t.agentId());
      node.put("branch", t.branch());
      node.put("sessionId", t.sessionId());
    } else if (e instanceof CoordinatorEvent.TaskEnded t) {
      node.put("event", "task_ended");
      node.set("task", task(t.task()));
      node.put("outcome", t.outcome().key());
      node.put("reason", t.reason());
      put(node, "prUrl", t.prUrl());
    } else if (e instanceof CoordinatorEvent.AgentParked p) {
      node.put("event", "agent_parked");
      node.put("agentId", p.agentId());
      node.put("until", p.until().toString());
      node.put("reason", p.reason());
    } else if (e instanceof CoordinatorEvent.LimitWarning w) {
      node.put("event", "limit_warning");
      node.put("message", w.message());
    } else if (e instanceof CoordinatorEvent.CycleEnded c) {
      node.put("event", "cycle_ended");
      node.put("cycleId", c.cycleId());
      node.put("tasksRun", c.tasksRun());
      put(node, "report", c.report());
    }
    node.put("at", e.at().toString());
    return node;
  }

  /** A decision with its rationale and signals. */
  public static ObjectNode decision(Decision d) {
    ObjectNode node = object();
    node.put("title", d.title());
    node.put("prompt", d.prompt());
    node.put("agentId", d.agentId());
    node.put("priority", lower(d.priority()));
    node.put("path", d.path().key());
    put(node, "targetFile", d.targetFile());
    node.put("rationale", d.rationale());
    node.put("confidence", d.confidence());
    ArrayNode signals = node.putArray("signals");
    for (Signal s : d.signals()) {
      signals.addObject().put("name", s.name()).put("value", s.value()).put("weight", s.weight());
    }
    node.put("estimatedDurationSec", d.estimatedDuration().toSeconds());
    node.set("metadata", map(d.metadata()));
    return node;
  }

  /** A recorded decision. */
  public static ObjectNode decisionRecord(DecisionRecord r) {
    ObjectNode node = object();
    node.put("at", r.at().toString());
    node.put("enqueued", r.enqueued());
    node.set("decision", decision(r.decision()));
    return node;
  }

  // ------------------------------------------------------------------ queue

  /** A task snapshot. */
  public static ObjectNode task(Task t) {
    ObjectNode node = object();
    node.put("id", t.id().value());
    node.put("shortId", t.id().shortId());
    node.put("title", t.title());
    node.put("prompt", t.prompt());
    put(node, "agentId", t.agentId());
    node.put("priority", lower(t.priority()));
    node.put("opHash", t.opHash());
    node.put("status", lower(t.status()));
    node.put("attempts", t.attempts());
    node.put("maxAttempts", t.maxAttempts());
    put(node, "workerId", t.workerId());
    put(node, "leaseExpiresAt", t.leaseExpiresAt());
    node.put("createdAt", t.createdAt().toString());
    node.put("updatedAt", t.updatedAt().toString());
    put(node, "startedAt", t.startedAt());
    put(node, "finishedAt", t.finishedAt());
    put(node, "lastError", t.lastError());
    node.set("metadata", map(t.metadata()));
    return node;
  }

  /** One change to a task. */
  public static ObjectNode taskEvent(TaskEvent e) {
    ObjectNode node = object();
    node.put("sequence", e.sequence());
    node.put("taskId", e.taskId().value());
    node.put("at", e.at().toString());
    node.put("actor", e.actor());
    node.put("event", lower(e.type()));
    put(node, "from", e.from());
    node.put("to", lower(e.to()));
    node.put("reason", e.reason());
    return node;
  }

  /** A page of tasks. */
  public static ObjectNode taskPage(Page<Task> page) {
    ObjectNode node = object();
    ArrayNode items = node.putArray("items");
    page.items().forEach(t -> items.add(task(t)));
    node.put("total", page.total());
    node.put("offset", page.offset());
    node.put("hasMore", page.hasMore());
    return node;
  }

  // ------------------------------------------------------------------ reports

  /** A report file of the list. */
  public static ObjectNode report(ReportFile r) {
    ObjectNode node = object();
    node.put("name", r.name());
    node.put("format", r.format());
    node.put("modified", r.modified().toString());
    node.put("size", r.size());
    return node;
  }
}
