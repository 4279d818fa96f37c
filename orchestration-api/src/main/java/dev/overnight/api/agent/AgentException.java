package dev.overnight.api.agent;

import dev.overnight.api.OrchestrationException;
import java.util.Optional;

/**
 * An agent could not be started, broke the protocol, or failed its turn. The message says which
 * agent and what happened; {@link #agentOutput()} holds what the agent itself last wrote on stderr,
 * when the thrower knew it — often the only place an agent says why it refused to start.
 *
 * <p>The agent's output is attached once, by the thrower, before the exception is thrown; read it
 * after catching.
 *
 * @since 0.1.0
 */
public class AgentException extends OrchestrationException {
  private static final long serialVersionUID = 1L;

  private volatile String agentOutput;

  /** Creates the exception. */
  public AgentException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The last lines the agent wrote on stderr before this failure, when known and not empty. */
  public Optional<String> agentOutput() {
    return Optional.ofNullable(agentOutput);
  }

  /**
   * Attaches the agent's last stderr lines, for {@link #agentOutput()}. The first non-blank
   * attachment wins; later ones are ignored.
   *
   * @return this exception, to throw
   */
  public AgentException withAgentOutput(String stderrTail) {
    if (agentOutput == null && stderrTail != null && !stderrTail.isBlank()) {
      agentOutput = stderrTail.strip();
    }
    return this;
  }

  /**
   * The message followed by the agent's own output when the message does not hold it already: what
   * to store and show about the failure.
   */
  public String withOutput() {
    String message = String.valueOf(getMessage());
    return agentOutput()
        .filter(o -> !message.contains(o))
        .map(o -> message + "; its last stderr lines:\n" + o)
        .orElse(message);
  }
}
