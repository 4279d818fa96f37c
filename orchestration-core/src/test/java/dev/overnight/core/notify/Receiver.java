package dev.overnight.core.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server on 127.0.0.1 standing in for webhook, Slack and ntfy receivers: each path answers
 * as told (accepting, failing with 500, or never answering) and every request is kept.
 */
final class Receiver implements AutoCloseable {
  /** How long a test waits for a request at most: a bound against a hung test. */
  static final Duration SAFETY_NET = Duration.ofSeconds(30);

  enum Answer {
    ACCEPT,
    FAIL,
    HANG
  }

  record Request(String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Map<String, LinkedBlockingQueue<Request>> received = new ConcurrentHashMap<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.start();
  }

  /** Answers requests to {@code path} as told. */
  Receiver on(String path, Answer answer) {
    received.put(path, new LinkedBlockingQueue<>());
    server.createContext(path, exchange -> handle(exchange, path, answer));
    return this;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next request to {@code path}; fails the test if none comes within the safety net. */
  Request next(String path) throws InterruptedException {
    Request r = received.get(path).poll(SAFETY_NET.toSeconds(), TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no request reached " + path);
    }
    return r;
  }

  /** Requests to {@code path} that arrived and were not taken yet. */
  List<Request> pending(String path) {
    return List.copyOf(received.get(path));
  }

  private void handle(HttpExchange exchange, String path, Answer answer) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received
        .get(path)
        .add(new Request(exchange.getRequestURI().getPath(), exchange.getRequestHeaders(), body));
    switch (answer) {
      case ACCEPT -> exchange.sendResponseHeaders(200, -1);
      case FAIL -> {
        byte[] said = "boom".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(500, said.length);
        exchange.getResponseBody().write(said);
      }
      case HANG -> {
        try {
          closing.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
