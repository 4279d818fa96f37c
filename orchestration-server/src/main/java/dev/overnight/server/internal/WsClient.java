package dev.overnight.server.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected WebSocket client: a bounded queue of messages and a flusher that sends them one at
 * a time. When the queue is full the oldest message is dropped, and the client is sent a gap notice
 * with the count before anything newer, so it knows it missed some. A client that stops reading
 * entirely makes no progress and is closed by the connection's idle timeout.
 */
public final class WsClient implements Session.Listener.AutoDemanding {
  private static final Logger LOG = LoggerFactory.getLogger(WsClient.class);
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final Broadcaster broadcaster;
  private final Executor executor;
  private final int capacity;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final AtomicBoolean wakeScheduled = new AtomicBoolean();
  private final Flusher flusher = new Flusher();
  private volatile Session session;
  private long dropped;
  private long droppedTotal;
  private long sent;

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
  public void onWebSocketOpen(Session opened) {
    session = opened;
    broadcaster.register(this);
  }

  @Override
  public void onWebSocketText(String message) {
    // The stream is one-way; clients have nothing to say but may keep the connection busy.
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    broadcaster.unregister(this);
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    LOG.debug("Dashboard client {} failed: {}", remote(), cause.toString());
    broadcaster.unregister(this);
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
    Session s = session;
    if (s != null && s.isOpen()) {
      s.sendPing(EMPTY.duplicate(), Callback.NOOP);
    }
  }

  /** Messages waiting to be sent. */
  public synchronized int queued() {
    return queue.size();
  }

  /** Messages dropped for this client since it connected. */
  public synchronized long droppedTotal() {
    return droppedTotal;
  }

  /** Messages sent to this client. */
  public synchronized long sent() {
    return sent;
  }

  private String remote() {
    Session s = session;
    return s == null ? "?" : String.valueOf(s.getRemoteSocketAddress());
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
        if (next != null) {
          sent++;
        }
      }
      Session s = session;
      if (next == null || s == null) {
        return Action.IDLE;
      }
      s.sendText(next, Callback.from(this::succeeded, this::failed));
      return Action.SCHEDULED;
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
      LOG.debug("Dashboard client {} dropped: {}", remote(), cause.toString());
      broadcaster.unregister(WsClient.this);
      Session s = session;
      if (s != null) {
        s.disconnect();
      }
    }
  }
}
