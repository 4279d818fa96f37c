package dev.overnight.core.json.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerMetrics;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.api.schedule.WakeReceipt;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical JSON of the scheduler: its cycles, events, state, metrics and constraint checks.
 */
public final class ScheduleShapes {
  private ScheduleShapes() {}

  /** One planned cycle of the history. */
  public static ObjectNode cycle(CycleRecord c) {
    ObjectNode node = Nodes.object();
    node.put("cycle_id", c.cycleId());
    node.put("scheduler_id", c.schedulerId());
    Nodes.instant(node, "planned_at", c.plannedAt());
    Nodes.instant(node, "started_at", c.startedAt());
    Nodes.instant(node, "finished_at", c.finishedAt());
    node.put("outcome", Nodes.key(c.outcome()));
    c.skipReason().ifPresent(r -> node.put("skip_reason", r.key()));
    node.set("notes", Nodes.texts(c.notes()));
    node.put("catch_up", c.catchUp());
    node.set("receipt", receipt(c.receipt()));
    return node;
  }

  /** A wake's receipt: its verdict, the reason when it did not fire, and the detail in words. */
  public static ObjectNode receipt(WakeReceipt r) {
    ObjectNode node = Nodes.object();
    node.put("verdict", r.verdict().key());
    r.reason().ifPresent(reason -> node.put("reason", reason.key()));
    if (!r.detail().isEmpty()) {
      node.put("detail", r.detail());
    }
    return node;
  }

  /** Cycles, in their order. */
  public static ArrayNode cycles(List<CycleRecord> records) {
    ArrayNode array = Nodes.array();
    records.forEach(c -> array.add(cycle(c)));
    return array;
  }

  /** A scheduler state: its name, plus the next wake when running or the pause's reason. */
  public static ObjectNode state(SchedulerState state) {
    ObjectNode node = Nodes.object();
    node.put("name", state.name());
    if (state instanceof SchedulerState.Running r) {
      Nodes.instant(node, "next_wake", r.nextWake());
    } else if (state instanceof SchedulerState.Paused p) {
      node.put("reason", p.reason());
      Nodes.instant(node, "retry_at", p.retryAt());
    }
    return node;
  }

  /** Constraint results by checker name, in the map's order. */
  public static ObjectNode constraints(Map<String, ConstraintResult> results) {
    ObjectNode node = Nodes.object();
    results.forEach(
        (name, r) ->
            node.putObject(name).put("status", Nodes.key(r.status())).put("reason", r.reason()));
    return node;
  }

  /** The scheduler's counters, with the original design's snake_case keys. */
  public static ObjectNode metrics(SchedulerMetrics m) {
    ObjectNode node = Nodes.object();
    node.put("cycle_count", m.cycleCount());
    node.put("state", m.state());
    Nodes.instant(node, "last_run_time", m.lastRunTime());
    m.secondsSinceLastRun().ifPresent(s -> node.put("seconds_since_last_run", s));
    ObjectNode skipped = node.putObject("skipped_by_reason");
    for (Map.Entry<SkipReason, Long> e : m.skippedByReason().entrySet()) {
      skipped.put(e.getKey().key(), e.getValue());
    }
    node.put("total_cycle_time_ms", m.totalCycleTime().toMillis());
    return node;
  }

  /** A scheduler event: {@code kind} names what happened, then its fields and {@code at}. */
  public static ObjectNode schedulerEvent(SchedulerEvent e) {
    ObjectNode node = Nodes.object();
    if (e instanceof SchedulerEvent.StateChanged s) {
      node.put("kind", "state_changed");
      node.set("from", state(s.from()));
      node.set("to", state(s.to()));
    } else if (e instanceof SchedulerEvent.ConstraintsChecked c) {
      node.put("kind", "constraints_checked");
      node.set("results", constraints(new TreeMap<>(c.results())));
      node.put("satisfied", c.satisfied());
    } else if (e instanceof SchedulerEvent.CycleStarted c) {
      node.put("kind", "cycle_started");
      node.put("cycle_id", c.cycleId());
      Nodes.instant(node, "planned_at", c.plannedAt());
      node.put("catch_up", c.catchUp());
    } else if (e instanceof SchedulerEvent.CycleFinished c) {
      node.put("kind", "cycle_finished");
      node.put("cycle_id", c.cycleId());
      node.put("duration_ms", c.duration().toMillis());
      Nodes.text(node, "error", c.error());
    } else if (e instanceof SchedulerEvent.CycleSkipped c) {
      node.put("kind", "cycle_skipped");
      Nodes.instant(node, "planned_at", c.plannedAt());
      node.put("reason", c.reason().key());
      node.put("detail", c.detail());
    } else if (e instanceof SchedulerEvent.Paused p) {
      node.put("kind", "paused");
      node.put("reason", p.reason());
      Nodes.instant(node, "retry_at", p.retryAt());
    } else if (e instanceof SchedulerEvent.Resumed) {
      node.put("kind", "resumed");
    }
    Nodes.instant(node, "at", e.at());
    return node;
  }
}
