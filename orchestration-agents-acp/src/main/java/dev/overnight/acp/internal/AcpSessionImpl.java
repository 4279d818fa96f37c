package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.acp.AcpAgentSession;
import dev.overnight.api.Cancellable;
import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentCrashedException;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.AgentProtocolException;
import dev.overnight.api.agent.AgentTimeoutException;
import dev.overnight.api.agent.AgentUnavailableException;
import dev.overnight.api.agent.AuthenticationRequiredException;
import dev.overnight.api.agent.McpServer;
import dev.overnight.api.agent.PermissionDecision;
import dev.overnight.api.agent.PermissionOption;
import dev.overnight.api.agent.PermissionRequest;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.ToolKind;
import dev.overnight.api.agent.Usage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ACP session: the agent process, the connection, the client side of the protocol (start-up,
 * prompts, cancel, modes) and the agent-to-client services (permissions, files, terminals), with
 * the budgets that keep an unattended turn from running away.
 *
 * <p>Failure model: anything that makes the session unusable (the agent exits, breaks the protocol,
 * or ignores a cancel past its grace period) is <i>fatal</i>: the cause is kept, every pending
 * request and the running turn fail with it, the update stream ends with it, and the process tree
 * is killed at once. A failed turn (an error answer to {@code session/prompt}) is not fatal. {@link
 * #close()} is the only way threads are released, and it always is.
 */
public final class AcpSessionImpl implements AcpAgentSession {
  private static final Logger LOG = LoggerFactory.getLogger(AcpSessionImpl.class);
  private static final int PROTOCOL_VERSION = 1;
  private static final int EARLY_UPDATES = 10_000;
  private static final int TOOL_CALLS_REMEMBERED = 1024;
  private static final Duration TERMINATE_GRACE = Duration.ofSeconds(2);
  private static final String CLIENT_VERSION =
      Optional.ofNullable(AcpSessionImpl.class.getPackage().getImplementationVersion())
          .orElse("0.1.0");

  private final ProviderSettings settings;
  private final SessionRequest request;
  private final String agentId;
  private final AgentProfile profile;
  private final Map<String, String> environment;
  private final List<String> argv;
  private final SessionThreads threads;
  private final ThreadPoolExecutor workers;
  private final TimeSource time;
  private final SystemTimers ownTimers;
  private final Redactor redactor;
  private final Transcript transcript;
  private final Confinement confinement;
  private final FileSystemService fs;
  private final TerminalService terminals;
  private final UpdateStream<SessionUpdate> stream;

  private AgentProcess process;
  private AcpConnection connection;

  private volatile String sessionId;
  private volatile AgentInfo agentInfo =
      new AgentInfo("unknown", Optional.empty(), Optional.empty(), 0);
  private volatile boolean loadSessionOffered;
  private volatile boolean mcpHttp;
  private volatile boolean mcpSse;
  private volatile List<Mode> modes = List.of();
  private volatile String currentMode;
  private volatile List<ConfigOption> configOptions = List.of();
  private volatile boolean reportedNotLoggedIn;
  // Counted down by the first _auth/status_update: Claude's adapter may send it just after it
  // answers session/new, so a missing login is only known once it arrives.
  private final java.util.concurrent.CountDownLatch authStatusReported =
      new java.util.concurrent.CountDownLatch(1);
  private volatile Instant limitResetHint;
  private volatile Double cumulativeCostUsd;
  private volatile boolean starting = true;

  private final Object turnLock = new Object();
  // Guarded by turnLock.
  private Turn turn;
  private AgentException failure;
  private Usage tokens = Usage.NONE;

  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger requestsInFlight = new AtomicInteger();
  private final Map<String, ToolInfo> toolCalls =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ToolInfo> eldest) {
          return size() > TOOL_CALLS_REMEMBERED;
        }
      };

  private record ToolInfo(
      String title, ToolKind kind, List<String> locations, Optional<String> rawInput) {}

  private static final class Turn {
    final CompletableFuture<AgentOutcome> future = new CompletableFuture<>();
    final List<Cancellable> timers = new CopyOnWriteArrayList<>();
    volatile Instant startedAt;
    volatile Double costAtStart;
    volatile boolean cancelRequested;
    volatile String cancelReason;
  }

  private AcpSessionImpl(
      ProviderSettings settings,
      SessionRequest request,
      Map<String, String> environment,
      List<String> argv,
      Confinement confinement) {
    this.settings = settings;
    this.request = request;
    this.agentId = settings.id();
    this.profile = settings.profile();
    this.environment = environment;
    this.argv = argv;
    this.confinement = confinement;
    this.threads = new SessionThreads(agentId);
    this.workers = threads.workers();
    if (settings.timeSource().isPresent()) {
      this.time = settings.timeSource().get();
      this.ownTimers = null;
    } else {
      this.ownTimers = new SystemTimers(threads.factory("timer"));
      this.time = ownTimers;
    }
    this.redactor = Redactor.forEnvironment(environment);
    this.transcript =
        request
            .transcriptDirectory()
            .map(dir -> new Transcript(dir, agentId, time, redactor))
            .orElse(Transcript.NONE);
    this.fs =
        new FileSystemService(
            confinement, settings.maxReadBytes(), settings.profile().missingFileReadsEmpty());
    Map<String, String> terminalEnv = new HashMap<>(environment);
    this.terminals =
        new TerminalService(
            confinement,
            terminalEnv,
            settings.terminalOutputLimit(),
            settings.maxTerminals(),
            threads.factory("terminal"));
    this.stream = new UpdateStream<>(threads.factory("updates"), EARLY_UPDATES);
  }

  /**
   * Starts the agent and a session ({@code initialize}, {@code authenticate} when needed, {@code
   * session/new} or {@code session/load}, the mode). On any failure nothing is left running.
   */
  public static AcpSessionImpl open(
      ProviderSettings settings, SessionRequest request, Optional<String> loadSessionId) {
    Path worktree = request.workingDirectory();
    if (!Files.isDirectory(worktree)) {
      throw new AgentException(
          settings.id() + ": the working directory " + worktree + " is not a directory");
    }
    Confinement confinement;
    try {
      confinement = new Confinement(worktree);
    } catch (IOException e) {
      throw new AgentException(settings.id() + ": cannot resolve " + worktree + ": " + e, e);
    }
    Map<String, String> env = effectiveEnvironment(settings, request);
    List<String> argv = resolveCommand(settings, env);
    AcpSessionImpl session = new AcpSessionImpl(settings, request, env, argv, confinement);
    try {
      session.start(loadSessionId);
      return session;
    } catch (RuntimeException | Error e) {
      session.transcript.startupFailed();
      session.shutdown(Duration.ZERO);
      throw e;
    }
  }

  /** The inherited environment plus the provider's, the config's and the request's additions. */
  public static Map<String, String> effectiveEnvironment(
      ProviderSettings settings, SessionRequest request) {
    Map<String, String> env = new HashMap<>(settings.baseEnvironment());
    env.putAll(settings.environment());
    if (request != null) {
      env.putAll(request.environment());
    }
    return env;
  }

  /** The command line to run, with its executable found on PATH. */
  public static List<String> resolveCommand(ProviderSettings settings, Map<String, String> env) {
    if (settings.command().isPresent()) {
      List<String> cmd = settings.command().get();
      Optional<Path> exe = CommandLocator.find(cmd.get(0), env);
      if (exe.isEmpty()) {
        throw new AgentUnavailableException(
            settings.id()
                + ": command not found: "
                + cmd.get(0)
                + " ("
                + settings.profile().installHint()
                + ")");
      }
      List<String> argv = new ArrayList<>(cmd);
      argv.set(0, exe.get().toString());
      return argv;
    }
    for (List<String> candidate : settings.profile().defaultCommands()) {
      Optional<Path> exe = CommandLocator.find(candidate.get(0), env);
      if (exe.isPresent()) {
        List<String> argv = new ArrayList<>(candidate);
        argv.set(0, exe.get().toString());
        return argv;
      }
    }
    throw new AgentUnavailableException(
        settings.id()
            + ": command not found: "
            + settings.profile().defaultCommands().stream()
                .map(c -> c.get(0))
                .collect(Collectors.joining(" or "))
            + " is not on PATH ("
            + settings.profile().installHint()
            + ")");
  }

  // ---------------------------------------------------------------- start-up

  private void start(Optional<String> loadSessionId) {
    long deadline = System.nanoTime() + request.startupTimeout().toNanos();
    try {
      process =
          AgentProcess.start(
              argv, confinement.root(), environment, agentId, threads.factory("stderr"), redactor);
    } catch (IOException e) {
      throw new AgentUnavailableException(
          agentId + ": cannot start " + String.join(" ", argv) + ": " + e.getMessage(), e);
    }
    LOG.info("Started {} (pid {}): {}", agentId, process.handle().pid(), String.join(" ", argv));
    connection =
        new AcpConnection(
            agentId,
            process.stdout(),
            new BufferedOutputStream(process.stdin(), 64 * 1024),
            settings.maxLineBytes(),
            workers,
            transcript,
            time,
            new Listener());
    connection.start(threads.factory("reader"));

    JsonNode init = startupCall("initialize", initializeParams(), deadline);
    int version = init.path("protocolVersion").asInt(-1);
    if (version != PROTOCOL_VERSION) {
      throw new AgentProtocolException(
          agentId
              + " speaks ACP protocol version "
              + init.path("protocolVersion")
              + "; Overnight speaks version "
              + PROTOCOL_VERSION);
    }
    JsonNode info = init.path("agentInfo");
    agentInfo =
        new AgentInfo(
            Json.text(info, "name", agentId),
            Json.text(info, "title"),
            Json.text(info, "version"),
            version);
    JsonNode caps = init.path("agentCapabilities");
    loadSessionOffered = caps.path("loadSession").asBoolean(false);
    mcpHttp = caps.path("mcpCapabilities").path("http").asBoolean(false);
    mcpSse = caps.path("mcpCapabilities").path("sse").asBoolean(false);

    Optional<String> keyMethod = chooseAuthMethod(init.path("authMethods"));
    boolean authenticated = false;
    if (profile.authenticateBeforeSession() && keyMethod.isPresent()) {
      authenticate(keyMethod.get(), deadline);
      authenticated = true;
    }
    if (loadSessionId.isPresent() && !loadSessionOffered) {
      throw new AgentException(
          agentId
              + " cannot resume session "
              + loadSessionId.get()
              + ": it does not offer"
              + " session/load");
    }
    JsonNode sessionResult;
    String method = loadSessionId.isPresent() ? "session/load" : "session/new";
    try {
      sessionResult =
          awaitRaw(connection.request(method, sessionParams(loadSessionId)), deadline, method);
    } catch (RpcException e) {
      if (e.code() == RpcException.AUTH_REQUIRED && keyMethod.isPresent() && !authenticated) {
        authenticate(keyMethod.get(), deadline);
        authenticated = true;
        sessionResult = startupCall(method, sessionParams(loadSessionId), deadline);
      } else {
        throw classify(method, e);
      }
    }
    JsonNode result = sessionResult;
    sessionId = loadSessionId.orElseGet(() -> Json.text(result, "sessionId", ""));
    if (sessionId.isEmpty()) {
      throw new AgentProtocolException(agentId + " answered session/new without a sessionId");
    }
    transcript.sessionStarted(sessionId);
    // Claude's adapter reports "none" while creating a session it cannot use; an agent that
    // was just authenticated may still be reporting its earlier state, so it is not asked.
    if (!authenticated
        && !reportedNotLoggedIn
        && profile.checksCredentials()
        && profile.findCredentials(environment).isEmpty()) {
      awaitAuthStatus(deadline);
    }
    if (reportedNotLoggedIn && !authenticated) {
      throw new AuthenticationRequiredException(
          profile.notLoggedIn(agentId) + " (the agent reports \"Not logged in\")");
    }
    readModes(result.path("modes"));
    readConfigOptions(result.path("configOptions"));
    applyMode(deadline);
    starting = false;
    LOG.info(
        "{} session {} started in {} ({} {})",
        agentId,
        sessionId,
        confinement.root(),
        agentInfo.name(),
        agentInfo.version().orElse(""));
  }

  private ObjectNode initializeParams() {
    ObjectNode params = Json.object();
    params.put("protocolVersion", PROTOCOL_VERSION);
    ObjectNode caps = params.putObject("clientCapabilities");
    // Advertised because they are implemented for real (confined to the worktree).
    ObjectNode fsCaps = caps.putObject("fs");
    fsCaps.put("readTextFile", true);
    fsCaps.put("writeTextFile", true);
    caps.put("terminal", true);
    ObjectNode client = params.putObject("clientInfo");
    client.put("name", "overnight");
    client.put("title", "Overnight");
    client.put("version", CLIENT_VERSION);
    return params;
  }

  private ObjectNode sessionParams(Optional<String> loadSessionId) {
    ObjectNode params = Json.object();
    loadSessionId.ifPresent(id -> params.put("sessionId", id));
    params.put("cwd", confinement.root().toString());
    ArrayNode servers = params.putArray("mcpServers");
    for (McpServer server : request.mcpServers()) {
      if (server instanceof McpServer.Stdio) {
        McpServer.Stdio s = (McpServer.Stdio) server;
        ObjectNode o = servers.addObject();
        o.put("name", s.name());
        o.put("command", s.command());
        ArrayNode args = o.putArray("args");
        s.args().forEach(args::add);
        nameValues(o.putArray("env"), s.env());
      } else if (server instanceof McpServer.Http && mcpHttp) {
        McpServer.Http s = (McpServer.Http) server;
        ObjectNode o = servers.addObject();
        o.put("type", "http");
        o.put("name", s.name());
        o.put("url", s.url());
        nameValues(o.putArray("headers"), s.headers());
      } else if (server instanceof McpServer.Sse && mcpSse) {
        McpServer.Sse s = (McpServer.Sse) server;
        ObjectNode o = servers.addObject();
        o.put("type", "sse");
        o.put("name", s.name());
        o.put("url", s.url());
        nameValues(o.putArray("headers"), s.headers());
      } else {
        LOG.warn(
            "{} does not support the transport of MCP server {}; it is left out",
            agentId,
            server.name());
      }
    }
    return params;
  }

  private static void nameValues(ArrayNode array, Map<String, String> values) {
    values.forEach(
        (k, v) -> {
          ObjectNode nv = array.addObject();
          nv.put("name", k);
          nv.put("value", v);
        });
  }

  /**
   * An authentication method that takes its key from the environment, when that key is set: the
   * only kind an unattended run can use (browser or terminal logins need a person).
   */
  private Optional<String> chooseAuthMethod(JsonNode methods) {
    if (!methods.isArray()) {
      return Optional.empty();
    }
    boolean profileKeySet =
        profile.keyVariables().stream()
            .anyMatch(v -> environment.get(v) != null && !environment.get(v).isBlank());
    for (JsonNode m : methods) {
      String id = Json.text(m, "id", "");
      String type = Json.text(m, "type", "");
      if (type.equals("env_var")) {
        List<String> vars = new ArrayList<>();
        for (JsonNode v : m.path("vars")) {
          Json.text(v, "name").ifPresent(vars::add);
        }
        if (!vars.isEmpty()
            && vars.stream()
                .allMatch(v -> environment.get(v) != null && !environment.get(v).isBlank())) {
          return Optional.of(id);
        }
      } else if ((type.isEmpty() || type.equals("agent"))
          && profileKeySet
          && (profile.isEnvironmentKeyMethod(id) || m.path("_meta").has("api-key"))) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  private void authenticate(String methodId, long deadline) {
    ObjectNode params = Json.object();
    params.put("methodId", methodId);
    LOG.info("{}: authenticating with method {}", agentId, methodId);
    startupCall("authenticate", params, deadline);
  }

  private void applyMode(long deadline) {
    Optional<String> wanted = request.mode().or(settings::mode);
    boolean explicit = wanted.isPresent();
    Optional<String> mode = wanted.or(profile::defaultMode);
    if (mode.isEmpty() || mode.get().equals(currentMode)) {
      return;
    }
    String id = mode.get();
    if (modes.stream().anyMatch(m -> m.id().equals(id))) {
      ObjectNode params = Json.object();
      params.put("sessionId", sessionId);
      params.put("modeId", id);
      startupCall("session/set_mode", params, deadline);
      currentMode = id;
      return;
    }
    Optional<ConfigOption> modeOption =
        configOptions.stream()
            .filter(o -> o.category().filter("mode"::equals).isPresent())
            .filter(o -> o.values().contains(id))
            .findFirst();
    if (modeOption.isPresent()) {
      setConfigOption(modeOption.get().id(), id, deadline);
      currentMode = id;
      return;
    }
    if (explicit) {
      throw new AgentException(
          agentId
              + " offers no mode '"
              + id
              + "'; it offers: "
              + modes.stream().map(Mode::id).collect(Collectors.joining(", ")));
    }
  }

  private JsonNode startupCall(String method, JsonNode params, long deadline) {
    try {
      return awaitRaw(connection.request(method, params), deadline, method);
    } catch (RpcException e) {
      throw classify(method, e);
    }
  }

  private JsonNode awaitRaw(CompletableFuture<JsonNode> future, long deadline, String method)
      throws RpcException {
    long left = deadline - System.nanoTime();
    try {
      return future.get(Math.max(0, left), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      AgentTimeoutException timeout =
          new AgentTimeoutException(
              agentId
                  + " did not answer "
                  + method
                  + " within "
                  + human(request.startupTimeout())
                  + (starting ? " (start-up timeout)" : ""));
      if (starting) {
        fatal(timeout);
      }
      throw timeout;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(agentId + ": interrupted while waiting for " + method, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RpcException) {
        throw (RpcException) cause;
      }
      if (cause instanceof AgentException) {
        throw (AgentException) cause;
      }
      throw new AgentException(agentId + ": " + method + " failed: " + cause, cause);
    }
  }

  private AgentException classify(String method, RpcException e) {
    return ErrorClassifier.classify(
        profile, agentId, method, e, Optional.ofNullable(limitResetHint));
  }

  private void readModes(JsonNode modesNode) {
    if (!modesNode.isObject()) {
      return;
    }
    List<Mode> list = new ArrayList<>();
    for (JsonNode m : modesNode.path("availableModes")) {
      Json.text(m, "id")
          .ifPresent(
              id -> list.add(new Mode(id, Json.text(m, "name", id), Json.text(m, "description"))));
    }
    modes = List.copyOf(list);
    currentMode = Json.text(modesNode, "currentModeId", null);
  }

  private void readConfigOptions(JsonNode options) {
    if (!options.isArray()) {
      return;
    }
    List<ConfigOption> list = new ArrayList<>();
    for (JsonNode o : options) {
      Optional<String> id = Json.text(o, "id");
      if (id.isEmpty()) {
        continue;
      }
      List<String> values = new ArrayList<>();
      for (JsonNode v : o.path("options")) {
        if (v.has("value")) {
          values.add(v.path("value").asText());
        }
        for (JsonNode grouped : v.path("options")) {
          values.add(grouped.path("value").asText());
        }
      }
      JsonNode current = o.get("currentValue");
      list.add(
          new ConfigOption(
              id.get(),
              Json.text(o, "name", id.get()),
              Json.text(o, "category"),
              Json.text(o, "type", "select"),
              current == null || current.isNull()
                  ? Optional.empty()
                  : Optional.of(current.asText()),
              values));
    }
    configOptions = List.copyOf(list);
  }

  /**
   * Without credentials, gives the agent a moment to say whether it is logged in (at most three
   * seconds, and never past the start-up deadline): an agent that reports nothing is taken at its
   * word that the session works.
   */
  private void awaitAuthStatus(long deadlineNanos) {
    long wait =
        Math.min(
            java.util.concurrent.TimeUnit.SECONDS.toNanos(3), deadlineNanos - System.nanoTime());
    if (wait <= 0) {
      return;
    }
    try {
      authStatusReported.await(wait, java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- the agent's side

  private final class Listener implements AcpConnection.Listener {
    @Override
    public void onNotification(String method, JsonNode params) {
      switch (method) {
        case "session/update":
          onUpdate(params);
          break;
        case "_auth/status_update":
          // Claude's adapter says who it runs as; "none" is a definite "not logged in".
          JsonNode status = params == null ? null : params.get("authStatus");
          reportedNotLoggedIn = "none".equals(Json.text(status, "kind", ""));
          authStatusReported.countDown();
          break;
        default:
          LOG.debug("{}: ignoring notification {}", agentId, method);
      }
    }

    @Override
    public JsonNode onRequest(String method, JsonNode params) throws RpcException {
      String asked = Json.text(params, "sessionId", null);
      if (asked != null && sessionId != null && !asked.equals(sessionId)) {
        throw new RpcException(RpcException.INVALID_PARAMS, "Unknown session " + asked);
      }
      requestsInFlight.incrementAndGet();
      try {
        switch (method) {
          case "session/request_permission":
            return permission(params);
          case "fs/read_text_file":
            return fs.read(params);
          case "fs/write_text_file":
            return fs.write(params);
          case "terminal/create":
            return terminals.create(params);
          case "terminal/output":
            return terminals.output(params);
          case "terminal/wait_for_exit":
            return terminals.waitForExit(params);
          case "terminal/kill":
            return terminals.kill(params);
          case "terminal/release":
            return terminals.release(params);
          default:
            throw new RpcException(RpcException.METHOD_NOT_FOUND, "Method not found: " + method);
        }
      } catch (RpcException e) {
        if (e.code() == RpcException.INVALID_PARAMS) {
          LOG.warn("{}: refused {}: {}", agentId, method, e.getMessage());
          ObjectNode note = noteOf("refused");
          note.put("method", method);
          note.put("reason", e.getMessage());
          transcript.note(note);
        }
        throw e;
      } finally {
        requestsInFlight.decrementAndGet();
      }
    }

    @Override
    public void onProtocolViolation(AgentProtocolException cause) {
      fatal(cause);
    }

    @Override
    public void onEndOfStream(IOException error) {
      if (closed.get()) {
        return;
      }
      Optional<Integer> code = process.exitCode(Duration.ofSeconds(5));
      process.awaitStderr(Duration.ofSeconds(2));
      String when;
      if (starting) {
        when = "while starting";
      } else if (currentTurn().isPresent()) {
        when = "during a turn";
      } else {
        when = "between turns";
      }
      String what =
          code.map(c -> agentId + " exited with code " + c + " " + when)
              .orElse(agentId + " closed its output " + when);
      String tail = process.stderrTail();
      fatal(
          new AgentCrashedException(
              what
                  + (error == null ? "" : " (" + error.getMessage() + ")")
                  + (tail.isEmpty() ? "" : "; its last stderr lines:\n" + tail)));
    }
  }

  private void onUpdate(JsonNode params) {
    JsonNode raw = params == null ? null : params.get("update");
    if (raw == null || !raw.isObject()) {
      return;
    }
    SessionUpdate update = UpdateParser.parse(raw);
    if (update instanceof SessionUpdate.ToolCall) {
      SessionUpdate.ToolCall tc = (SessionUpdate.ToolCall) update;
      synchronized (toolCalls) {
        toolCalls.put(
            tc.toolCallId(),
            new ToolInfo(tc.title(), tc.toolKind(), tc.locations(), tc.rawInput()));
      }
    } else if (update instanceof SessionUpdate.ToolCallUpdate) {
      SessionUpdate.ToolCallUpdate tu = (SessionUpdate.ToolCallUpdate) update;
      synchronized (toolCalls) {
        ToolInfo old = toolCalls.get(tu.toolCallId());
        if (old != null) {
          toolCalls.put(
              tu.toolCallId(),
              new ToolInfo(
                  tu.title().orElse(old.title()),
                  old.kind(),
                  tu.locations().orElse(old.locations()),
                  old.rawInput()));
        }
      }
    } else if (update instanceof SessionUpdate.UsageUpdate) {
      SessionUpdate.UsageUpdate u = (SessionUpdate.UsageUpdate) update;
      if (u.costAmount().isPresent() && u.currency().map("USD"::equalsIgnoreCase).orElse(true)) {
        cumulativeCostUsd = u.costAmount().get();
      }
      JsonNode limit = raw.path("_meta").path("_claude/rateLimit");
      if ("rejected".equals(Json.text(limit, "status", "")) && limit.path("resetsAt").isNumber()) {
        limitResetHint = Instant.ofEpochSecond(limit.path("resetsAt").asLong());
      }
    } else if (update instanceof SessionUpdate.CurrentMode) {
      currentMode = ((SessionUpdate.CurrentMode) update).modeId();
    } else if (update instanceof SessionUpdate.Unknown
        && "config_option_update".equals(update.kind())) {
      readConfigOptions(raw.path("configOptions"));
    }
    stream.publish(update);
  }

  private JsonNode permission(JsonNode params) {
    JsonNode toolCall = params.path("toolCall");
    String toolCallId = Json.text(toolCall, "toolCallId", "");
    ToolInfo known;
    synchronized (toolCalls) {
      known = toolCalls.get(toolCallId);
    }
    String title = Json.text(toolCall, "title").orElse(known == null ? "" : known.title());
    ToolKind kind =
        Json.text(toolCall, "kind")
            .map(ToolKind::fromWire)
            .orElse(known == null ? ToolKind.OTHER : known.kind());
    List<String> locations =
        UpdateParser.locations(toolCall.get("locations"))
            .orElse(known == null ? List.of() : known.locations());
    Optional<String> rawInput =
        Json.raw(toolCall, "rawInput")
            .or(() -> known == null ? Optional.empty() : known.rawInput());
    List<PermissionOption> options = new ArrayList<>();
    for (JsonNode o : params.path("options")) {
      Optional<String> id = Json.text(o, "optionId");
      id.ifPresent(
          optionId ->
              options.add(
                  new PermissionOption(
                      optionId, Json.text(o, "name", optionId), Json.text(o, "kind", ""))));
    }
    ObjectNode result = Json.object();
    ObjectNode outcome = result.putObject("outcome");
    Optional<Turn> running = currentTurn();
    if (running.isPresent() && running.get().cancelRequested) {
      outcome.put("outcome", "cancelled");
      noteDecision(toolCallId, title, false, "the turn is being cancelled", null);
      return result;
    }
    PermissionRequest req =
        new PermissionRequest(
            sessionId == null ? "" : sessionId,
            confinement.root(),
            toolCallId,
            title,
            kind,
            locations,
            rawInput,
            options);
    PermissionDecision decision;
    try {
      decision = request.permissionPolicy().decide(req);
      if (decision == null) {
        decision = PermissionDecision.reject("the permission policy gave no answer");
      }
    } catch (RuntimeException e) {
      decision = PermissionDecision.reject("the permission policy failed: " + e);
    }
    Optional<PermissionOption> chosen = Optional.empty();
    if (decision.allowed()) {
      chosen = options.stream().filter(o -> o.kind().equals("allow_once")).findFirst();
      if (chosen.isEmpty()) {
        decision =
            PermissionDecision.reject(
                "allowed by policy, but the agent offered no allow-once option (Overnight never"
                    + " answers allow-always)");
      }
    }
    if (!decision.allowed()) {
      chosen =
          options.stream()
              .filter(o -> o.kind().equals("reject_once"))
              .findFirst()
              .or(() -> options.stream().filter(o -> o.kind().equals("reject_always")).findFirst());
    }
    if (chosen.isPresent()) {
      outcome.put("outcome", "selected");
      outcome.put("optionId", chosen.get().optionId());
    } else {
      outcome.put("outcome", "cancelled");
    }
    noteDecision(
        toolCallId,
        title,
        decision.allowed(),
        decision.reason(),
        chosen.map(PermissionOption::optionId).orElse(null));
    LOG.info(
        "{}: {} {} ({}): {}",
        agentId,
        decision.allowed() ? "allowed" : "rejected",
        title.isEmpty() ? toolCallId : title,
        kind.wireName(),
        decision.reason());
    return result;
  }

  private void noteDecision(
      String toolCallId, String title, boolean allowed, String reason, String optionId) {
    ObjectNode note = noteOf("permission");
    note.put("toolCallId", toolCallId);
    note.put("title", title);
    note.put("allowed", allowed);
    note.put("reason", reason);
    if (optionId != null) {
      note.put("optionId", optionId);
    }
    transcript.note(note);
  }

  private static ObjectNode noteOf(String event) {
    ObjectNode note = Json.object();
    note.put("event", event);
    return note;
  }

  // ---------------------------------------------------------------- turns

  @Override
  public CompletableFuture<AgentOutcome> prompt(String text) {
    Turn t = new Turn();
    synchronized (turnLock) {
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      if (closed.get()) {
        return CompletableFuture.failedFuture(
            new AgentException(agentId + " session " + sessionId + " is closed"));
      }
      if (turn != null) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                agentId + " session " + sessionId + " already runs a turn; one prompt at a time"));
      }
      turn = t;
    }
    t.costAtStart = cumulativeCostUsd;
    t.startedAt = time.instant();
    ObjectNode params = Json.object();
    params.put("sessionId", sessionId);
    ObjectNode block = params.putArray("prompt").addObject();
    block.put("type", "text");
    block.put("text", text);
    CompletableFuture<JsonNode> rpc = connection.request("session/prompt", params);
    settings
        .turnTimeout()
        .ifPresent(
            budget ->
                t.timers.add(
                    time.schedule(
                        t.startedAt.plus(budget),
                        () -> stopTurn(t, "exceeded its turn budget of " + human(budget)))));
    settings.silenceTimeout().ifPresent(limit -> scheduleSilenceCheck(t, limit));
    rpc.whenComplete((result, error) -> finishTurn(t, result, error));
    t.future.whenComplete(
        (outcome, error) -> {
          if (error instanceof CancellationException) {
            stopTurn(t, "was cancelled by its caller");
          }
        });
    return t.future;
  }

  private void scheduleSilenceCheck(Turn t, Duration limit) {
    if (t.future.isDone()) {
      return;
    }
    Instant last = connection.lastActivity();
    if (last.isBefore(t.startedAt)) {
      last = t.startedAt;
    }
    Instant due = last.plus(limit);
    if (!time.instant().isBefore(due) && requestsInFlight.get() == 0) {
      stopTurn(t, "went silent for " + human(limit));
      return;
    }
    Instant next = due.isAfter(time.instant()) ? due : time.instant().plus(limit);
    t.timers.add(time.schedule(next, () -> scheduleSilenceCheck(t, limit)));
  }

  /** Sends {@code session/cancel}; if the turn has not ended after the grace period, kills. */
  private void stopTurn(Turn t, String reason) {
    synchronized (turnLock) {
      if (t.future.isDone() && !t.future.isCancelled() || t.cancelRequested || failure != null) {
        return;
      }
      t.cancelRequested = true;
      t.cancelReason = reason;
    }
    LOG.warn("{} session {} {}: sending session/cancel", agentId, sessionId, reason);
    ObjectNode note = noteOf("cancel");
    note.put("reason", reason);
    transcript.note(note);
    ObjectNode params = Json.object();
    params.put("sessionId", sessionId);
    connection.notify("session/cancel", params);
    Duration grace = request.cancelGrace();
    t.timers.add(
        time.schedule(
            time.instant().plus(grace),
            () -> {
              if (currentTurn().filter(t::equals).isPresent()) {
                fatal(
                    new AgentTimeoutException(
                        agentId
                            + " "
                            + reason
                            + " and did not stop within the "
                            + human(grace)
                            + " grace period after session/cancel; its process tree was killed"));
              }
            }));
  }

  private void finishTurn(Turn t, JsonNode result, Throwable error) {
    synchronized (turnLock) {
      if (turn == t) {
        turn = null;
      }
    }
    t.timers.forEach(Cancellable::cancel);
    if (error != null) {
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      AgentException e;
      if (cause instanceof RpcException) {
        e = classify("session/prompt", (RpcException) cause);
      } else if (cause instanceof AgentException) {
        e = (AgentException) cause;
      } else {
        e = new AgentException(agentId + ": the turn failed: " + cause, cause);
      }
      ObjectNode note = noteOf("turn_failed");
      note.put("error", e.getMessage());
      note.put("type", e.getClass().getSimpleName());
      transcript.note(note);
      t.future.completeExceptionally(e);
      return;
    }
    String reason = Json.text(result, "stopReason", null);
    Optional<StopReason> stop = StopReason.fromWire(reason);
    if (stop.isEmpty()) {
      t.future.completeExceptionally(
          new AgentProtocolException(
              agentId + " ended its turn with an unknown stop reason: " + reason));
      return;
    }
    Usage turnUsage = turnUsage(result, t.costAtStart);
    synchronized (turnLock) {
      tokens =
          tokens.plus(
              new Usage(
                  turnUsage.inputTokens(),
                  turnUsage.outputTokens(),
                  turnUsage.cachedReadTokens(),
                  turnUsage.cachedWriteTokens(),
                  Optional.empty()));
    }
    ObjectNode note = noteOf("turn_end");
    note.put("stopReason", stop.get().wireName());
    note.put("inputTokens", turnUsage.inputTokens());
    note.put("outputTokens", turnUsage.outputTokens());
    turnUsage.costUsd().ifPresent(c -> note.put("costUsd", c));
    if (t.cancelReason != null) {
      note.put("cancelReason", t.cancelReason);
    }
    transcript.note(note);
    t.future.complete(new AgentOutcome(stop.get(), turnUsage));
  }

  /**
   * The usage of a turn from its {@code session/prompt} result: the protocol's {@code usage}, else
   * the {@code _meta.quota.token_count} Gemini CLI reports instead (snake_case counts).
   */
  private Usage turnUsage(JsonNode result, Double costAtStart) {
    Double now = cumulativeCostUsd;
    Optional<Double> cost =
        now == null ? Optional.empty() : Optional.of(now - (costAtStart == null ? 0 : costAtStart));
    JsonNode usage = result.path("usage");
    if (!usage.isObject()) {
      JsonNode quota = result.path("_meta").path("quota").path("token_count");
      return new Usage(
          quota.path("input_tokens").asLong(0), quota.path("output_tokens").asLong(0), 0, 0, cost);
    }
    return new Usage(
        usage.path("inputTokens").asLong(0),
        usage.path("outputTokens").asLong(0),
        usage.path("cachedReadTokens").asLong(0),
        usage.path("cachedWriteTokens").asLong(0),
        cost);
  }

  private Optional<Turn> currentTurn() {
    synchronized (turnLock) {
      return Optional.ofNullable(turn);
    }
  }

  // ---------------------------------------------------------------- failure and shutdown

  /** Makes the session unusable with {@code cause}; kills the agent. Idempotent. */
  private void fatal(AgentException cause) {
    Turn t;
    synchronized (turnLock) {
      if (failure != null) {
        return;
      }
      failure = cause;
      t = turn;
      turn = null;
    }
    if (!closed.get()) {
      LOG.warn("{} session {} failed: {}", agentId, sessionId, cause.getMessage());
    }
    ObjectNode note = noteOf("session_failed");
    note.put("error", cause.getMessage());
    note.put("type", cause.getClass().getSimpleName());
    transcript.note(note);
    if (connection != null) {
      connection.fail(cause);
    }
    if (t != null) {
      t.timers.forEach(Cancellable::cancel);
      t.future.completeExceptionally(cause);
    }
    stream.fail(cause);
    if (process != null) {
      ProcessTree.kill(process.handle(), Duration.ZERO);
    }
    terminals.close();
  }

  @Override
  public void close() {
    shutdown(request.cancelGrace());
  }

  private void shutdown(Duration grace) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Turn t = currentTurn().orElse(null);
    if (connection != null) {
      if (t != null && failure == null && sessionId != null) {
        ObjectNode params = Json.object();
        params.put("sessionId", sessionId);
        connection.notify("session/cancel", params);
      }
      connection.closeOutput();
    }
    if (process != null) {
      if (process.isAlive() && !grace.isZero()) {
        process.exitCode(grace);
      }
      ProcessTree.kill(process.handle(), process.isAlive() ? TERMINATE_GRACE : Duration.ZERO);
      process.exitCode(Duration.ofSeconds(5)).ifPresent(this::noteExit);
    }
    AgentException closing = new AgentException(agentId + " session " + sessionId + " was closed");
    if (connection != null) {
      connection.fail(closing);
    }
    if (t != null) {
      t.timers.forEach(Cancellable::cancel);
      t.future.completeExceptionally(
          new AgentException(agentId + " session " + sessionId + " was closed during a turn"));
    }
    synchronized (turnLock) {
      turn = null;
    }
    terminals.close();
    stream.complete();
    workers.shutdown();
    if (ownTimers != null) {
      ownTimers.close();
    }
    if (!threads.isOwn(Thread.currentThread())) {
      threads.join(10_000);
    }
    transcript.close();
  }

  private void noteExit(int code) {
    ObjectNode note = noteOf("exit");
    note.put("exitCode", code);
    transcript.note(note);
  }

  // ---------------------------------------------------------------- the rest of AgentSession

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public String agentId() {
    return agentId;
  }

  @Override
  public Flow.Publisher<SessionUpdate> updates() {
    return stream;
  }

  @Override
  public void setMode(String modeId) {
    ObjectNode params = Json.object();
    params.put("sessionId", sessionId);
    params.put("modeId", modeId);
    call("session/set_mode", params);
    currentMode = modeId;
  }

  @Override
  public void setConfigOption(String configId, String value) {
    long deadline = System.nanoTime() + request.startupTimeout().toNanos();
    setConfigOption(configId, value, deadline);
  }

  private void setConfigOption(String configId, String value, long deadline) {
    ObjectNode params = Json.object();
    params.put("sessionId", sessionId);
    params.put("configId", configId);
    boolean isBoolean =
        configOptions.stream().anyMatch(o -> o.id().equals(configId) && o.type().equals("boolean"));
    if (isBoolean) {
      params.put("type", "boolean");
      params.put("value", Boolean.parseBoolean(value));
    } else {
      params.put("value", value);
    }
    JsonNode result = startupCall("session/set_config_option", params, deadline);
    readConfigOptions(result.path("configOptions"));
  }

  private JsonNode call(String method, JsonNode params) {
    AgentException failed = failureOrNull();
    if (failed != null) {
      throw failed;
    }
    long deadline = System.nanoTime() + request.startupTimeout().toNanos();
    return startupCall(method, params, deadline);
  }

  private AgentException failureOrNull() {
    synchronized (turnLock) {
      return failure;
    }
  }

  @Override
  public void cancel() {
    currentTurn().ifPresent(t -> stopTurn(t, "was cancelled"));
  }

  @Override
  public Instant lastActivity() {
    return connection.lastActivity();
  }

  @Override
  public Usage usage() {
    Usage t;
    synchronized (turnLock) {
      t = tokens;
    }
    Double cost = cumulativeCostUsd;
    return new Usage(
        t.inputTokens(),
        t.outputTokens(),
        t.cachedReadTokens(),
        t.cachedWriteTokens(),
        Optional.ofNullable(cost));
  }

  @Override
  public boolean isAlive() {
    return process != null && process.isAlive() && failureOrNull() == null && !closed.get();
  }

  @Override
  public AgentInfo agentInfo() {
    return agentInfo;
  }

  @Override
  public List<Mode> modes() {
    return modes;
  }

  @Override
  public Optional<String> currentMode() {
    return Optional.ofNullable(currentMode);
  }

  @Override
  public List<ConfigOption> configOptions() {
    return configOptions;
  }

  @Override
  public Optional<Path> transcript() {
    return transcript.file();
  }

  @Override
  public ProcessHandle process() {
    return process.handle();
  }

  /** The prefix of every thread this session starts (for leak checks). */
  public String threadNamePrefix() {
    return threads.prefix();
  }

  /** The most bytes the reader held for one line (for the bounded-memory guarantee). */
  public long lineBufferHighWater() {
    return connection.lineBufferHighWater();
  }

  @Override
  public String toString() {
    return "AcpSession[" + agentId + " " + sessionId + "]";
  }

  static String human(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + " ms";
    }
    if (d.toSeconds() < 120) {
      return d.toMillis() % 1000 == 0
          ? d.toSeconds() + " s"
          : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
    return d.toMinutes() + " min";
  }
}
