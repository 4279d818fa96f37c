package dev.overnight.acp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted imitation of the Anthropic Messages API on 127.0.0.1, enough for Claude Code to run
 * one real turn: the first model call answers with a {@code Write} tool use (a file in the
 * worktree), the call that carries the tool's result answers with text. Responses stream as
 * server-sent events, as the real API does.
 */
final class FakeAnthropicApi extends FakeStreamingApi {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path fileToWrite;
  private final String content;
  private final String finalText;
  final List<String> apiKeys = new CopyOnWriteArrayList<>();

  FakeAnthropicApi(Path fileToWrite, String content) throws IOException {
    this(fileToWrite, content, "Done: wrote the file.");
  }

  /**
   * An API whose model asks to write {@code content} to {@code fileToWrite}, then answers {@code
   * finalText} whatever became of the write (a read-only session refuses it).
   */
  FakeAnthropicApi(Path fileToWrite, String content, String finalText) throws IOException {
    this.fileToWrite = fileToWrite;
    this.content = content;
    this.finalText = finalText;
    start();
  }

  @Override
  void handle(HttpExchange exchange, byte[] body) throws IOException {
    String key = exchange.getRequestHeaders().getFirst("x-api-key");
    if (key != null) {
      apiKeys.add(key);
    }
    if (!exchange.getRequestMethod().equals("POST")
        || !exchange.getRequestURI().getPath().startsWith("/v1/messages")) {
      send(
          exchange,
          404,
          "application/json",
          "{\"type\":\"error\",\"error\":{\"type\":"
              + "\"not_found_error\",\"message\":\"not here\"}}");
      return;
    }
    JsonNode request = MAPPER.readTree(body);
    if (exchange.getRequestURI().getPath().endsWith("/count_tokens")) {
      send(exchange, 200, "application/json", "{\"input_tokens\":10}");
      return;
    }
    boolean offersWrite = false;
    for (JsonNode tool : request.path("tools")) {
      offersWrite |= tool.path("name").asText().equals("Write");
    }
    JsonNode messages = request.path("messages");
    JsonNode last = messages.size() == 0 ? null : messages.get(messages.size() - 1);
    boolean hasToolResult = false;
    if (last != null) {
      for (JsonNode block : last.path("content")) {
        hasToolResult |= block.path("type").asText().equals("tool_result");
      }
    }
    String model = request.path("model").asText("claude");
    StringBuilder sse = new StringBuilder();
    if (offersWrite && !hasToolResult) {
      ObjectNode input = MAPPER.createObjectNode();
      input.put("file_path", fileToWrite.toString());
      input.put("content", content);
      event(sse, "message_start", start(model, 20));
      event(
          sse,
          "content_block_start",
          "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":"
              + "\"tool_use\",\"id\":\"toolu_01\",\"name\":\"Write\",\"input\":{}}}");
      block(sse, "input_json_delta", "partial_json", input.toString());
      event(sse, "message_delta", stop("tool_use", 15));
    } else {
      String text = hasToolResult ? finalText : "A title";
      event(sse, "message_start", start(model, 12));
      event(
          sse,
          "content_block_start",
          "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
              + "\"text\":\"\"}}");
      block(sse, "text_delta", "text", text);
      event(sse, "message_delta", stop("end_turn", 6));
    }
    event(sse, "message_stop", "{\"type\":\"message_stop\"}");
    send(exchange, 200, "text/event-stream", sse.toString());
  }

  /** The first content block's one delta ({@code type} with {@code key: value}), then its end. */
  private static void block(StringBuilder sse, String type, String key, String value) {
    ObjectNode delta = MAPPER.createObjectNode();
    delta.put("type", "content_block_delta");
    delta.put("index", 0);
    delta.putObject("delta").put("type", type).put(key, value);
    event(sse, "content_block_delta", delta.toString());
    event(sse, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
  }

  private static String start(String model, int inputTokens) {
    return "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_"
        + System.nanoTime()
        + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
        + model
        + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{"
        + "\"input_tokens\":"
        + inputTokens
        + ",\"output_tokens\":1}}}";
  }

  private static String stop(String reason, int outputTokens) {
    return "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
        + reason
        + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":"
        + outputTokens
        + "}}";
  }
}
