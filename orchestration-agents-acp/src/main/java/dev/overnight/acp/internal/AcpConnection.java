package dev.overnight.acp.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.agent.AgentCrashedException;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC 2.0 over newline-delimited JSON, the way ACP uses it on an agent's stdio.
 *
 * <p>One reader thread reads, parses and classifies every line by shape: {@code method} and {@code
 * id} is a request from the agent (its ids are a separate space from ours), {@code method} alone a
 * notification, {@code id} alone a response to us. Notifications are handled on the reader thread
 * (they must stay in order and be cheap); requests run on the worker executor, so a slow file read
 * or a terminal wait never stops the reader; responses complete their futures on the worker
 * executor, so nothing a caller chains onto a future runs on the reader either. A pending prompt
 * therefore never blocks anything.
 *
 * <p>Protocol violations (non-JSON, an oversized line, a response to an id never sent) are fatal:
 * the listener hears of them once and every pending request fails with the same cause.
 */
final class AcpConnection implements RpcChannel {
  private static final Logger LOG = LoggerFactory.getLogger(AcpConnection.class);
  private static final byte[] NEWLINE = {'\n'};

  /** What the connection tells its owner. */
  interface Listener {
    /** A notification from the agent; runs on the reader thread and must not block. */
    void onNotification(String method, JsonNode params);

    /**
     * A request from the agent; runs on a worker thread.
     *
     * @return the result ({@code null} is sent as an empty object)
     * @throws RpcException to answer with that error
     */
    JsonNode onRequest(String method, JsonNode params) throws RpcException;

    /** The agent broke the protocol; called at most once, on the reader thread. */
    void onProtocolViolation(AgentProtocolException cause);

    /** The agent's output ended (it exited or closed stdout), or reading it failed. */
    void onEndOfStream(IOException error);
  }

  private final String name;
  private final InputStream in;
  private final OutputStream out;
  private final int maxLineBytes;
  private final Executor workers;
  private final Transcript transcript;
  private final InstantSource clock;
  private final Listener listener;

  private final AtomicLong nextId = new AtomicLong();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final Object writeLock = new Object();
  private volatile AgentException failure;
  private volatile Instant lastActivity;
  private volatile LineReader lineReader;
  private Thread reader;

  private record Pending(String method, CompletableFuture<JsonNode> future) {}

  AcpConnection(
      String name,
      InputStream in,
      OutputStream out,
      int maxLineBytes,
      Executor workers,
      Transcript transcript,
      InstantSource clock,
      Listener listener) {
    this.name = Objects.requireNonNull(name, "name");
    this.in = Objects.requireNonNull(in, "in");
    this.out = Objects.requireNonNull(out, "out");
    this.maxLineBytes = maxLineBytes;
    this.workers = Objects.requireNonNull(workers, "workers");
    this.transcript = Objects.requireNonNull(transcript, "transcript");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.lastActivity = clock.instant();
  }

  /** Starts the reader thread. */
  void start(ThreadFactory threads) {
    reader = threads.newThread(this::readLoop);
    reader.start();
  }

  Thread readerThread() {
    return reader;
  }

  @Override
  public Instant lastActivity() {
    return lastActivity;
  }

  /** Bytes the line reader ever held for one line (for the bounded-memory guarantee). */
  long lineBufferHighWater() {
    LineReader r = lineReader;
    return r == null ? 0 : r.highWaterBytes();
  }

  @Override
  public CompletableFuture<JsonNode> request(String method, JsonNode params) {
    CompletableFuture<JsonNode> future = new CompletableFuture<>();
    AgentException failed = failure;
    if (failed != null) {
      future.completeExceptionally(failed);
      return future;
    }
    long id = nextId.getAndIncrement();
    pending.put(id, new Pending(method, future));
    ObjectNode message = Json.object();
    message.put("jsonrpc", "2.0");
    message.put("id", id);
    message.put("method", method);
    if (params != null) {
      message.set("params", params);
    }
    try {
      write(message);
    } catch (IOException e) {
      pending.remove(id);
      AgentException cause = failure;
      future.completeExceptionally(
          cause != null
              ? cause
              : new AgentCrashedException(
                  name + " is not reading its input any more (" + method + " not sent)", e));
    }
    // A failure that raced with the put must not leave this request hanging.
    if (failure != null && pending.remove(id) != null) {
      future.completeExceptionally(failure);
    }
    return future;
  }

  @Override
  public void notify(String method, JsonNode params) {
    ObjectNode message = Json.object();
    message.put("jsonrpc", "2.0");
    message.put("method", method);
    if (params != null) {
      message.set("params", params);
    }
    try {
      write(message);
    } catch (IOException e) {
      LOG.debug("{}: could not send {}: {}", name, method, e.toString());
    }
  }

  /**
   * Marks the connection failed: every pending request and every later one fails with {@code
   * cause}. Idempotent; the first cause wins.
   */
  void fail(AgentException cause) {
    synchronized (pending) {
      if (failure == null) {
        failure = cause;
      }
    }
    for (Long id : pending.keySet()) {
      Pending p = pending.remove(id);
      if (p != null) {
        p.future.completeExceptionally(failure);
      }
    }
  }

  /** Closes the agent's stdin: the protocol's way of asking it to exit. */
  void closeOutput() {
    synchronized (writeLock) {
      try {
        out.close();
      } catch (IOException e) {
        LOG.debug("{}: closing stdin: {}", name, e.toString());
      }
    }
  }

