package dev.overnight.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.fleet.Labels;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.IllegalTransitionException;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskNotFoundException;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.fleet.FleetStatus;
import dev.overnight.core.fleet.WorkerLookup;
import dev.overnight.core.fleet.WorkerPresence;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.report.NightAlarm;
import dev.overnight.server.DaemonPresence;
import dev.overnight.server.DashboardBackend;
import dev.overnight.server.SessionSummary;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP JSON API, independent of the HTTP server: a method, a path, query parameters and a body
 * in; a JSON document out, or an {@link ApiException} with the status to answer.
 *
 * <pre>
 * GET  /api                        the list of endpoints
 * GET  /api/status                 scheduler state, next wake, metrics, constraints, coordinator
 * GET  /api/tasks                  ?status=pending,failed&amp;agent=ID&amp;offset=0&amp;limit=50
 * POST /api/tasks                  {"prompt", "title", "agent", "priority", "on", "require"}: queue a
 *                                  task, for one machine ({@code on}: its name or worker id) or
 *                                  those carrying labels ({@code require})
 * GET  /api/tasks/{id}             the task and its events
 * POST /api/tasks/{id}/cancel      {"reason": "..."}
 * POST /api/tasks/{id}/retry       {"reason": "..."}
 * GET  /api/sessions               recent sessions
 * GET  /api/sessions/{id}          a session and its retained updates
 * GET  /api/decisions              recent decisions with their rationale
 * GET  /api/cycles                 ?limit=50: the schedule's recent cycles, newest first
 * GET  /api/reports                the morning reports
 * GET  /api/reports/{name}         one report's content
 * GET  /api/fleet                  the machines sharing the store, and the queue by label
 * POST /api/run-now                {"started": true|false}
 * POST /api/pause                  {"reason": "..."}
 * POST /api/resume
 * </pre>
 *
 * <p>Run now, pause and resume answer 409 with the reason when no daemon behind the dashboard can
 * take them ({@link DashboardBackend#daemon()}).
 *
 * <p>{@code HEAD} is answered wherever {@code GET} is, with the same status and headers.
 */
public final class ApiRoutes {
  private static final Pattern TASK = Pattern.compile("/api/tasks/([^/]+)");
  private static final Pattern TASK_ACTION = Pattern.compile("/api/tasks/([^/]+)/(cancel|retry)");
  private static final Pattern SESSION = Pattern.compile("/api/sessions/([^/]+)");
  private static final Pattern REPORT = Pattern.compile("/api/reports/([^/]+)");
  private static final List<String> ENDPOINTS =
      List.of(
          "GET /api/status",
          "GET /api/tasks?status=&agent=&offset=&limit=",
          "POST /api/tasks",
          "GET /api/tasks/{id}",
          "POST /api/tasks/{id}/cancel",
          "POST /api/tasks/{id}/retry",
          "GET /api/sessions",
          "GET /api/sessions/{id}",
          "GET /api/decisions",
          "GET /api/cycles?limit=",
          "GET /api/reports",
          "GET /api/reports/{name}",
          "GET /api/fleet",
          "POST /api/run-now",
          "POST /api/pause",
          "POST /api/resume");

  /** The most cycles one request returns. */
  private static final int MAX_CYCLES = 500;

  private final DashboardBackend backend;
  private final Supplier<Integer> clients;
  private final InstantSource clock;

  /**
   * Routes over a backend.
   *
   * @param backend what the API reads and controls
   * @param clients how many WebSocket clients are connected, for the status
   * @param clock the server's clock, whose time the status reports so a page can tell how long ago
   *     something happened on the night's clock, which may not be the browser's
   */
  public ApiRoutes(DashboardBackend backend, Supplier<Integer> clients, InstantSource clock) {
    this.backend = backend;
    this.clients = clients;
    this.clock = clock;
  }

  /** A parsed request. */
  public interface Query {
    /** A query parameter's value, if present. */
    Optional<String> get(String name);
  }

  /**
   * Answers one API request.
   *
   * @param method the HTTP method
   * @param path the decoded path, starting with {@code /api}
   * @param query the query parameters
   * @param body the request body, read on demand
   * @throws ApiException with the status to answer when the request cannot be served
   */
  public JsonNode handle(String method, String path, Query query, Supplier<String> body) {
    try {
      // The HTTP server leaves out the body of an answer to HEAD.
      return route(method.equals("HEAD") ? "GET" : method, path, query, body);
    } catch (TaskNotFoundException e) {
      throw new ApiException(404, e.getMessage());
    } catch (IllegalTransitionException e) {
      throw new ApiException(409, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
  }

  private JsonNode route(String method, String path, Query query, Supplier<String> body) {
    String p =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    Matcher m;
    switch (p) {
      case "/api":
        expect(method, "GET");
        ObjectNode index = Json.object();
        ArrayNode list = index.putArray("endpoints");
        ENDPOINTS.forEach(list::add);
        return index;
      case "/api/status":
        expect(method, "GET");
        return status();
      case "/api/tasks":
        if (method.equals("POST")) {
          return enqueue(Json.read(body.get()));
        }
        expect(method, "GET, POST");
        return OvernightJson.taskPage(backend.taskQueue().list(filter(query)));
      case "/api/fleet":
        expect(method, "GET");
        return OvernightJson.fleet(
            FleetStatus.read(
                backend.workers(),
                backend.taskQueue(),
                clock.instant(),
                WorkerPresence.OFFLINE_AFTER));
      case "/api/sessions":
        expect(method, "GET");
        ArrayNode sessions = OvernightJson.array();
        backend.sessions().forEach(s -> sessions.add(Json.session(s)));
        return wrap("sessions", sessions);
      case "/api/decisions":
        expect(method, "GET");
        ArrayNode decisions = OvernightJson.array();
        backend.decisions().forEach(d -> decisions.add(Json.decisionRecord(d)));
        return wrap("decisions", decisions);
      case "/api/cycles":
        expect(method, "GET");
        int limit = integer(query, "limit", 50);
        if (limit < 1 || limit > MAX_CYCLES) {
          throw new ApiException(400, "limit must be 1.." + MAX_CYCLES + ", was " + limit);
        }
        return wrap("cycles", OvernightJson.cycles(backend.cycles(limit)));
      case "/api/reports":
        expect(method, "GET");
        ArrayNode reports = OvernightJson.array();
        backend.reports().forEach(r -> reports.add(Json.report(r)));
        return wrap("reports", reports);
      case "/api/run-now":
        expect(method, "POST");
        requireDaemon();
        ObjectNode started = Json.object();
        started.put("started", backend.runNow());
        return started;
      case "/api/pause":
        expect(method, "POST");
        requireDaemon();
        String reason = text(Json.read(body.get()), "reason").orElse("paused from the dashboard");
        backend.pause(reason);
        return status();
      case "/api/resume":
        expect(method, "POST");
        requireDaemon();
        backend.resume();
        return status();
      default:
        break;
    }
    if ((m = TASK_ACTION.matcher(p)).matches()) {
      expect(method, "POST");
      TaskId id = TaskId.of(m.group(1));
      Optional<String> reason = text(Json.read(body.get()), "reason");
      Task task =
          m.group(2).equals("cancel")
              ? backend.cancelTask(id, reason.orElse("cancelled from the dashboard"))
              : backend.retryTask(id, reason.orElse("retried from the dashboard"));
      return OvernightJson.task(task);
    }
    if ((m = TASK.matcher(p)).matches()) {
      expect(method, "GET");
      TaskId id = TaskId.of(m.group(1));
      Task task = backend.taskQueue().get(id).orElseThrow(() -> new TaskNotFoundException(id));
      ObjectNode node = Json.object();
      node.set("task", OvernightJson.task(task));
      node.set("events", OvernightJson.taskEvents(backend.taskQueue().events(id)));
      return node;
    }
    if ((m = SESSION.matcher(p)).matches()) {
      expect(method, "GET");
      String id = m.group(1);
      Optional<SessionSummary> summary =
          backend.sessions().stream().filter(s -> s.sessionId().equals(id)).findFirst();
      List<SessionEvent> history = backend.sessionEvents(id);
      if (summary.isEmpty() && history.isEmpty()) {
        throw new ApiException(404, "no session " + id);
      }
      ObjectNode node = Json.object();
      summary.ifPresent(s -> node.set("session", Json.session(s)));
      ArrayNode events = node.putArray("events");
      history.forEach(e -> events.add(OvernightJson.sessionEvent(e)));
      return node;
    }
    if ((m = REPORT.matcher(p)).matches()) {
      expect(method, "GET");
      String name = m.group(1);
      String content =
          backend.readReport(name).orElseThrow(() -> new ApiException(404, "no report " + name));
      ObjectNode node = Json.object();
      node.put("name", name);
      node.put("format", ReportFolder.formatOf(name).orElse("text"));
      node.put("content", content);
      return node;
    }
    throw new ApiException(404, "no such endpoint: " + method + " " + path);
  }

  private ObjectNode status() {
    ObjectNode status = Json.status(backend.status());
    status.set("daemon", Json.daemon(backend.daemon()));
    List<NightAlarm> alarms = backend.alarms();
    if (!alarms.isEmpty()) {
      status.set("alarms", OvernightJson.alarms(alarms));
    }
    List<QuotaWindow> quota = backend.quotaWindows();
    if (!quota.isEmpty()) {
      status.set("quota", OvernightJson.quotaWindows(quota));
    }
    status
        .putObject("server")
        .put("clients", clients.get())
        .put("time", clock.instant().toString());
    return status;
  }

  /** Refuses a control no daemon can take, saying why, instead of pretending it was done. */
  private void requireDaemon() {
    DaemonPresence daemon = backend.daemon();
    if (!daemon.controls()) {
      throw new ApiException(409, daemon.note().orElse("no daemon takes this control"));
    }
  }

  private static ObjectNode wrap(String key, ArrayNode items) {
    ObjectNode node = Json.object();
    node.set(key, items);
    return node;
  }

  private static void expect(String method, String allowed) {
    if (!List.of(allowed.split(", ")).contains(method)) {
      throw ApiException.methodNotAllowed(
          allowed.startsWith("GET") ? allowed.replace("GET", "GET, HEAD") : allowed);
    }
  }

  /**
   * Queues the task a request describes; {@code on} names one machine (its {@code worker:} label is
   * required), {@code require} lists labels. A bad field is a 400 naming it.
   */
  private ObjectNode enqueue(JsonNode request) {
    String prompt =
        text(request, "prompt").orElseThrow(() -> new ApiException(400, "prompt is required"));
    TaskSpec.Builder b = TaskSpec.builder(prompt).metadata("source", "dashboard");
    text(request, "title").ifPresent(b::title);
    text(request, "agent").ifPresent(b::agentId);
    Optional<String> priority = text(request, "priority");
    if (priority.isPresent()) {
      try {
        b.priority(TaskPriority.valueOf(priority.get().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "priority must be high, medium or low, was " + priority.get());
      }
    }
    List<String> labels = new java.util.ArrayList<>();
    JsonNode require = request.get("require");
    if (require != null && !require.isNull()) {
      if (!require.isArray()) {
        throw new ApiException(400, "require must be a list of labels");
      }
      for (JsonNode label : require) {
        if (!label.isTextual()) {
          throw new ApiException(400, "require must be a list of labels");
        }
        if (!label.asText().isBlank()) {
          labels.add(label.asText().strip());
        }
      }
    }
    text(request, "on")
        .ifPresent(
            on ->
                labels.add(
                    Labels.worker(
                        WorkerLookup.resolve(
                            backend.workers().workers(),
                            on,
                            clock.instant(),
                            WorkerPresence.OFFLINE_AFTER))));
    EnqueueResult result = backend.enqueueTask(b.requiredLabels(labels).build());
    ObjectNode node = Json.object();
    node.put("created", result.created());
    node.set("task", OvernightJson.task(result.task()));
    return node;
  }

  private static Optional<String> text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    return value != null && value.isTextual() && !value.asText().isBlank()
        ? Optional.of(value.asText().strip())
        : Optional.empty();
  }

  static TaskFilter filter(Query query) {
    Set<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);
    query
        .get("status")
        .filter(s -> !s.isBlank())
        .ifPresent(
            s -> {
              for (String name : s.split(",")) {
                try {
                  statuses.add(TaskStatus.valueOf(name.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                  throw new ApiException(400, "unknown task status: " + name.strip());
                }
              }
            });
    int offset = integer(query, "offset", 0);
    int limit = integer(query, "limit", 50);
    Optional<String> agent = query.get("agent").filter(a -> !a.isBlank());
    return new TaskFilter(statuses, agent, offset, limit);
  }

  private static int integer(Query query, String name, int fallback) {
    Optional<String> value = query.get(name);
    if (value.isEmpty() || value.get().isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.get().strip());
    } catch (NumberFormatException e) {
      throw new ApiException(400, name + " must be a whole number, was " + value.get());
    }
  }
}
