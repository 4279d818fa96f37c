package dev.overnight.server.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected WebSocket client: a bounded queue of messages and a flusher that sends them one at
 * a time. When the queue is full the oldest message is dropped, and the client is sent a gap notice
 * with the count before anything newer, so it knows it missed some. A client that stops reading
 * entirely makes no progress and is closed by the connection's idle timeout.
 *
 * <p>Written against Jetty's core WebSocket API, which calls this handler through its interface:
 * the higher-level API binds endpoint methods through a public method-handle lookup, which on the
 * module path would force the endpoint into an exported package.
 */
public final class WsClient implements FrameHandler {
  private static final Logger LOG = LoggerFactory.getLogger(WsClient.class);

  private final Broadcaster broadcaster;
  private final Executor executor;
  private final int capacity;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final AtomicBoolean wakeScheduled = new AtomicBoolean();
  private final Flusher flusher = new Flusher();
  private volatile CoreSession session;
  private long dropped;
  private long droppedTotal;

  /**
   * A client.
   *
   * @param broadcaster where it registers once open
   * @param executor the threads that send its messages
   * @param capacity the most messages it may have waiting
   */
  public WsClient(Broadcaster broadcaster, Executor executor, int capacity) {
    this.broadcaster = broadcaster;
    this.executor = executor;
    this.capacity = capacity;
  }

  @Override
  public void onOpen(CoreSession opened, Callback callback) {
    session = opened;
    callback.succeeded();
    broadcaster.register(this);
    opened.demand();
  }

  @Override
  public void onFrame(Frame frame, Callback callback) {
    // The stream is one-way: what a client sends is read and dropped, but pings are answered.
    byte opCode = frame.getOpCode();
    if (opCode == OpCode.PING) {
      ByteBuffer payload = ByteBuffer.allocate(frame.getPayloadLength());
      if (frame.hasPayload()) {
        payload.put(frame.getPayload().slice()).flip();
      }
      session.sendFrame(new Frame(OpCode.PONG, payload), Callback.NOOP, false);
    }
    callback.succeeded();
    if (opCode != OpCode.CLOSE) {
      session.demand();
    }
  }

  @Override
  public void onError(Throwable cause, Callback callback) {
    LOG.debug("Dashboard client {} failed: {}", remote(), cause.toString());
    broadcaster.unregister(this);
    callback.succeeded();
  }

  @Override
  public void onClosed(CloseStatus closeStatus, Callback callback) {
    broadcaster.unregister(this);
    callback.succeeded();
  }

  /** Adds a message, dropping the oldest if full. Never blocks; call {@link #wake()} after. */
  synchronized void enqueue(String message) {
    if (queue.size() >= capacity) {
      queue.removeFirst();
      dropped++;
      droppedTotal++;
    }
    queue.addLast(message);
  }

  /** Has the queue drained on the server's threads, off the publisher's. */
  void wake() {
    if (wakeScheduled.compareAndSet(false, true)) {
      executor.execute(
          () -> {
            wakeScheduled.set(false);
            flusher.iterate();
          });
    }
  }

  /** Sends a ping so that a healthy but quiet connection shows activity. */
  public void ping() {
    CoreSession s = session;
    if (s != null && s.isOutputOpen()) {
      s.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
    }
  }

  /** Messages dropped for this client since it connected. */
  public synchronized long droppedTotal() {
    return droppedTotal;
  }

  private String remote() {
    CoreSession s = session;
    return s == null ? "?" : String.valueOf(s.getRemoteAddress());
  }

  /** Sends queued messages one at a time; a gap notice goes first when messages were dropped. */
  private final class Flusher extends IteratingCallback {
    @Override
    protected Action process() {
      String next;
      synchronized (WsClient.this) {
        if (dropped > 0) {
          next = broadcaster.gap(dropped);
          dropped = 0;
        } else {
          next = queue.pollFirst();
        }
      }
      CoreSession s = session;
      if (next == null || s == null) {
        return Action.IDLE;
      }
      s.sendFrame(new Frame(OpCode.TEXT, next), this, false);
      return Action.SCHEDULED;
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
      LOG.debug("Dashboard client {} dropped: {}", remote(), cause.toString());
      broadcaster.unregister(WsClient.this);
      CoreSession s = session;
      if (s != null) {
        s.abort();
      }
    }
  }
}
