package dev.overnight.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forwarding TCP proxy on a local port, for the tests: every connection made to it is joined to a
 * new connection to the target. {@link #cut()} makes it stop forwarding in both directions without
 * closing a socket, as a network that silently drops a machine's packets does; {@link #restore()}
 * forwards again, including what was held back. {@link #dropOpenConnections()} silently discards
 * everything sent on the connections open at that moment, for good, while new connections go
 * through: a route that died under long-lived connections only.
 *
 * <p>Thread-safe; one daemon thread accepts, two per connection forward.
 */
final class TcpProxy implements AutoCloseable {

  private final int targetPort;
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Set<Socket> dropped = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private boolean forwarding = true; // guarded by gate
  private volatile boolean closed;

  /** Starts a proxy to {@code localhost:targetPort} on a free local port. */
  TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::accept, "proxy-accept").start();
  }

  /** The port the proxy listens on. */
  int port() {
    return server.getLocalPort();
  }

  /** Stops forwarding: bytes sent either way are held, and every socket stays open. */
  void cut() {
    synchronized (gate) {
      forwarding = false;
    }
  }

  /** Discards, from now on, every byte sent either way on the connections open now. */
  void dropOpenConnections() {
    dropped.addAll(sockets);
  }

  /** Forwards again, what was held back first. */
  void restore() {
    synchronized (gate) {
      forwarding = true;
      gate.notifyAll();
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        daemon(() -> pump(client, upstream), "proxy-up").start();
        daemon(() -> pump(upstream, client), "proxy-down").start();
      } catch (IOException e) {
        if (!closed) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[8192];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        awaitForwarding();
        if (dropped.contains(from)) {
          continue; // lost on the way, and nobody is told
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // One side closed: close the other too, below.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void awaitForwarding() throws InterruptedException {
    synchronized (gate) {
      while (!forwarding && !closed) {
        gate.wait();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    restore();
    closeQuietly(server);
    sockets.forEach(TcpProxy::closeQuietly);
  }

  private static Thread daemon(Runnable body, String name) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Already closed by the other side.
    }
  }
}
