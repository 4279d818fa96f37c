package dev.overnight.core.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleRecord;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The morning report as JSON, for scripts: the same facts as the Markdown, with raw values
 * (ISO-8601 instants, seconds, lower-case statuses) instead of formatted text, and snake_case keys
 * like every other {@code --json} output of Overnight.
 */
final class ReportJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  static String render(MorningReport r) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("config_id", r.configId());
    root.put("from", r.from().toString());
    root.put("to", r.to().toString());
    root.put("zone", r.zone().getId());
    ObjectNode counts = root.putObject("counts");
    Map<TaskStatus, Long> byStatus = r.countByStatus();
    for (TaskStatus s : TaskStatus.values()) {
      counts.put(lower(s.name()), byStatus.getOrDefault(s, 0L));
    }
    ObjectNode usage = root.putObject("usage");
    usage.put("agent_seconds", r.total(TaskFacts.AGENT_SECONDS));
    usage.put("tokens", r.total(TaskFacts.TOKENS));
    usage.put("cost_usd", r.totalCost());
    var tasks = root.putArray("tasks");
    for (Task t : r.tasks()) {
      ObjectNode n = tasks.addObject();
      n.put("id", t.id().value());
      n.put("title", t.title());
      n.put("status", lower(t.status().name()));
      n.put("attempts", t.attempts());
      n.put("agent", t.fact(TaskFacts.AGENT).or(t::agentId).orElse(null));
      put(n, "branch", t.fact(TaskFacts.BRANCH));
      put(n, "pr_url", t.fact(TaskFacts.PR_URL));
      put(n, "pr_note", t.fact(TaskFacts.PR_NOTE));
      put(n, "gate", t.fact(TaskFacts.GATE));
      put(n, "last_error", t.lastError());
      put(n, "started_at", t.startedAt().map(Instant::toString));
      put(n, "finished_at", t.finishedAt().map(Instant::toString));
      var setbacks = n.putArray("setbacks");
      r.setbacks().getOrDefault(t.id(), List.of()).forEach(setbacks::add);
      ObjectNode metadata = n.putObject("metadata");
      t.metadata().forEach(metadata::put);
    }
    var cycles = root.putArray("cycles");
    for (CycleRecord c : r.cycles()) {
      ObjectNode n = cycles.addObject();
      n.put("cycle_id", c.cycleId());
      n.put("planned_at", c.plannedAt().toString());
      put(n, "started_at", c.startedAt().map(Instant::toString));
      put(n, "finished_at", c.finishedAt().map(Instant::toString));
      n.put("outcome", lower(c.outcome().name()));
      put(n, "skip_reason", c.skipReason().map(s -> s.key()));
      c.notes().forEach(n.putArray("notes")::add);
      n.put("catch_up", c.catchUp());
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void put(ObjectNode n, String key, Optional<String> value) {
    if (value.isPresent()) {
      n.put(key, value.get());
    } else {
      n.putNull(key);
    }
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
