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
 * A scripted imitation of the Gemini API on 127.0.0.1, enough for Gemini CLI to run one real turn:
 * a streamed call that offers {@code write_file} answers with that function call (a file in the
 * worktree), the call that carries its result answers with text. Gemini CLI's side calls (the model
 * router's complexity score, token counts) get small well-formed answers.
 */
final class FakeGeminiApi extends FakeStreamingApi {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path fileToWrite;
  private final String content;
  final List<String> apiKeys = new CopyOnWriteArrayList<>();

  FakeGeminiApi(Path fileToWrite, String content) throws IOException {
    this.fileToWrite = fileToWrite;
    this.content = content;
    start();
  }

  @Override
  void handle(HttpExchange exchange, byte[] body) throws IOException {
    String key = exchange.getRequestHeaders().getFirst("x-goog-api-key");
    if (key != null) {
      apiKeys.add(key);
    }
    String path = exchange.getRequestURI().getPath();
    if (!exchange.getRequestMethod().equals("POST") || !path.startsWith("/v1beta/models/")) {
      send(
          exchange, 404, "application/json", "{\"error\":{\"code\":404,\"message\":\"not here\"}}");
      return;
    }
    if (path.endsWith(":countTokens")) {
      send(exchange, 200, "application/json", "{\"totalTokens\":10}");
      return;
    }
    JsonNode request = MAPPER.readTree(body);
    boolean offersWrite = false;
    for (JsonNode tool : request.path("tools")) {
      for (JsonNode declaration : tool.path("functionDeclarations")) {
        offersWrite |= declaration.path("name").asText().equals("write_file");
      }
    }
    boolean hasResult = false;
    for (JsonNode turn : request.path("contents")) {
      for (JsonNode part : turn.path("parts")) {
        hasResult |= part.has("functionResponse");
      }
    }
    ObjectNode part = MAPPER.createObjectNode();
    if (offersWrite && !hasResult) {
      part.putObject("functionCall")
          .put("name", "write_file")
          .putObject("args")
          .put("file_path", fileToWrite.toString())
          .put("content", content);
    } else if (hasResult) {
      part.put("text", "Done: wrote the file.");
    } else {
      // A side call without tools: the model router asks for a JSON complexity score.
      part.put("text", "{\"complexity_reasoning\":\"One file.\",\"complexity_score\":20}");
    }
    ObjectNode chunk = MAPPER.createObjectNode();
    ObjectNode candidate = chunk.putArray("candidates").addObject();
    candidate.putObject("content").put("role", "model").putArray("parts").add(part);
    candidate.put("finishReason", "STOP").put("index", 0);
    chunk
        .putObject("usageMetadata")
        .put("promptTokenCount", 10)
        .put("candidatesTokenCount", 5)
        .put("totalTokenCount", 15);
    if (path.endsWith(":streamGenerateContent")) {
      send(exchange, 200, "text/event-stream", "data: " + chunk + "\r\n\r\n");
    } else {
      send(exchange, 200, "application/json", chunk.toString());
    }
  }
}
