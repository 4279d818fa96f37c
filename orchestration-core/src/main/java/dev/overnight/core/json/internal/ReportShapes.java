package dev.overnight.core.json.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.report.MachineCounts;
import dev.overnight.core.report.MorningReport;
import dev.overnight.core.report.NightAlarm;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON of the morning report: the same facts as its Markdown, as raw values, built
 * from the canonical task and cycle shapes.
 */
public final class ReportShapes {
  private ReportShapes() {}

  /** The report: period, counts by status, usage, tasks with their setbacks, and cycles. */
  public static ObjectNode report(MorningReport r) {
    ObjectNode root = Nodes.object();
    root.put("config_id", r.configId());
    Nodes.instant(root, "from", r.from());
    Nodes.instant(root, "to", r.to());
    root.put("zone", r.zone().getId());
    ObjectNode counts = root.putObject("counts");
    Map<TaskStatus, Long> byStatus = r.countByStatus();
    for (TaskStatus s : TaskStatus.values()) {
      counts.put(Nodes.key(s), byStatus.getOrDefault(s, 0L));
    }
    ObjectNode usage = root.putObject("usage");
    usage.put("agent_seconds", r.total(TaskFacts.AGENT_SECONDS));
    usage.put("tokens", r.total(TaskFacts.TOKENS));
    usage.put("cost_usd", r.totalCost());
    root.set("tasks", TaskShapes.tasks(r.tasks()));
    ObjectNode setbacks = root.putObject("setbacks");
    r.setbacks().entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(TaskId::value)))
        .filter(e -> !e.getValue().isEmpty())
        .forEach(e -> setbacks.set(e.getKey().value(), Nodes.texts(e.getValue())));
    root.set("cycles", ScheduleShapes.cycles(r.cycles()));
    if (!r.alarms().isEmpty()) {
      root.set("alarms", alarms(r.alarms()));
    }
    if (!r.quota().isEmpty()) {
      root.set("quota", quotaWindows(r.quota()));
    }
    if (!r.fleet().isEmpty()) {
      ArrayNode fleet = root.putArray("fleet");
      for (MachineCounts m : r.fleet()) {
        ObjectNode node = fleet.addObject();
        node.put("machine", m.machine());
        ObjectNode theirs = node.putObject("counts");
        for (TaskStatus s : TaskStatus.values()) {
          theirs.put(Nodes.key(s), m.count(s));
        }
      }
    }
    return root;
  }

  /** Usage windows of the quota ledger: agent, start, reset, tokens used and the limit. */
  public static ArrayNode quotaWindows(List<QuotaWindow> windows) {
    ArrayNode quota = Nodes.array();
    for (QuotaWindow w : windows) {
      ObjectNode node = quota.addObject();
      node.put("agent_id", w.agentId());
      Nodes.instant(node, "start", w.start());
      Nodes.instant(node, "resets_at", w.resetsAt());
      node.put("used_tokens", w.usedTokens());
      w.limitTokens().ifPresent(l -> node.put("limit_tokens", l));
      node.put("exhausted", w.exhausted());
    }
    return quota;
  }

  /** Night alarms: kind, the nights they cover and the message. */
  public static ArrayNode alarms(List<NightAlarm> alarms) {
    ArrayNode array = Nodes.array();
    for (NightAlarm a : alarms) {
      ObjectNode node = array.addObject();
      node.put("kind", a.kind().key());
      ArrayNode nights = node.putArray("nights");
      a.nights().forEach(n -> nights.add(n.toString()));
      node.put("message", a.message());
    }
    return array;
  }
}
