package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.fakes.ScriptedAgent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentTryCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path workspace;
  @TempDir Path transcripts;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return new CommandLine(new AgentTryCommand())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  /** The scripted agent's command line, quoted for --command. */
  private static String scripted(String... args) {
    return ScriptedAgent.argv(args).stream()
        .map(w -> "'" + w.replace("'", "'\\''") + "'")
        .collect(Collectors.joining(" "));
  }

  @Test
  void aTurnIsPrintedAsItHappensAndEndTurnExitsZero() throws Exception {
    int code =
        run(
            "--command",
            scripted(),
            "--workspace",
            workspace.toString(),
            "--prompt",
            "Say hello",
            "--transcript-dir",
            transcripts.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("(thinking) Looking at the repository.")
        .contains("Plan:", "[~] Write hello.txt", "[x] Check it with ls")
        .contains("-> Write hello.txt [edit] pending")
        .contains("Wrote hello.txt.")
        .containsPattern("Turn ended: end_turn \\(0 tokens in, 0 out, \\$0\\.0042\\)");
    assertThat(Files.readString(workspace.resolve("hello.txt"))).startsWith("Hello");
    try (var files = Files.list(transcripts)) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void jsonPrintsOneObjectPerLineEndingWithTheOutcome() throws Exception {
    int code =
        run(
            "--command",
            scripted(),
            "--workspace",
            workspace.toString(),
            "--prompt",
            "hi",
            "--json");
    assertThat(code).as(err.toString()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      lines.add(MAPPER.readTree(line));
    }
    assertThat(lines.get(0).path("type").asText()).isEqualTo("started");
    assertThat(lines.get(0).at("/data/session_id").asText()).isNotEmpty();
    assertThat(lines)
        .anySatisfy(l -> assertThat(l.at("/data/kind").asText()).isEqualTo("tool_call"))
        .anySatisfy(
            l -> assertThat(l.at("/data/content/text").asText()).isEqualTo("Wrote hello.txt."));
    JsonNode last = lines.get(lines.size() - 1);
    assertThat(last.path("type").asText()).isEqualTo("outcome");
    assertThat(last.at("/data/stop_reason").asText()).isEqualTo("end_turn");
    assertThat(last.at("/data/usage/cost_usd").asDouble()).isEqualTo(0.0042);
    for (String line : out.toString().split("\n")) {
      assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/agent_try_line", line))
          .as(line)
          .isEmpty();
    }
  }

  @Test
  void aFailingAgentExitsNonZeroWithTheReason() {
    int code =
        run(
            "--command",
            scripted("--fault", "usage-limit"),
            "--workspace",
            workspace.toString(),
            "--prompt",
            "go");
    assertThat(code).isEqualTo(AgentTryCommand.FAILED);
    assertThat(err.toString()).contains("hit its provider's usage or rate limit");
  }

  @Test
  void aTurnThatDoesNotEndWithEndTurnExitsOne() throws Exception {
    Path script = workspace.resolve("script.json");
    Files.writeString(script, "{\"steps\":[{\"stop\":\"max_tokens\"}]}");
    int code =
        run(
            "--command",
            scripted("--script", script.toString()),
            "--workspace",
            workspace.toString(),
            "--prompt",
            "go");
    assertThat(code).isEqualTo(AgentTryCommand.OTHER_STOP);
    assertThat(err.toString()).contains("The turn ended with max_tokens");
  }

  @Test
  void anUnknownAgentIsAUsageErrorListingTheKnownOnes() {
    int code = run("--agent", "nope", "--workspace", workspace.toString(), "--prompt", "x");
    assertThat(code).isEqualTo(AgentTryCommand.USAGE);
    assertThat(err.toString())
        .contains("Unknown agent 'nope'. Known agents: claude-code, codex, gemini");
  }

  @Test
  void agentAndCommandAreExclusiveAndOneIsRequired() {
    assertThat(run("--agent", "a", "--command", "b", "--workspace", ".", "--prompt", "x"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("mutually exclusive");
    assertThat(run("--workspace", ".", "--prompt", "x")).isEqualTo(2);
  }

  @Test
  void aMissingCommandSaysSo() {
    int code =
        run(
            "--command",
            "definitely-not-an-agent-xyz --acp",
            "--workspace",
            workspace.toString(),
            "--prompt",
            "x");
    assertThat(code).isEqualTo(AgentTryCommand.UNAVAILABLE);
    assertThat(err.toString()).contains("command not found: definitely-not-an-agent-xyz");
  }

  @Test
  void commandWordsAreSplitLikeAShellWould() {
    assertThat(CommandWords.split(" npx  -y 'a b' \"c \\\"d\\\"\" e\\ f "))
        .containsExactly("npx", "-y", "a b", "c \"d\"", "e f");
  }
}
