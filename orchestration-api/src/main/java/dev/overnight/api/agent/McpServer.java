package dev.overnight.api.agent;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An MCP server an agent session should connect to; sent with every {@code session/new}.
 *
 * @since 0.1.0
 */
public sealed interface McpServer {

  /** The server's name, unique within a session. */
  String name();

  /** A server started as a child process speaking over stdio. */
  record Stdio(String name, String command, List<String> args, Map<String, String> env)
      implements McpServer {
    /** Validates and copies the components. */
    public Stdio {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(command, "command");
      args = List.copyOf(args);
      env = Map.copyOf(env);
    }
  }

  /** A server reached over streamable HTTP. */
  record Http(String name, String url, Map<String, String> headers) implements McpServer {
    /** Validates and copies the components. */
    public Http {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(url, "url");
      headers = Map.copyOf(headers);
    }
  }

  /** A server reached over server-sent events. */
  record Sse(String name, String url, Map<String, String> headers) implements McpServer {
    /** Validates and copies the components. */
    public Sse {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(url, "url");
      headers = Map.copyOf(headers);
    }
  }
}
