package dev.overnight.fakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.config.AgentCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripted agent on its own, driven by a bare-bones client written here: it must speak ACP
 * correctly before other tests rely on it.
 */
class ScriptedAgentTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path cwd;

  @Test
  void theDemoAsksPermissionWritesThroughTheClientAndEndsTheTurn() throws Exception {
    Process agent = new ProcessBuilder(ScriptedAgent.argv()).start();
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = agent.getOutputStream()) {
      ObjectNode initialize = request(0, "initialize");
      initialize.with("params").put("protocolVersion", 1);
      send(out, initialize);
      JsonNode init = MAPPER.readTree(in.readLine());
      assertThat(init.path("result").path("protocolVersion").asInt()).isEqualTo(1);
      ObjectNode newSession = request(1, "session/new");
      newSession.with("params").put("cwd", cwd.toString()).putArray("mcpServers");
      send(out, newSession);
      JsonNode session = MAPPER.readTree(in.readLine());
      String sessionId = session.path("result").path("sessionId").asText();
      assertThat(sessionId).startsWith("scripted-");
      ObjectNode prompt = request(2, "session/prompt");
      prompt
          .with("params")
          .put("sessionId", sessionId)
          .putArray("prompt")
          .addObject()
          .put("type", "text")
          .put("text", "hi");
      send(out, prompt);

      List<String> seen = new ArrayList<>();
      while (true) {
        JsonNode msg = MAPPER.readTree(in.readLine());
        String method = msg.path("method").asText("");
        if (msg.has("id") && !method.isEmpty()) {
          seen.add(method);
          send(out, answer(msg));
        } else if (method.equals("session/update")) {
          seen.add(msg.path("params").path("update").path("sessionUpdate").asText());
        } else if (msg.path("id").asInt() == 2) {
          assertThat(msg.path("result").path("stopReason").asText()).isEqualTo("end_turn");
          break;
        }
      }
      assertThat(seen)
          .containsSubsequence(
              "agent_thought_chunk",
              "plan",
              "tool_call",
              "session/request_permission",
              "fs/write_text_file",
              "fs/read_text_file",
              "terminal/create",
              "terminal/wait_for_exit",
              "terminal/output",
              "terminal/release",
              "usage_update",
              "agent_message_chunk");
    }
    assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).isZero();
  }

  @Test
  void unknownMethodsAreAnsweredWithMethodNotFound() throws Exception {
    Process agent = new ProcessBuilder(ScriptedAgent.argv()).start();
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = agent.getOutputStream()) {
      send(out, request(7, "bogus/method"));
      JsonNode error = MAPPER.readTree(in.readLine()).path("error");
      assertThat(error.path("code").asInt()).isEqualTo(-32601);
    }
    assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void faultsAreKnownByNameAndTheLauncherPointsAtThisClass() {
    assertThat(ScriptedAgentScripts.faults())
        .contains(
            "exit-at-start",
            "never-initialize",
            "exit-mid-turn",
            "hang",
            "non-json",
            "huge-line",
            "flood",
            "unknown-id",
            "read-passwd",
            "read-dotdot",
            "read-symlink",
            "usage-limit");
    assertThatThrownBy(() -> ScriptedAgentScripts.fault("nope"))
        .hasMessageContaining("unknown fault nope");
    AgentCommand command = ScriptedAgent.command("--fault", "hang");
    assertThat(Files.isExecutable(Path.of(command.command().value()))).isTrue();
    assertThat(command.args()).endsWith(ScriptedAgent.class.getName(), "--fault", "hang");
  }

  @Test
  void reportsTurnTokensRecordsPromptsAndAnnouncesALimitsResetBeforeRefusing() throws Exception {
    Path record = cwd.resolve("record.jsonl");
    String script =
        "{\"recordPrompts\": true, \"turns\": ["
            + "[{\"tokens\": {\"inputTokens\": 100, \"outputTokens\": 20}}],"
            + "[{\"usageLimit\": {\"message\": \"You've hit your limit\","
            + " \"resetsAt\": 1700000000}}]]}";
    Process agent =
        new ProcessBuilder(
                ScriptedAgent.argv("--script-json", script, "--record", record.toString()))
            .start();
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = agent.getOutputStream()) {
      ObjectNode newSession = request(1, "session/new");
      newSession.with("params").put("cwd", cwd.toString()).putArray("mcpServers");
      send(out, newSession);
      String sessionId = MAPPER.readTree(in.readLine()).path("result").path("sessionId").asText();

      send(out, prompt(2, sessionId, "first"));
      JsonNode first = MAPPER.readTree(in.readLine());
      assertThat(first.path("result").path("stopReason").asText()).isEqualTo("end_turn");
      assertThat(first.path("result").path("usage").path("inputTokens").asLong()).isEqualTo(100);
      assertThat(first.path("result").path("usage").path("totalTokens").asLong()).isEqualTo(120);

      send(out, prompt(3, sessionId, "second"));
      JsonNode announced = MAPPER.readTree(in.readLine()).path("params").path("update");
      assertThat(announced.path("sessionUpdate").asText()).isEqualTo("usage_update");
      assertThat(announced.path("_meta").path("_claude/rateLimit").path("resetsAt").asLong())
          .isEqualTo(1700000000L);
      JsonNode refused = MAPPER.readTree(in.readLine());
      assertThat(refused.path("id").asInt()).isEqualTo(3);
      assertThat(refused.path("error").path("message").asText())
          .isEqualTo("Internal error: You've hit your limit");
      assertThat(refused.path("error").path("data").path("errorKind").asText())
          .isEqualTo("rate_limit");
    }
    assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readAllLines(record))
        .extracting(l -> MAPPER.readTree(l).path("answer").path("prompt").path(0).path("text"))
        .extracting(JsonNode::asText)
        .containsExactly("first", "second");
  }

  @Test
  void runsACommandItselfInTheSessionsFolderAndRecordsWhatItDid() throws Exception {
    Path record = cwd.resolve("record.jsonl");
    String script =
        "{\"steps\": [{\"exec\": {\"command\": \"sh\","
            + " \"args\": [\"-c\", \"echo made > made.txt; echo done; exit 3\"]}}]}";
    Process agent =
        new ProcessBuilder(
                ScriptedAgent.argv("--script-json", script, "--record", record.toString()))
            .start();
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = agent.getOutputStream()) {
      ObjectNode newSession = request(1, "session/new");
      newSession.with("params").put("cwd", cwd.toString()).putArray("mcpServers");
      send(out, newSession);
      String sessionId = MAPPER.readTree(in.readLine()).path("result").path("sessionId").asText();
      send(out, prompt(2, sessionId, "run it"));
      JsonNode said = MAPPER.readTree(in.readLine()).path("params").path("update");
      assertThat(said.path("content").path("text").asText()).isEqualTo("exec exit 3: done\n");
      JsonNode ended = MAPPER.readTree(in.readLine());
      assertThat(ended.path("result").path("stopReason").asText()).isEqualTo("end_turn");
    }
    assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(cwd.resolve("made.txt")).hasContent("made");
    JsonNode answer = MAPPER.readTree(Files.readAllLines(record).get(0));
    assertThat(answer.path("step").asText()).isEqualTo("exec");
    assertThat(answer.path("answer").path("exitCode").asInt()).isEqualTo(3);
    assertThat(answer.path("answer").path("output").asText()).isEqualTo("done\n");
  }

  private static ObjectNode prompt(int id, String sessionId, String text) {
    ObjectNode prompt = request(id, "session/prompt");
    prompt
        .with("params")
        .put("sessionId", sessionId)
        .putArray("prompt")
        .addObject()
        .put("type", "text")
        .put("text", text);
    return prompt;
  }

  private static ObjectNode request(int id, String method) {
    ObjectNode msg = MAPPER.createObjectNode();
    msg.put("jsonrpc", "2.0");
    msg.put("id", id);
    msg.put("method", method);
    msg.putObject("params");
    return msg;
  }

  /** A permissive client: allows, accepts writes, serves reads and terminals with fixed data. */
  private static ObjectNode answer(JsonNode request) {
    ObjectNode msg = MAPPER.createObjectNode();
    msg.put("jsonrpc", "2.0");
    msg.set("id", request.get("id"));
    ObjectNode result = msg.putObject("result");
    switch (request.path("method").asText()) {
      case "session/request_permission":
        result.putObject("outcome").put("outcome", "selected").put("optionId", "allow");
        break;
      case "fs/read_text_file":
        result.put("content", "hello");
        break;
      case "terminal/create":
        result.put("terminalId", "t1");
        break;
      case "terminal/wait_for_exit":
        result.put("exitCode", 0);
        break;
      case "terminal/output":
        result.put("output", "hello.txt\n").put("truncated", false);
        break;
      default:
        break;
    }
    return msg;
  }

  private static void send(OutputStream out, ObjectNode msg) throws Exception {
    out.write((msg + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
