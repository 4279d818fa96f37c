package dev.overnight.acp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted imitation of the OpenAI Responses API on 127.0.0.1, enough for Codex to run one real
 * turn: the first model call answers with an {@code exec_command} function call (a shell command in
 * the worktree), the call that carries its output answers with text. Responses stream as
 * server-sent events, as the real API does.
 *
 * <p>Codex reaches it through a custom model provider in its {@code config.toml} ({@link
 * #codexConfig()}): unlike Claude Code's {@code ANTHROPIC_BASE_URL}, Codex takes its endpoint only
 * from its configuration.
 */
final class FakeOpenAiResponsesApi extends FakeStreamingApi {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String command;
  private final String finalText;
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  /** An API whose model asks Codex to run {@code command}. */
  FakeOpenAiResponsesApi(String command) throws IOException {
    this(command, "Done: wrote the file.");
  }

  /** An API whose model asks Codex to run {@code command}, then answers {@code finalText}. */
  FakeOpenAiResponsesApi(String command, String finalText) throws IOException {
    this.command = command;
    this.finalText = finalText;
    start();
  }

  /** A Codex {@code config.toml} sending every model call here, with the key of OPENAI_API_KEY. */
  String codexConfig() {
    return "model = \"gpt-5-codex\"\n"
        + "model_provider = \"overnight-test\"\n\n"
        + "[model_providers.overnight-test]\n"
        + "name = \"Overnight test API\"\n"
        + "base_url = \""
        + baseUrl()
        + "/v1\"\n"
        + "env_key = \"OPENAI_API_KEY\"\n"
        + "wire_api = \"responses\"\n";
  }

  @Override
  void handle(HttpExchange exchange, byte[] body) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String auth = exchange.getRequestHeaders().getFirst("authorization");
    if (auth != null) {
      authorizations.add(auth);
    }
    if (!exchange.getRequestMethod().equals("POST") || !path.equals("/v1/responses")) {
      send(exchange, 404, "application/json", "{\"error\":{\"message\":\"not here\"}}");
      return;
    }
    boolean hasOutput = false;
    for (JsonNode item : MAPPER.readTree(body).path("input")) {
      hasOutput |= item.path("type").asText().equals("function_call_output");
    }
    StringBuilder sse = new StringBuilder();
    event(sse, "response.created", MAPPER.createObjectNode().set("response", response()));
    ObjectNode item = MAPPER.createObjectNode();
    if (hasOutput) {
      item.put("type", "message").put("role", "assistant").put("id", "msg-1");
      item.putArray("content").addObject().put("type", "output_text").put("text", finalText);
    } else {
      item.put("type", "function_call")
          .put("id", "fc-1")
          .put("call_id", "call-1")
          .put("name", "exec_command")
          .put("arguments", MAPPER.createObjectNode().put("cmd", command).toString());
    }
    event(sse, "response.output_item.done", MAPPER.createObjectNode().set("item", item));
    ObjectNode completed = response();
    completed
        .putObject("usage")
        .put("input_tokens", 10)
        .putNull("input_tokens_details")
        .put("output_tokens", 5)
        .putNull("output_tokens_details")
        .put("total_tokens", 15);
    event(sse, "response.completed", MAPPER.createObjectNode().set("response", completed));
    send(exchange, 200, "text/event-stream", sse.toString());
  }

  private static ObjectNode response() {
    return MAPPER.createObjectNode().put("id", "resp-" + System.nanoTime());
  }

  private static void event(StringBuilder sse, String type, ObjectNode data) {
    data.put("type", type);
    event(sse, type, data.toString());
  }
}
