package dev.overnight.spring.boot.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.Availability;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.runtime.OvernightRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the Actuator health indicator and endpoint report about a runtime, as plain maps of strings,
 * numbers, booleans and lists, so that either Boot line's JSON writer renders them alike.
 *
 * <p>Stateless and thread-safe. Every method asks the runtime now: the queue and store with a count
 * query per status, the agents with their availability checks (which may start a process).
 */
public final class RuntimeStatus {

  /** How the runtime is doing, for a health indicator. */
  public enum Level {
    /** Working, or ready to. */
    UP,
    /** It cannot work: it stopped by itself, or its store cannot be read. */
    DOWN,
    /** It runs, but no agent is available to do the work. */
    UNKNOWN
  }

  /**
   * A health check's outcome.
   *
   * @param level the status
   * @param details what it was judged on
   */
  public record Health(Level level, Map<String, Object> details) {
    /** Copies the details. */
    public Health {
      details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
  }

  private static final ObjectMapper JSON = OvernightJson.mapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private RuntimeStatus() {}

  /** Scheduler state, store reachable, agents available. */
  public static Health health(OvernightRuntime runtime) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("config", runtime.config().id());
    details.put("scheduler", schedulerState(runtime.scheduler().state()));
    Level level = Level.UP;
    if (runtime.fatalError().isPresent()) {
      details.put("error", runtime.fatalError().get().getMessage());
      level = Level.DOWN;
    }
    try {
      details.put("queue", queue(runtime.taskQueue()));
      details.put("store", "reachable");
    } catch (RuntimeException e) {
      details.put("store", "unreachable: " + e.getMessage());
      level = Level.DOWN;
    }
    Map<String, Availability> agents = runtime.coordinator().agentAvailability();
    List<String> available = new ArrayList<>();
    Map<String, String> unavailable = new LinkedHashMap<>();
    agents.forEach(
        (id, a) -> {
          if (a.available()) {
            available.add(id);
          } else {
            unavailable.put(id, a.reason() + a.remedy().map(r -> " (" + r + ")").orElse(""));
          }
        });
    details.put("agents", available);
    if (!unavailable.isEmpty()) {
      details.put("unavailableAgents", unavailable);
    }
    if (level == Level.UP && available.isEmpty()) {
      level = Level.UNKNOWN;
    }
    return new Health(level, details);
  }

  /** The scheduler's state, counters and next wake, the queue by status and the agents. */
  public static Map<String, Object> status(OvernightRuntime runtime) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("config", runtime.config().id());
    status.put("workspace", runtime.config().workspaceRoot().value());
    status.put("stateDir", runtime.paths().root().toString());
    status.put("scheduler", schedulerState(runtime.scheduler().state()));
    runtime.scheduler().nextWake().ifPresent(w -> status.put("nextWake", w.toString()));
    status.put("metrics", json(runtime.scheduler().metrics().toJson()));
    runtime.fatalError().ifPresent(e -> status.put("error", e.getMessage()));
    status.put("queue", queue(runtime.taskQueue()));
    Map<String, Object> agents = new LinkedHashMap<>();
    runtime
        .coordinator()
        .agentAvailability()
        .forEach(
            (id, a) -> {
              Map<String, Object> one = new LinkedHashMap<>();
              one.put("available", a.available());
              one.put("reason", a.reason());
              a.remedy().ifPresent(r -> one.put("remedy", r));
              agents.put(id, one);
            });
    status.put("agents", agents);
    return status;
  }

  /** What the runtime would work on next if its queue ran dry, and why. */
  public static Map<String, Object> plan(OvernightRuntime runtime) {
    return json(runtime.plan().toJson());
  }

  /** The number of tasks in each status. */
  public static Map<String, Long> queue(TaskQueue queue) {
    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (TaskStatus status : TaskStatus.values()) {
      byStatus.put(
          status.name().toLowerCase(Locale.ROOT),
          queue.list(TaskFilter.withStatus(status).page(0, 1)).total());
    }
    return byStatus;
  }

  private static Map<String, Object> schedulerState(SchedulerState state) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("state", state.name());
    if (state instanceof SchedulerState.Running running) {
      out.put("nextWake", running.nextWake().toString());
    } else if (state instanceof SchedulerState.Paused paused) {
      out.put("reason", paused.reason());
      out.put("retryAt", paused.retryAt().toString());
    }
    return out;
  }

  private static Map<String, Object> json(String text) {
    try {
      return JSON.readValue(text, MAP);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Overnight wrote JSON it cannot read back: " + e, e);
    }
  }
}
