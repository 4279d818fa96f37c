package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.acp.AcpAgentSession.AgentInfo;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentProtocolException;
import dev.overnight.api.agent.AuthenticationRequiredException;
import dev.overnight.api.agent.McpServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol from a started agent to a session ready for prompts: {@code initialize} (the version
 * and capabilities), an authentication method an unattended run can use, {@code authenticate}
 * before the session when the profile says so or when the agent asks for it, {@code session/new} or
 * {@code session/load}, the wait for a login report from agents that send one, and the session's
 * starting mode.
 *
 * <p>Runs once, on the thread opening the session, and blocks it until the session is ready or the
 * start-up deadline passes. Every failure is thrown as the {@link AgentException} that says what
 * went wrong: a login to fix ({@link AuthenticationRequiredException}), a protocol the agent breaks
 * ({@link AgentProtocolException}), a timeout, or a refusal.
 */
final class Handshake {
  private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);
  static final int PROTOCOL_VERSION = 1;

  /** The mode id agents use for a sandbox that only reads (Codex's), chosen for read-only work. */
  static final String READ_ONLY_MODE = "read-only";

  private static final String CLIENT_VERSION =
      Optional.ofNullable(Handshake.class.getPackage().getImplementationVersion()).orElse("0.1.0");

  /**
   * Where the handshake starts the session and what it sends there; a read-only target is offered
   * no file writes and no terminals.
   */
  record Target(
      Path cwd,
      List<McpServer> mcpServers,
      Optional<String> mode,
      Optional<String> loadSessionId,
      boolean readOnly) {
    /** Validates and copies the components. */
    Target {
      Objects.requireNonNull(cwd, "cwd");
      mcpServers = List.copyOf(mcpServers);
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(loadSessionId, "loadSessionId");
    }
  }

  /**
   * A session ready for prompts.
   *
   * @param sessionId the agent's id of the session
   * @param agentInfo who the agent said it is
   */
  record Ready(String sessionId, AgentInfo agentInfo) {
    /** Validates the components. */
    Ready {
      Objects.requireNonNull(sessionId, "sessionId");
      Objects.requireNonNull(agentInfo, "agentInfo");
    }
  }

  private final String agentId;
  private final AgentProfile profile;
  private final Map<String, String> environment;
  private final RpcCalls calls;
  private final SessionModes modes;
  private final AuthStatusWatch authStatus;
  private final Consumer<String> sessionNamed;

  /**
   * A handshake with agent {@code agentId} over {@code calls}.
   *
   * @param environment the agent's environment, where keys for authentication are looked up
   * @param modes where the session's modes and options are recorded
   * @param authStatus what the agent reports about its login while the handshake runs
   * @param sessionNamed told the session id as soon as the agent gives it
   */
  Handshake(
      String agentId,
      AgentProfile profile,
      Map<String, String> environment,
      RpcCalls calls,
      SessionModes modes,
      AuthStatusWatch authStatus,
      Consumer<String> sessionNamed) {
    this.agentId = agentId;
    this.profile = profile;
    this.environment = environment;
    this.calls = calls;
    this.modes = modes;
    this.authStatus = authStatus;
    this.sessionNamed = sessionNamed;
  }

  /**
   * Runs the handshake to a ready session, every call within {@code deadlineNanos} (a {@link
   * System#nanoTime()} value).
   *
   * @throws AgentException for any failure
   */
  Ready run(Target target, long deadlineNanos) {
    JsonNode init = calls.call("initialize", initializeParams(target.readOnly()), deadlineNanos);
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
    AgentInfo agentInfo =
        new AgentInfo(
            Json.text(info, "name", agentId),
            Json.text(info, "title"),
            Json.text(info, "version"),
            version);
    JsonNode caps = init.path("agentCapabilities");
    boolean mcpHttp = caps.path("mcpCapabilities").path("http").asBoolean(false);
    boolean mcpSse = caps.path("mcpCapabilities").path("sse").asBoolean(false);

    Optional<String> keyMethod = chooseAuthMethod(init.path("authMethods"));
    boolean authenticated = false;
    if (profile.authenticateBeforeSession() && keyMethod.isPresent()) {
      authenticate(keyMethod.get(), deadlineNanos);
      authenticated = true;
    }
    Optional<String> loadSessionId = target.loadSessionId();
    if (loadSessionId.isPresent() && !caps.path("loadSession").asBoolean(false)) {
      throw new AgentException(
          agentId
              + " cannot resume session "
              + loadSessionId.get()
              + ": it does not offer"
              + " session/load");
    }
    String method = loadSessionId.isPresent() ? "session/load" : "session/new";
    JsonNode result;
    try {
      result = calls.callRaw(method, sessionParams(target, mcpHttp, mcpSse), deadlineNanos);
    } catch (RpcException e) {
      if (e.code() != RpcException.AUTH_REQUIRED || keyMethod.isEmpty() || authenticated) {
        throw calls.classified(method, e);
      }
      authenticate(keyMethod.get(), deadlineNanos);
      authenticated = true;
      result = calls.call(method, sessionParams(target, mcpHttp, mcpSse), deadlineNanos);
    }
    JsonNode session = result;
    String sessionId = loadSessionId.orElseGet(() -> Json.text(session, "sessionId", ""));
    if (sessionId.isEmpty()) {
      throw new AgentProtocolException(agentId + " answered session/new without a sessionId");
    }
    sessionNamed.accept(sessionId);
    checkLogin(authenticated, deadlineNanos);
    modes.readModes(result.path("modes"));
    modes.readModels(result.path("models"));
    modes.readConfigOptions(result.path("configOptions"));
    // A read-only session also asks the agent itself to stay read-only when it offers such a
    // mode (Codex's "read-only" sandbox), on top of what the client refuses.
    Optional<String> defaultMode =
        target.readOnly() && modes.offers(READ_ONLY_MODE)
            ? Optional.of(READ_ONLY_MODE)
            : profile.defaultMode();
    new ModeSwitch(calls, modes, agentId, sessionId)
        .apply(target.mode(), defaultMode, deadlineNanos);
    return new Ready(sessionId, agentInfo);
  }

  /**
   * Fails when an agent that reports its login said it is not logged in. Without credentials it
   * gets a moment to say so; an agent that was just authenticated may still be reporting its
   * earlier state, so it is not asked, and one that reports nothing is taken at its word that the
   * session works.
   */
  private void checkLogin(boolean authenticated, long deadlineNanos) {
    Optional<AgentExtensions.AuthStatus> reports = profile.extensions().authStatus();
    if (reports.isEmpty() || authenticated) {
      return;
    }
    if (!authStatus.saysNotLoggedIn()
        && profile.checksCredentials()
        && profile.findCredentials(environment).isEmpty()) {
      authStatus.awaitFirst(reports.get().patience(), deadlineNanos);
    }
    if (authStatus.saysNotLoggedIn()) {
      throw new AuthenticationRequiredException(
          profile.notLoggedIn(agentId) + " (the agent reports \"Not logged in\")");
    }
  }

  private static ObjectNode initializeParams(boolean readOnly) {
    ObjectNode params = Json.object();
    params.put("protocolVersion", PROTOCOL_VERSION);
    ObjectNode caps = params.putObject("clientCapabilities");
    // Advertised because they are implemented for real (confined to the worktree); a read-only
    // session is offered reads alone, so an agent has no way to ask for more.
    ObjectNode fsCaps = caps.putObject("fs");
    fsCaps.put("readTextFile", true);
    fsCaps.put("writeTextFile", !readOnly);
    caps.put("terminal", !readOnly);
    ObjectNode client = params.putObject("clientInfo");
    client.put("name", "overnight");
    client.put("title", "Overnight");
    client.put("version", CLIENT_VERSION);
    return params;
  }

  /**
   * The params of {@code session/new} or {@code session/load}. MCP servers whose transport the
   * agent does not offer are left out.
   */
  private ObjectNode sessionParams(Target target, boolean mcpHttp, boolean mcpSse) {
    ObjectNode params = Json.object();
    target.loadSessionId().ifPresent(id -> params.put("sessionId", id));
    params.put("cwd", target.cwd().toString());
    ArrayNode servers = params.putArray("mcpServers");
    for (McpServer server : target.mcpServers()) {
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
    boolean profileKeySet = profile.keyVariables().stream().anyMatch(this::isSet);
    for (JsonNode m : methods) {
      String id = Json.text(m, "id", "");
      String type = Json.text(m, "type", "");
      if (type.equals("env_var")) {
        List<String> vars = new ArrayList<>();
        for (JsonNode v : m.path("vars")) {
          Json.text(v, "name").ifPresent(vars::add);
        }
        if (!vars.isEmpty() && vars.stream().allMatch(this::isSet)) {
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

  private boolean isSet(String variable) {
    String value = environment.get(variable);
    return value != null && !value.isBlank();
  }

  private void authenticate(String methodId, long deadlineNanos) {
    ObjectNode params = Json.object();
    params.put("methodId", methodId);
    LOG.info("{}: authenticating with method {}", agentId, methodId);
    calls.call("authenticate", params, deadlineNanos);
  }
}
