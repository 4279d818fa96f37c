package dev.overnight.nostr.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.nostr.NostrException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One WebSocket connection to a Nostr relay, on the JDK's {@link WebSocket}: sends client messages
 * and hands over the relay's messages one at a time, each checked to be a JSON array whose first
 * element is a string. Anything else — text that is not JSON, a message over {@link
 * #MAX_MESSAGE_CHARS}, binary frames, the connection closing — is a {@link NostrException} naming
 * the relay.
 *
 * <p>Used by one thread at a time; every call blocks for at most the timeout it was opened with.
 *
 * @since 0.1.0
 */
public final class RelayConnection implements AutoCloseable {
  /** The longest message accepted from a relay. */
  public static final int MAX_MESSAGE_CHARS = 1024 * 1024;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final URI relay;
  private final Duration timeout;
  private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final WebSocket socket;

  private RelayConnection(URI relay, Duration timeout) {
    this.relay = relay;
    this.timeout = timeout;
    try {
      this.socket =
          HTTP.newWebSocketBuilder()
              .connectTimeout(timeout)
              .buildAsync(relay, new Listener())
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      while (cause.getCause() != null && !(cause instanceof ConnectException)) {
        cause = cause.getCause();
      }
      throw new NostrException(
          "cannot reach the relay " + relay + ": " + describe(cause) + " (is it running?)", e);
    } catch (TimeoutException e) {
      throw new NostrException(
          "cannot reach the relay "
              + relay
              + ": no connection within "
              + timeout.toSeconds()
              + " s",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NostrException("interrupted while connecting to " + relay, e);
    }
  }

  /** Connects to {@code relay}, waiting at most {@code timeout} for this and every later step. */
  public static RelayConnection open(URI relay, Duration timeout) {
    return new RelayConnection(relay, timeout);
  }

  /** The relay's address. */
  public URI relay() {
    return relay;
  }

  /** Sends one client message (a JSON array). */
  public void send(ArrayNode message) {
    try {
      socket
          .sendText(OvernightJson.write(message), true)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new NostrException(
          "cannot send to the relay " + relay + ": " + describe(e.getCause()), e);
    } catch (TimeoutException e) {
      throw new NostrException(
          "the relay " + relay + " took no message in " + timeout.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NostrException("interrupted while sending to " + relay, e);
    }
  }

  /**
   * The relay's next message: a JSON array whose first element is its type ({@code OK}, {@code
   * EVENT}, {@code EOSE}, {@code CLOSED}, {@code NOTICE}, …).
   *
   * @throws NostrException if none comes in time, the connection ends, or the relay sent something
   *     that is not a Nostr message
   */
  public ArrayNode next() {
    Object item;
    try {
      item = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NostrException("interrupted while waiting for " + relay, e);
    }
    if (item == null) {
      throw new NostrException(
          "the relay " + relay + " did not answer within " + timeout.toSeconds() + " s");
    }
    if (item instanceof NostrException failure) {
      inbox.add(failure);
      throw new NostrException(failure.getMessage(), failure);
    }
    String text = (String) item;
    JsonNode message;
    try {
      message = OvernightJson.read(text);
    } catch (IllegalArgumentException e) {
      message = null;
    }
    if (message == null || !message.isArray() || message.isEmpty() || !message.get(0).isTextual()) {
      throw new NostrException(
          "the relay "
              + relay
              + " answered with something that is not a Nostr message: "
              + excerpt(text));
    }
    return (ArrayNode) message;
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
    }
    socket.abort();
  }

  private static String excerpt(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() > 120 ? oneLine.substring(0, 120) + "…" : oneLine;
  }

  private static String describe(Throwable t) {
    if (t == null) {
      return "unknown error";
    }
    if (t instanceof ConnectException) {
      return "connection refused";
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Collects text messages whole; turns anything else into a failure in the inbox. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      if (partial.length() + data.length() > MAX_MESSAGE_CHARS) {
        partial.setLength(0);
        inbox.add(
            new NostrException(
                "the relay "
                    + relay
                    + " sent a message over "
                    + MAX_MESSAGE_CHARS
                    + " characters"));
        ws.abort();
        return null;
      }
      partial.append(data);
      if (last) {
        inbox.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      inbox.add(
          new NostrException(
              "the relay " + relay + " sent binary data, which is not a Nostr message"));
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      inbox.add(
          new NostrException(
              "the relay "
                  + relay
                  + " closed the connection ("
                  + statusCode
                  + (reason == null || reason.isBlank() ? "" : ": " + reason)
                  + ")"));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      inbox.add(
          new NostrException(
              "the connection to the relay " + relay + " failed: " + describe(error), error));
    }
  }
}
