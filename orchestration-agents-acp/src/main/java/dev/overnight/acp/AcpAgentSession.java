package dev.overnight.acp;

import dev.overnight.api.agent.AgentSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link AgentSession} with an ACP agent, plus what only ACP offers: the agent's identity, its
 * modes and configuration options, the transcript file and the process.
 *
 * <p>Thread-safe, like every {@link AgentSession}. Methods that talk to the agent block until it
 * answers, at most the session's start-up timeout.
 *
 * @since 0.1.0
 */
public interface AcpAgentSession extends AgentSession {

  /** Who the agent said it is in {@code initialize}. */
  AgentInfo agentInfo();

  /** The modes the agent offers (empty when it has none). */
  List<Mode> modes();

  /** The current mode, as the agent last reported it. */
  Optional<String> currentMode();

  /** The session's configuration options (model, mode, reasoning effort…), as last reported. */
  List<ConfigOption> configOptions();

  /**
   * Sets a configuration option ({@code session/set_config_option}), e.g. {@code model}.
   *
   * @throws dev.overnight.api.agent.AgentException if the agent refuses or does not answer
   */
  void setConfigOption(String configId, String value);

  /** The JSONL transcript of this session, when one is written. */
  Optional<Path> transcript();

  /** The agent's process (its descendants are the rest of the tree {@link #close()} ends). */
  ProcessHandle process();

  /**
   * The agent's identity.
   *
   * @param name its name, e.g. {@code @agentclientprotocol/claude-agent-acp}
   * @param title its display name, if given
   * @param version its version, if given
   * @param protocolVersion the ACP version agreed on
   */
  record AgentInfo(
      String name, Optional<String> title, Optional<String> version, int protocolVersion) {
    /** Validates the components. */
    public AgentInfo {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(version, "version");
    }
  }

  /**
   * A session mode.
   *
   * @param id what to pass to {@link #setMode}
   * @param name its label
   * @param description what it does, if given
   */
  record Mode(String id, String name, Optional<String> description) {
    /** Validates the components. */
    public Mode {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
    }
  }

  /**
   * A configuration option of the session.
   *
   * @param id what to pass to {@link #setConfigOption}
   * @param name its label
   * @param category {@code mode}, {@code model}, {@code thought_level}…, if given
   * @param type {@code select} or {@code boolean} (or a newer type)
   * @param currentValue the current value as text
   * @param values the values a {@code select} offers
   */
  record ConfigOption(
      String id,
      String name,
      Optional<String> category,
      String type,
      Optional<String> currentValue,
      List<String> values) {
    /** Validates and copies the components. */
    public ConfigOption {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(currentValue, "currentValue");
      values = List.copyOf(values);
    }
  }
}
