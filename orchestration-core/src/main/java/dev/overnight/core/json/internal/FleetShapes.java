package dev.overnight.core.json.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.queue.TaskId;
import dev.overnight.core.fleet.FleetStatus;

/** The canonical JSON of a worker and of the fleet's status. */
public final class FleetShapes {
  private FleetShapes() {}

  /** One worker as it recorded itself. */
  public static ObjectNode worker(WorkerInfo w) {
    ObjectNode node = Nodes.object();
    node.put("id", w.id());
    node.put("name", w.name());
    node.set("labels", Nodes.texts(w.labels()));
    node.put("state", w.state().kind().key());
    node.set("unmet_constraints", Nodes.texts(w.state().unmet()));
    node.set("current_tasks", Nodes.texts(w.currentTasks().stream().map(TaskId::value).toList()));
    Nodes.instant(node, "last_heartbeat", w.lastHeartbeat());
    Nodes.instant(node, "started_at", w.startedAt());
    return node;
  }

  /** The fleet: its machines and its queue. */
  public static ObjectNode fleet(FleetStatus status) {
    ObjectNode node = Nodes.object();
    Nodes.instant(node, "at", status.at());
    node.put("offline_after_sec", status.offlineAfter().toSeconds());
    ArrayNode machines = node.putArray("machines");
    for (FleetStatus.Machine m : status.machines()) {
      ObjectNode machine = worker(m.worker());
      machine.put("offline", m.offline());
      Nodes.instant(machine, "offline_since", m.offlineSince());
      machines.add(machine);
    }
    ObjectNode queue = node.putObject("queue");
    ObjectNode byStatus = queue.putObject("by_status");
    status.queue().byStatus().forEach((s, n) -> byStatus.put(Nodes.key(s), n));
    ArrayNode byLabel = queue.putArray("live_by_label");
    status
        .queue()
        .liveByLabel()
        .forEach(
            (label, count) -> {
              ObjectNode row = byLabel.addObject();
              if (label.equals(FleetStatus.ANY_MACHINE)) {
                row.putNull("label");
              } else {
                row.put("label", label);
              }
              row.put("pending", count.pending());
              row.put("in_progress", count.inProgress());
            });
    return node;
  }
}
