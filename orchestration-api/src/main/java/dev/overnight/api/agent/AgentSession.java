package dev.overnight.api.agent;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A live conversation with one agent process, working in one task's worktree.
 *
 * <p><b>Threading.</b> Thread-safe. {@link #prompt} returns at once; the future completes when the
 * turn ends, normally with an {@link AgentOutcome}, or exceptionally with an {@link AgentException}
 * ({@link UsageLimitException}, {@link AgentCrashedException}, {@link AgentProtocolException},
 * ...). One prompt at a time: a second call while a turn runs fails its future with {@link
 * IllegalStateException}.
 *
 * <p><b>Updates.</b> {@link #updates()} delivers every {@link SessionUpdate} in the order the agent
 * sent it, with nothing dropped, to each subscriber, and completes when the session ends. A slow
 * subscriber is buffered without bound, so subscribers should be fast; the session update hub in
 * core is the bounded fan-out for everyone else.
 *
 * <p><b>Ending.</b> {@link #cancel()} asks the agent to stop the current turn ({@code
 * session/cancel}); {@link #close()} ends the session: stdin closed, then, after the cancel grace
 * period, the whole process tree killed. Closing never throws and is idempotent.
 *
 * @since 0.1.0
 */
public interface AgentSession extends AutoCloseable {

  /** The agent's session id. */
  String sessionId();

  /** The provider's agent id, e.g. {@code claude-code}. */
  String agentId();

  /** Sends a prompt and returns the turn's outcome when it ends. Never blocks. */
  CompletableFuture<AgentOutcome> prompt(String text);

  /** Every update of this session, in order. */
  Flow.Publisher<SessionUpdate> updates();

  /** Switches the session mode (e.g. {@code plan}); blocks until the agent answers. */
  void setMode(String modeId);

  /** Asks the agent to stop the current turn; the prompt's future then completes as cancelled. */
  void cancel();

  /** When the agent last sent anything: the hang detector's input. */
  Instant lastActivity();

  /** Usage reported so far in this session. */
  Usage usage();

  /** Whether the agent process is still running. */
  boolean isAlive();

  /**
   * The agent's process when it leads a process group of its own (the group's id is its pid): then
   * everything the agent starts is in that group and can be ended with it, even by another
   * Overnight after this one died without closing the session. Empty when the agent runs in this
   * process or in its group. The default is empty.
   */
  default Optional<ProcessHandle> processGroupLeader() {
    return Optional.empty();
  }

  /**
   * The model the session runs on, when the agent said which (ACP's {@code session/new} answer may
   * name it); for usage reports and traces. The default is empty.
   */
  default Optional<String> model() {
    return Optional.empty();
  }

  /**
   * What the agent last said of its usage window while it still had room, when it says so (Claude
   * Code's adapter does, with its rate-limit status). The default is empty. Never blocks.
   */
  default Optional<QuotaReading> quotaReading() {
    return Optional.empty();
  }

  /** Ends the session and its process tree. Never throws; idempotent. */
  @Override
  void close();
}