  private void write(ObjectNode message) throws IOException {
    byte[] bytes;
    try {
      bytes = Json.MAPPER.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise an ACP message", e);
    }
    synchronized (writeLock) {
      out.write(bytes);
      out.write(NEWLINE);
      out.flush();
    }
    transcript.client(bytes, 0, bytes.length);
  }

  private void readLoop() {
    LineReader lines = new LineReader(in, maxLineBytes);
    lineReader = lines;
    try {
      while (lines.next()) {
        if (failure != null) {
          return;
        }
        int length = lines.length();
        if (length == 0 || isBlank(lines.array(), lines.offset(), length)) {
          continue;
        }
        lastActivity = clock.instant();
        JsonNode message;
        try {
          message = Json.MAPPER.readTree(lines.array(), lines.offset(), length);
        } catch (IOException e) {
          String text = new String(lines.array(), lines.offset(), Math.min(length, 200), UTF8);
          transcript.agentRaw(lines.array(), lines.offset(), length);
          violation(
              name
                  + " wrote a line that is not JSON on stdout (ACP allows only JSON-RPC messages"
                  + " there): "
                  + Json.preview(text.strip(), 160));
          return;
        }
        transcript.agent(lines.array(), lines.offset(), length);
        if (!dispatch(message)) {
          return;
        }
      }
      if (failure == null) {
        listener.onEndOfStream(null);
      }
    } catch (LineReader.LineTooLongException e) {
      violation(
          name
              + " wrote a line longer than "
              + (maxLineBytes / (1024 * 1024))
              + " MiB ("
              + maxLineBytes
              + " bytes) on stdout; the session was stopped to keep memory bounded");
    } catch (IOException e) {
      if (failure == null) {
        listener.onEndOfStream(e);
      }
    } catch (RuntimeException | Error e) {
      LOG.error("{}: the ACP reader failed", name, e);
      if (failure == null) {
        listener.onProtocolViolation(
            new AgentProtocolException(name + ": reading its messages failed: " + e, e));
      }
    }
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static boolean isBlank(byte[] a, int off, int len) {
    for (int i = off; i < off + len; i++) {
      byte b = a[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private void violation(String message) {
    if (failure == null) {
      listener.onProtocolViolation(new AgentProtocolException(message));
    }
  }

  /** Classifies one message by shape; false when the connection must stop reading. */
  private boolean dispatch(JsonNode message) {
    if (!message.isObject()) {
      // ACP has no batches: answer a JSON array (or any non-object) with one -32600, id null.
      sendError(
          Json.NODES.nullNode(),
          new RpcException(RpcException.INVALID_REQUEST, "Invalid request: expected an object"));
      return true;
    }
    JsonNode method = message.get("method");
    JsonNode id = message.get("id");
    if (method != null && method.isTextual()) {
      JsonNode params = message.get("params");
      if (id == null) {
        try {
          listener.onNotification(method.asText(), params);
        } catch (RuntimeException e) {
          LOG.warn("{}: handling {} failed", name, method.asText(), e);
        }
      } else {
        handleRequest(id, method.asText(), params);
      }
      return true;
    }
    if (id != null && (message.has("result") || message.has("error"))) {
      return handleResponse(id, message);
    }
    LOG.warn("{}: ignoring a message that is neither request nor response: {}", name, message);
    if (id != null) {
      sendError(id, new RpcException(RpcException.INVALID_REQUEST, "Invalid request"));
    }
    return true;
  }

  private boolean handleResponse(JsonNode id, JsonNode message) {
    Pending p = id.canConvertToLong() && id.isIntegralNumber() ? pending.remove(id.asLong()) : null;
    if (p == null) {
      violation(
          name
              + " answered request id "
              + id
              + ", which Overnight never sent or had already been answered");
      return false;
    }
    JsonNode error = message.get("error");
    if (error != null && !error.isNull()) {
      RpcException e = RpcException.fromWire(error);
      completeLater(() -> p.future.completeExceptionally(e));
    } else {
      JsonNode result = message.get("result");
      completeLater(() -> p.future.complete(result == null ? Json.NODES.nullNode() : result));
    }
    return true;
  }

  private void completeLater(Runnable completion) {
    try {
      workers.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run();
    }
  }

  private void handleRequest(JsonNode id, String method, JsonNode params) {
    Runnable task =
        () -> {
          try {
            JsonNode result = listener.onRequest(method, params);
            sendResult(id, result == null ? Json.object() : result);
          } catch (RpcException e) {
            sendError(id, e);
          } catch (RuntimeException e) {
            LOG.warn("{}: answering {} failed", name, method, e);
            sendError(
                id,
                new RpcException(RpcException.INTERNAL_ERROR, "Internal error: " + e.getMessage()));
          }
        };
    try {
      workers.execute(task);
    } catch (RejectedExecutionException e) {
      sendError(
          id, new RpcException(RpcException.INTERNAL_ERROR, "Internal error: client closing"));
    }
  }

  private void sendResult(JsonNode id, JsonNode result) {
    ObjectNode message = Json.object();
    message.put("jsonrpc", "2.0");
    message.set("id", id);
    message.set("result", result);
    send(message);
  }

  private void sendError(JsonNode id, RpcException error) {
    ObjectNode message = Json.object();
    message.put("jsonrpc", "2.0");
    message.set("id", id);
    message.set("error", error.toWire());
    send(message);
  }

  private void send(ObjectNode message) {
    try {
      write(message);
    } catch (IOException e) {
      LOG.debug("{}: could not answer: {}", name, e.toString());
    }
  }
}
