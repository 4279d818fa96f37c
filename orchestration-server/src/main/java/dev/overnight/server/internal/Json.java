package dev.overnight.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.Availability;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.server.DaemonPresence;
import dev.overnight.server.DashboardStatus;
import dev.overnight.server.DecisionRecord;
import dev.overnight.server.ReportFile;
import dev.overnight.server.SessionSummary;

/**
 * The HTTP API's and the WebSocket stream's JSON: the dashboard's own types (session list, status
 * panel, decision and report lists) in the same style as Overnight's canonical shapes, which they
 * embed ({@link OvernightJson}: tasks, events, decisions, metrics). snake_case keys, ISO-8601
 * instants, absent values left out. Stateless and thread-safe.
 */
public final class Json {
  private Json() {}

  /** A new empty object. */
  public static ObjectNode object() {
    return OvernightJson.object();
  }

  /** Serializes a tree on one line. */
  public static String write(JsonNode node) {
    return OvernightJson.write(node);
  }

  /** Parses a request body; an empty body is an empty object. */
  public static JsonNode read(String text) {
    if (text == null || text.isBlank()) {
      return object();
    }
    try {
      return OvernightJson.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** One session of the list. */
  public static ObjectNode session(SessionSummary s) {
    ObjectNode node = object();
    node.put("session_id", s.sessionId());
    node.put("agent_id", s.agentId());
    s.taskId().ifPresent(t -> node.put("task_id", t.value()));
    s.title().ifPresent(t -> node.put("title", t));
    node.put("started_at", s.startedAt().toString());
    node.put("last_update_at", s.lastUpdateAt().toString());
    node.put("updates", s.updates());
    node.put("active", s.active());
    return node;
  }

  /** The status panel. */
  public static ObjectNode status(DashboardStatus s) {
    ObjectNode node = object();
    node.set("scheduler", OvernightJson.schedulerState(s.state()));
    s.nextWake().ifPresent(w -> node.put("next_wake", w.toString()));
    node.set("metrics", OvernightJson.schedulerMetrics(s.metrics()));
    node.set("constraints", OvernightJson.constraints(s.constraints()));
    s.constraintsCheckedAt().ifPresent(t -> node.put("constraints_checked_at", t.toString()));
    s.coordinator().ifPresent(c -> node.set("coordinator", OvernightJson.coordinatorMetrics(c)));
    ObjectNode agents = node.putObject("agents");
    s.agents().forEach((id, a) -> agents.set(id, availability(a)));
    return node;
  }

  /** Whether a daemon is behind the dashboard and takes its controls. */
  public static ObjectNode daemon(DaemonPresence d) {
    ObjectNode node = object();
    node.put("running", d.running());
    node.put("controls", d.controls());
    d.note().ifPresent(n -> node.put("note", n));
    return node;
  }

  private static ObjectNode availability(Availability a) {
    ObjectNode node = object();
    node.put("available", a.available());
    node.put("reason", a.reason());
    a.remedy().ifPresent(r -> node.put("remedy", r));
    return node;
  }

  /** A recorded decision. */
  public static ObjectNode decisionRecord(DecisionRecord r) {
    ObjectNode node = object();
    node.put("at", r.at().toString());
    node.put("enqueued", r.enqueued());
    node.set("decision", OvernightJson.decision(r.decision()));
    return node;
  }

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
