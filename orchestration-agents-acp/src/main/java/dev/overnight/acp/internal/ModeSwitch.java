package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.acp.AcpAgentSession.Mode;
import dev.overnight.api.agent.AgentException;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Switches a session's mode and configuration options ({@code session/set_mode}, {@code
 * session/set_config_option}) and records the outcome in its {@link SessionModes}. Each call blocks
 * until the agent answers or the deadline passes.
 */
final class ModeSwitch {
  private final RpcCalls calls;
  private final SessionModes modes;
  private final String agentId;
  private final String sessionId;

  ModeSwitch(RpcCalls calls, SessionModes modes, String agentId, String sessionId) {
    this.calls = calls;
    this.modes = modes;
    this.agentId = agentId;
    this.sessionId = sessionId;
  }

  /**
   * Switches to {@code modeId} with {@code session/set_mode}.
   *
   * @throws AgentException if the agent refuses or does not answer
   */
  void setMode(String modeId, long deadlineNanos) {
    ObjectNode params = Json.object();
    params.put("sessionId", sessionId);
    params.put("modeId", modeId);
    calls.call("session/set_mode", params, deadlineNanos);
    modes.current(modeId);
  }

  /**
   * Sets a configuration option; a boolean option's value is sent as a JSON boolean. The options
   * the agent answers with replace the known ones.
   *
   * @throws AgentException if the agent refuses or does not answer
   */
  void setConfigOption(String configId, String value, long deadlineNanos) {
    ObjectNode params = Json.object();
    params.put("sessionId", sessionId);
    params.put("configId", configId);
    if (modes.isBoolean(configId)) {
      params.put("type", "boolean");
      params.put("value", Boolean.parseBoolean(value));
    } else {
      params.put("value", value);
    }
    JsonNode result = calls.call("session/set_config_option", params, deadlineNanos);
    modes.readConfigOptions(result.path("configOptions"));
  }

  /**
   * Puts a new session in the mode it should start in: {@code wanted} (the request's or the
   * config's), else the profile's {@code fallback}. A mode is switched to with {@code
   * session/set_mode} when the agent lists it, else through a configuration option of the mode
   * category that offers it. Nothing is sent when the session already runs in it.
   *
   * @throws AgentException if the agent offers no {@code wanted} mode (a missing fallback is
   *     ignored), refuses, or does not answer
   */
  void apply(Optional<String> wanted, Optional<String> fallback, long deadlineNanos) {
    Optional<String> mode = wanted.or(() -> fallback);
    if (mode.isEmpty() || mode.equals(modes.current())) {
      return;
    }
    String id = mode.get();
    if (modes.offers(id)) {
      setMode(id, deadlineNanos);
      return;
    }
    Optional<String> option = modes.modeOption(id).map(o -> o.id());
    if (option.isPresent()) {
      setConfigOption(option.get(), id, deadlineNanos);
      modes.current(id);
      return;
    }
    if (wanted.isPresent()) {
      throw new AgentException(
          agentId
              + " offers no mode '"
              + id
              + "'; it offers: "
              + modes.modes().stream().map(Mode::id).collect(Collectors.joining(", ")));
    }
  }
}
