package dev.overnight.acp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An imitation of a model vendor's HTTP API on 127.0.0.1 that answers with server-sent events, as
 * the real ones do; subclasses script the answers. Records every request's method and path.
 */
abstract class FakeStreamingApi implements AutoCloseable {
  private final HttpServer server;
  final List<String> paths = new CopyOnWriteArrayList<>();

  FakeStreamingApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            handle(exchange, exchange.getRequestBody().readAllBytes());
          }
        });
  }

  /** Starts serving; subclasses call it once their fields are set. */
  final void start() {
    server.start();
  }

  /** Answers one request whose body was {@code body}. */
  abstract void handle(HttpExchange exchange, byte[] body) throws IOException;

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  static void event(StringBuilder sse, String name, String data) {
    sse.append("event: ").append(name).append('\n').append("data: ").append(data).append("\n\n");
  }

  static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
