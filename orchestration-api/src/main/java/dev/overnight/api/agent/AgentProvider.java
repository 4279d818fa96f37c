package dev.overnight.api.agent;

/**
 * Starts sessions with one kind of agent: Claude Code, Codex, Gemini, or any ACP command.
 *
 * <p>Thread-safe; one provider may open many sessions at once. {@link #availability()} is cheap (no
 * network, no process beyond a {@code PATH} lookup and a credentials check) and never throws.
 *
 * @since 0.1.0
 */
public interface AgentProvider {

  /** The agent's id as used in config and tasks, e.g. {@code claude-code}. */
  String id();

  /**
   * Whether sessions can start here, and if not, exactly why (command not found, no credentials)
   * and how to fix it.
   */
  dev.overnight.api.Availability availability();

  /** What the agent is known to support. */
  AgentCapabilities capabilities();

  /**
   * Starts the agent process and a session in the request's working directory. Blocks through
   * start-up (bounded by {@link SessionRequest#startupTimeout()}).
   *
   * @throws AuthenticationRequiredException if the agent needs a login or key, naming which
   * @throws AgentException if the agent cannot be started or breaks the protocol; no process is
   *     left behind
   */
  AgentSession open(SessionRequest request);

  /**
   * Checks that a session can start here, without prompting the agent: its process starts,
   * initializes, authenticates and opens a session, which is closed at once. Nothing is sent to the
   * model, so a probe costs no tokens; {@code overnight rehearse} probes every allowed agent this
   * way. Blocks through start-up (bounded by {@link SessionRequest#startupTimeout()}) and the
   * close.
   *
   * <p>The default opens a session with {@link #open} and closes it, which is all an ACP agent
   * needs ({@code initialize}, {@code authenticate} when asked, {@code session/new}); a provider
   * with a cheaper way to tell may override it.
   *
   * @throws AuthenticationRequiredException if the agent needs a login or key, naming which
   * @throws AgentException if the agent cannot be started or breaks the protocol; no process is
   *     left behind
   */
  default void probe(SessionRequest request) {
    open(request).close();
  }
}
