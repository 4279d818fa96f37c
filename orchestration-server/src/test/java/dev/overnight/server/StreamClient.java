package dev.overnight.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client of the dashboard's stream, on the JDK's own client. It reads one message at a
 * time, or, once {@linkplain #stall() stalled}, stops reading from the socket altogether (the JDK
 * client reads only on demand), like a client that hangs. Every message it hands out has been
 * validated against the stream's published schema.
 */
final class StreamClient implements WebSocket.Listener, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A safety net only: every wait ends as soon as its condition holds. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private final java.util.concurrent.Semaphore pings = new java.util.concurrent.Semaphore(0);
  private final boolean stalledFromStart;
  private WebSocket socket;

  private StreamClient(boolean stalledFromStart) {
    this.stalledFromStart = stalledFromStart;
  }

  /** Connects with the token in the Authorization header, reading every message. */
  static StreamClient connect(DashboardServer server) {
    return connect(server.webSocketUri(), server.token(), null, false);
  }

  /** Connects without ever reading a message. */
  static StreamClient connectStalled(DashboardServer server) {
    return connect(server.webSocketUri(), server.token(), null, true);
  }

  static StreamClient connect(URI uri, String token, String origin, boolean stalled) {
    StreamClient client = new StreamClient(stalled);
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    if (origin != null) {
      builder.header("Origin", origin);
    }
    client.socket = builder.buildAsync(uri, client).join();
    return client;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    if (!stalledFromStart) {
      webSocket.request(1);
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      messages.add(partial.toString());
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
    // The JDK client answers every ping with a pong by itself.
    pings.release();
    webSocket.request(1);
    return null;
  }

  /** Waits until {@code n} more pings from the server have arrived. */
  void awaitPings(int n) {
    try {
      assertThat(pings.tryAcquire(n, PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
          .as("%d pings within %s", n, PATIENCE)
          .isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(-1);
  }

  /** Starts reading again after a stall. */
  void resume() {
    socket.request(1);
  }

  /** The next message, once it has passed the schema. */
  JsonNode next() {
    String m;
    try {
      m = messages.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    assertThat(m).as("a message within %s", PATIENCE).isNotNull();
    assertThat(ShapeSchemas.errors("stream-message.schema.json", m)).as("message %s", m).isEmpty();
    try {
      return JSON.readTree(m);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every message up to and including the first that matches. */
  List<JsonNode> until(Predicate<JsonNode> last) {
    List<JsonNode> seen = new ArrayList<>();
    while (true) {
      JsonNode m = next();
      seen.add(m);
      if (last.test(m)) {
        return seen;
      }
    }
  }

  /** Completes with the close status when the connection ends. */
  CompletableFuture<Integer> closed() {
    return closed;
  }

  @Override
  public void close() {
    socket.abort();
  }
}
