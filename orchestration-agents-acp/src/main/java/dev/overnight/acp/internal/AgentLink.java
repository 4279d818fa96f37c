package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.agent.AgentCrashedException;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentUnavailableException;
import dev.overnight.core.secrets.Redactor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's process and the JSON-RPC connection over its stdio, started together and ended
 * together: politely ({@link #close}: stdin closed, a grace period, then the process tree and its
 * process group stopped) or at once ({@link #kill}).
 *
 * <p>Thread-safe. {@link #close} and {@link #crashed} block while they wait for the process.
 */
final class AgentLink {
  private static final Logger LOG = LoggerFactory.getLogger(AgentLink.class);
  private static final Duration TERMINATE_GRACE = Duration.ofSeconds(2);

  private final String agentId;
  private final AgentProcess process;
  private final AcpConnection connection;
  private final Transcript transcript;

  private AgentLink(
      String agentId, AgentProcess process, AcpConnection connection, Transcript transcript) {
    this.agentId = agentId;
    this.process = process;
    this.connection = connection;
    this.transcript = transcript;
  }

  /**
   * Starts the agent's process, in its worktree with its environment, and the connection to it;
   * what the agent sends goes to {@code listener} once {@link #startReading} was called.
   *
   * @throws AgentUnavailableException if the process cannot be started
   */
  static AgentLink launch(
      String agentId,
      AgentLaunch launch,
      SessionThreads threads,
      Redactor redactor,
      int maxLineBytes,
      Executor workers,
      Transcript transcript,
      InstantSource clock,
      AcpConnection.Listener listener) {
    List<String> argv = launch.argv();
    AgentProcess process;
    try {
      process =
          AgentProcess.start(
              argv,
              launch.confinement().root(),
              launch.environment(),
              agentId,
              threads.factory("stderr"),
              redactor);
    } catch (IOException e) {
      throw new AgentUnavailableException(
          agentId + ": cannot start " + String.join(" ", launch.command()) + ": " + e.getMessage(),
          e);
    }
    LOG.info(
        "Started {} (pid {}){}: {}",
        agentId,
        process.handle().pid(),
        launch.sandbox().confinesAgent() ? " in " + launch.sandbox().sandbox().name() : "",
        String.join(" ", launch.command()));
    AcpConnection connection =
        new AcpConnection(
            agentId,
            process.stdout(),
            new BufferedOutputStream(process.stdin(), 64 * 1024),
            maxLineBytes,
            workers,
            transcript,
            clock,
            listener);
    return new AgentLink(agentId, process, connection, transcript);
  }

  /** Starts reading what the agent sends, on a thread of the session's. */
  void startReading(SessionThreads threads) {
    connection.start(threads.factory("reader"));
  }

  /** The connection to the agent. */
  RpcChannel channel() {
    return connection;
  }

  ProcessHandle handle() {
    return process.handle();
  }

  /** The agent's process, when it leads a process group of its own. */
  Optional<ProcessHandle> groupLeader() {
    return process.group().map(g -> process.handle());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The most bytes the reader held for one line. */
  long lineBufferHighWater() {
    return connection.lineBufferHighWater();
  }

  /**
   * What to fail the session with now that the agent's output ended: how it exited, {@code when}
   * (asked once the process had a moment to exit), and its last stderr lines.
   */
  AgentCrashedException crashed(IOException error, Supplier<String> when) {
    Optional<Integer> code = process.exitCode(Duration.ofSeconds(5));
    process.awaitStderr(Duration.ofSeconds(2));
    String moment = when.get();
    String what =
        code.map(c -> agentId + " exited with code " + c + " " + moment)
            .orElse(agentId + " closed its output " + moment);
    String tail = process.stderrTail();
    return new AgentCrashedException(
        what
            + (error == null ? "" : " (" + error.getMessage() + ")")
            + (tail.isEmpty() ? "" : "; its last stderr lines:\n" + tail));
  }

  /**
   * The last lines the agent wrote on stderr, once it has stopped writing them (its process ended)
   * or after {@code wait}.
   */
  String stderrTail(Duration wait) {
    process.awaitStderr(wait);
    return process.stderrTail();
  }

  /** Fails every pending and later request with {@code cause}. */
  void fail(AgentException cause) {
    connection.fail(cause);
  }

  /** Kills the agent's process tree and its group at once. */
  void kill() {
    ProcessTree.kill(process.handle(), Duration.ZERO);
    process.killGroup();
  }

  /**
   * Ends the agent: sends {@code session/cancel} for {@code cancelSession} if given, closes its
   * stdin (the protocol's way of asking it to exit), gives it {@code grace} to exit, stops its
   * process tree, writes its exit code to the transcript, and fails what is still pending with
   * {@code closing}.
   */
  void close(Duration grace, Optional<String> cancelSession, AgentException closing) {
    cancelSession.ifPresent(
        id -> {
          ObjectNode params = Json.object();
          params.put("sessionId", id);
          connection.notify("session/cancel", params);
        });
    connection.closeOutput();
    if (process.isAlive() && !grace.isZero()) {
      process.exitCode(grace);
    }
    ProcessTree.kill(process.handle(), process.isAlive() ? TERMINATE_GRACE : Duration.ZERO);
    process.killGroup();
    process
        .exitCode(Duration.ofSeconds(5))
        .ifPresent(
            code -> {
              ObjectNode note = Transcript.noteOf("exit");
              note.put("exitCode", code);
              transcript.note(note);
            });
    connection.fail(closing);
  }
}
