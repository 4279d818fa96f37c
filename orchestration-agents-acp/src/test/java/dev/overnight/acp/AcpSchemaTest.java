package dev.overnight.acp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema check must be able to fail: broken client messages are caught. */
class AcpSchemaTest {
  @TempDir Path dir;

  @Test
  void invalidClientMessagesAreReported() throws Exception {
    Path transcript = dir.resolve("t.jsonl");
    Files.writeString(
        transcript,
        String.join(
            "\n",
            "{\"from\":\"client\",\"msg\":{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"session/new\","
                + "\"params\":{\"cwd\":\"/w\"}}}",
            "{\"from\":\"agent\",\"msg\":{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":"
                + "\"session/request_permission\",\"params\":{}}}",
            "{\"from\":\"client\",\"msg\":{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{\"outcome\":"
                + "{\"outcome\":\"maybe\"}}}}",
            "{\"from\":\"client\",\"msg\":{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"session/cancel\","
                + "\"params\":{\"sessionId\":\"s\"}}}",
            "{\"from\":\"client\",\"msg\":{\"jsonrpc\":\"2.0\",\"method\":\"session/cancel\","
                + "\"params\":{\"sessionId\":\"s\"}}}"));

    assertThat(AcpSchema.load().checkClientMessages(transcript))
        .isNotEmpty()
        .noneMatch(p -> p.contains("{\"jsonrpc\":\"2.0\",\"method\":\"session/cancel\""))
        .anyMatch(p -> p.startsWith("NewSessionRequest") && p.contains("mcpServers"))
        .anyMatch(p -> p.startsWith("RequestPermissionResponse"))
        .anyMatch(p -> p.startsWith("no schema type for request session/cancel"));
  }
}
