package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.agent.AgentProtocolException;
import dev.overnight.core.secrets.Redactor;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes what an agent sends to the part of the session that handles it: {@code session/update} to
 * the updates, the login notification its profile reads to the auth-status watch, permission
 * requests to the broker, file requests to the file system, terminal requests to the terminals (in
 * a read-only session, writes and terminals are refused whatever the agent was offered); other
 * notifications are ignored and other requests answered "method not found". A request for another
 * session is refused, and every refusal written to the transcript.
 *
 * <p>Secrets are redacted on the way through: from the agent's updates before anyone sees them (the
 * session stream, the dashboard, the report's summary), and from terminal output before the agent
 * does (so a command that prints the environment does not put a key into the model's context and
 * from there into a commit or a pull request).
 *
 * <p>Counts the requests being served: an agent waiting on an answer is not silent. Thread-safe;
 * notifications run on the reader thread, requests on the connection's workers.
 */
final class Dispatcher implements AcpConnection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final String agentId;
  private final Supplier<String> sessionId;
  private final Optional<AgentExtensions.AuthStatus> authStatusNotification;
  private final AuthStatusWatch authStatus;
  private final SessionUpdates updates;
  private final PermissionBroker permissions;
  private final FileSystemService fs;
  private final TerminalService terminals;
  private final boolean readOnly;
  private final Transcript transcript;
  private final Redactor redactor;
  private final Consumer<AgentProtocolException> protocolViolated;
  private final Consumer<IOException> endOfStream;
  private final AtomicInteger requestsInFlight = new AtomicInteger();

  /** Where each kind of message goes. The session's id is {@code null} until it is known. */
  Dispatcher(
      String agentId,
      Supplier<String> sessionId,
      AgentExtensions extensions,
      AuthStatusWatch authStatus,
      SessionUpdates updates,
      PermissionBroker permissions,
      FileSystemService fs,
      TerminalService terminals,
      boolean readOnly,
      Transcript transcript,
      Redactor redactor,
      Consumer<AgentProtocolException> protocolViolated,
      Consumer<IOException> endOfStream) {
    this.agentId = agentId;
    this.sessionId = sessionId;
    this.authStatusNotification = extensions.authStatus();
    this.authStatus = authStatus;
    this.updates = updates;
    this.permissions = permissions;
    this.fs = fs;
    this.terminals = terminals;
    this.readOnly = readOnly;
    this.transcript = transcript;
    this.redactor = redactor;
    this.protocolViolated = protocolViolated;
    this.endOfStream = endOfStream;
  }

  /** How many of the agent's requests are being served right now. */
  int requestsInFlight() {
    return requestsInFlight.get();
  }

  @Override
  public void onNotification(String method, JsonNode params) {
    if (method.equals("session/update")) {
      updates.accept(redactor.redact(params));
    } else if (authStatusNotification.filter(n -> n.method().equals(method)).isPresent()) {
      authStatus.report(authStatusNotification.get().notLoggedIn().test(params));
    } else {
      LOG.debug("{}: ignoring notification {}", agentId, method);
    }
  }

  @Override
  public JsonNode onRequest(String method, JsonNode params) throws RpcException {
    String asked = Json.text(params, "sessionId", null);
    String ours = sessionId.get();
    if (asked != null && ours != null && !asked.equals(ours)) {
      throw new RpcException(RpcException.INVALID_PARAMS, "Unknown session " + asked);
    }
    requestsInFlight.incrementAndGet();
    try {
      if (readOnly && (method.equals("fs/write_text_file") || method.startsWith("terminal/"))) {
        // Not offered at initialize; an agent that asks anyway is refused, not obeyed.
        throw new RpcException(
            RpcException.INVALID_PARAMS, "Refused " + method + ": the session is read-only");
      }
      switch (method) {
        case "session/request_permission":
          return permissions.answer(params);
        case "fs/read_text_file":
          return fs.read(params);
        case "fs/write_text_file":
          return fs.write(params);
        case "terminal/create":
          return terminals.create(params);
        case "terminal/output":
          return redactor.redact(terminals.output(params));
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
        ObjectNode note = Transcript.noteOf("refused");
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
    protocolViolated.accept(cause);
  }

  @Override
  public void onEndOfStream(IOException error) {
    endOfStream.accept(error);
  }
}
