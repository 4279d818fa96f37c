package dev.overnight.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 spoken by hand over a socket, for what the JDK's client will not send: malformed
 * requests, oversized headers, bodies that never arrive. Every exchange asks the server to close
 * the connection, and reads until it does.
 */
final class RawHttp {
  /** A safety net only: every read ends as soon as the server answers or closes. */
  static final int PATIENCE_MILLIS = 60_000;

  private RawHttp() {}

  /** A response: its status, headers (names in lower case) and body. */
  record Response(int status, Map<String, String> headers, String body) {
    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  /**
   * The request head for {@code method} and {@code target} with the token and {@code extra} header
   * lines, ending with the blank line.
   */
  static String head(DashboardServer server, String method, String target, String... extra) {
    StringBuilder b = new StringBuilder();
    b.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    b.append("Host: 127.0.0.1:").append(server.port()).append("\r\n");
    b.append("Authorization: Bearer ").append(server.token()).append("\r\n");
    b.append("Connection: close\r\n");
    for (String line : extra) {
      b.append(line).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  /** Opens a connection and sends {@code bytes} on it, leaving it open. */
  static Socket send(DashboardServer server, String bytes) {
    try {
      Socket socket = new Socket("127.0.0.1", server.port());
      socket.setSoTimeout(PATIENCE_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code bytes} and reads the response. */
  static Response exchange(DashboardServer server, String bytes) {
    try (Socket socket = send(server, bytes)) {
      return read(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a response from an open connection, until the server closes it. */
  static Response read(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        all.write(buffer, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // The server may reset a connection whose request it did not read whole; what it sent
      // before is the answer.
    }
    byte[] bytes = all.toByteArray();
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IllegalStateException("no complete response: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line : Arrays.asList(lines).subList(1, lines.length)) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).strip());
    }
    byte[] body = Arrays.copyOfRange(bytes, end + 4, bytes.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = unchunk(body);
    }
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] unchunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < chunked.length) {
      int lineEnd = i;
      while (chunked[lineEnd] != '\r') {
        lineEnd++;
      }
      String size = new String(chunked, i, lineEnd - i, StandardCharsets.ISO_8859_1);
      int n = Integer.parseInt(size.split(";")[0].strip(), 16);
      if (n == 0) {
        break;
      }
      out.write(chunked, lineEnd + 2, n);
      i = lineEnd + 2 + n + 2;
    }
    return out.toByteArray();
  }
}
