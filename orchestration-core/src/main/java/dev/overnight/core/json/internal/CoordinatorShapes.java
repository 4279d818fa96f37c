package dev.overnight.core.json.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.Signal;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.CoordinatorMetrics;

/** The canonical JSON of the coordinator: its events, its counters and the decisions it acts on. */
public final class CoordinatorShapes {
  private CoordinatorShapes() {}

  /** A decision with its rationale, signals and the operation hash its task will carry. */
  public static ObjectNode decision(Decision d) {
    ObjectNode node = Nodes.object();
    node.put("title", d.title());
    node.put("prompt", d.prompt());
    node.put("agent_id", d.agentId());
    node.put("priority", Nodes.key(d.priority()));
    node.put("path", d.path().key());
    Nodes.text(node, "target_file", d.targetFile());
    node.put("rationale", d.rationale());
    node.put("confidence", d.confidence());
    ArrayNode signals = node.putArray("signals");
    for (Signal s : d.signals()) {
      signals.addObject().put("name", s.name()).put("value", s.value()).put("weight", s.weight());
    }
    node.put("estimated_duration_sec", d.estimatedDuration().toSeconds());
    node.put("op_hash", d.toTaskSpec().opHash());
    node.set("metadata", Nodes.texts(d.metadata()));
    return node;
  }

  /** The coordinator's counters. */
  public static ObjectNode metrics(CoordinatorMetrics m) {
    ObjectNode node = Nodes.object();
    node.put("cycles_run", m.cyclesRun());
    node.put("tasks_executed", m.tasksExecuted());
    node.put("tasks_completed", m.tasksCompleted());
    node.put("tasks_failed", m.tasksFailed());
    node.put("tasks_retried", m.tasksRetried());
    node.put("tasks_released", m.tasksReleased());
    node.put("tasks_cancelled", m.tasksCancelled());
    node.put("decisions", m.decisions());
    node.put("agent_seconds", m.agentSeconds());
    node.put("tokens", m.tokens());
    Nodes.number(node, "cost_usd", m.costUsd());
    return node;
  }

  /** A coordinator event: {@code kind} names what happened, then its fields and {@code at}. */
  public static ObjectNode coordinatorEvent(CoordinatorEvent e) {
    ObjectNode node = Nodes.object();
    if (e instanceof CoordinatorEvent.CycleBegan c) {
      node.put("kind", "cycle_began");
      node.put("cycle_id", c.cycleId());
      Nodes.instant(node, "deadline", c.deadline());
    } else if (e instanceof CoordinatorEvent.Decided d) {
      node.put("kind", "decided");
      node.set("decision", decision(d.decision()));
      node.put("enqueued", d.enqueued());
    } else if (e instanceof CoordinatorEvent.NothingToDo n) {
      node.put("kind", "nothing_to_do");
      node.put("reason", n.reason());
    } else if (e instanceof CoordinatorEvent.TaskStarted t) {
      node.put("kind", "task_started");
      node.set("task", TaskShapes.task(t.task()));
      node.put("agent_id", t.agentId());
      node.put("branch", t.branch());
      node.put("session_id", t.sessionId());
    } else if (e instanceof CoordinatorEvent.TaskEnded t) {
      node.put("kind", "task_ended");
      node.set("task", TaskShapes.task(t.task()));
      node.put("outcome", t.outcome().key());
      node.put("reason", t.reason());
      Nodes.text(node, "pr_url", t.prUrl());
    } else if (e instanceof CoordinatorEvent.AgentParked p) {
      node.put("kind", "agent_parked");
      node.put("agent_id", p.agentId());
      Nodes.instant(node, "until", p.until());
      node.put("reason", p.reason());
    } else if (e instanceof CoordinatorEvent.LimitWarning w) {
      node.put("kind", "limit_warning");
      node.put("message", w.message());
    } else if (e instanceof CoordinatorEvent.CycleEnded c) {
      node.put("kind", "cycle_ended");
      node.put("cycle_id", c.cycleId());
      node.put("tasks_run", c.tasksRun());
      Nodes.text(node, "report", c.report());
    } else if (e instanceof CoordinatorEvent.PullRequestChanged p) {
      node.put("kind", "pull_request_changed");
      node.set("task", TaskShapes.task(p.task()));
      node.put("state", p.state());
      node.put("pr_url", p.prUrl());
    }
    Nodes.instant(node, "at", e.at());
    return node;
  }
}
