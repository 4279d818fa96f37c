package dev.overnight.acp.internal;

import dev.overnight.api.agent.AgentCrashedException;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentProtocolException;
import dev.overnight.api.agent.AgentTimeoutException;
import dev.overnight.api.agent.AgentUnavailableException;
import dev.overnight.api.agent.AuthenticationRequiredException;
import dev.overnight.api.agent.UsageLimitException;

/**
 * Why an agent did not start, in its own words: the exception the handshake threw, with the last
 * lines the agent wrote on stderr added when the message does not hold them yet. An agent refusing
 * {@code session/new} usually says why only there (a wrong key, a missing model), and a person
 * reading the report the next morning has nothing else to go by. Stateless.
 */
final class StartupFailure {
  private StartupFailure() {}

  /**
   * {@code cause} with {@code stderrTail} appended to its message, as an exception of the same kind
   * (so callers still tell a login from a crash); {@code cause} itself when the tail is empty or
   * already part of the message. Usage limits are left as they are: their reset time is what
   * matters, and their type carries it.
   */
  static AgentException withStderr(AgentException cause, String stderrTail) {
    String tail = stderrTail.strip();
    String message = String.valueOf(cause.getMessage());
    if (tail.isEmpty() || message.contains(tail) || cause instanceof UsageLimitException) {
      return cause;
    }
    String full = message + "; its last stderr lines:\n" + tail;
    AgentException out;
    if (cause instanceof AuthenticationRequiredException) {
      out = new AuthenticationRequiredException(full, cause);
    } else if (cause instanceof AgentCrashedException) {
      out = new AgentCrashedException(full, cause);
    } else if (cause instanceof AgentTimeoutException) {
      out = new AgentTimeoutException(full, cause);
    } else if (cause instanceof AgentProtocolException) {
      out = new AgentProtocolException(full, cause);
    } else if (cause instanceof AgentUnavailableException) {
      out = new AgentUnavailableException(full, cause);
    } else {
      out = new AgentException(full, cause);
    }
    return out;
  }
}
