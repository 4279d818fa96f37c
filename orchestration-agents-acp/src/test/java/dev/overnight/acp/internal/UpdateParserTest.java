package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.PlanEntry;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.ToolCallContent;
import dev.overnight.api.agent.ToolCallStatus;
import dev.overnight.api.agent.ToolKind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpdateParserTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static SessionUpdate parse(String json) throws Exception {
    return UpdateParser.parse(MAPPER.readTree(json));
  }

  @Test
  void everyKnownKind() throws Exception {
    assertThat(
            parse(
                "{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":\"hi\"},\"messageId\":\"m\"}"))
        .isEqualTo(new SessionUpdate.AgentMessageChunk(new ContentBlock.Text("hi")));
    assertThat(
            parse(
                "{\"sessionUpdate\":\"agent_thought_chunk\",\"content\":{\"type\":\"resource_link\",\"uri\":\"file:///a\",\"name\":\"a\"}}"))
        .isEqualTo(
            new SessionUpdate.AgentThoughtChunk(new ContentBlock.ResourceLink("file:///a", "a")));
    assertThat(
            parse(
                "{\"sessionUpdate\":\"user_message_chunk\",\"content\":{\"type\":\"resource\",\"resource\":{\"uri\":\"u\",\"text\":\"t\"}}}"))
        .isEqualTo(
            new SessionUpdate.UserMessageChunk(
                new ContentBlock.Resource("u", Optional.of("t"), Optional.empty())));
    assertThat(
            parse(
                "{\"sessionUpdate\":\"tool_call\",\"toolCallId\":\"c\",\"title\":\"Run\",\"kind\":\"execute\","
                    + "\"status\":\"in_progress\",\"content\":[{\"type\":\"terminal\",\"terminalId\":\"t1\"},"
                    + "{\"type\":\"diff\",\"path\":\"/a\",\"oldText\":null,\"newText\":\"n\"},{\"type\":\"weird\"}],"
                    + "\"locations\":[{\"path\":\"/a\",\"line\":3}],\"rawInput\":{\"cmd\":\"ls\"}}"))
        .isEqualTo(
            new SessionUpdate.ToolCall(
                "c",
                "Run",
                ToolKind.EXECUTE,
                Optional.of(ToolCallStatus.IN_PROGRESS),
                List.of(
                    new ToolCallContent.Terminal("t1"),
                    new ToolCallContent.Diff("/a", Optional.empty(), "n"),
                    new ToolCallContent.Other("weird", "{\"type\":\"weird\"}")),
                List.of("/a"),
                Optional.of("{\"cmd\":\"ls\"}")));
    assertThat(
            parse(
                "{\"sessionUpdate\":\"tool_call_update\",\"toolCallId\":\"c\",\"status\":\"completed\"}"))
        .isEqualTo(
            new SessionUpdate.ToolCallUpdate(
                "c",
                Optional.empty(),
                Optional.of(ToolCallStatus.COMPLETED),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));
    assertThat(
            parse(
                "{\"sessionUpdate\":\"plan\",\"entries\":[{\"content\":\"x\",\"priority\":\"high\",\"status\":\"pending\"}]}"))
        .isEqualTo(new SessionUpdate.Plan(List.of(new PlanEntry("x", "high", "pending"))));
    assertThat(
            parse(
                "{\"sessionUpdate\":\"available_commands_update\",\"availableCommands\":[{\"name\":\"init\",\"description\":\"d\"}]}"))
        .isEqualTo(new SessionUpdate.AvailableCommands(List.of("init")));
    assertThat(parse("{\"sessionUpdate\":\"current_mode_update\",\"currentModeId\":\"plan\"}"))
        .isEqualTo(new SessionUpdate.CurrentMode("plan"));
    assertThat(
            parse(
                "{\"sessionUpdate\":\"session_info_update\",\"title\":\"T\",\"updatedAt\":\"2026\"}"))
        .isEqualTo(new SessionUpdate.SessionInfo(Optional.of("T")));
    assertThat(
            parse(
                "{\"sessionUpdate\":\"usage_update\",\"used\":5,\"size\":10,\"cost\":{\"amount\":0.25,\"currency\":\"USD\"}}"))
        .isEqualTo(new SessionUpdate.UsageUpdate(5, 10, Optional.of(0.25), Optional.of("USD")));
  }

  @Test
  void unknownKindsAndBrokenKnownOnesAreKeptRaw() throws Exception {
    assertThat(parse("{\"sessionUpdate\":\"config_option_update\",\"configOptions\":[]}"))
        .isInstanceOfSatisfying(
            SessionUpdate.Unknown.class,
            u -> assertThat(u.kind()).isEqualTo("config_option_update"));
    assertThat(parse("{\"sessionUpdate\":\"tool_call\",\"title\":\"no id\"}"))
        .isInstanceOfSatisfying(
            SessionUpdate.Unknown.class, u -> assertThat(u.json()).contains("no id"));
    assertThat(parse("{\"content\":{}}"))
        .isInstanceOfSatisfying(
            SessionUpdate.Unknown.class, u -> assertThat(u.kind()).isEqualTo("unknown"));
    assertThat(
            parse(
                "{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"audio\",\"data\":\"x\",\"mimeType\":\"a\"}}"))
        .isEqualTo(
            new SessionUpdate.AgentMessageChunk(
                new ContentBlock.Other(
                    "audio", "{\"type\":\"audio\",\"data\":\"x\",\"mimeType\":\"a\"}")));
  }
}
