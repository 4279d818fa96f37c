package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.PlanEntry;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.ToolCallContent;
import dev.overnight.api.agent.ToolCallStatus;
import dev.overnight.api.agent.ToolKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns ACP's {@code session/update} payloads into {@link SessionUpdate}s. Tolerant by design: an
 * unknown kind, or a known kind missing a required field, becomes {@link SessionUpdate.Unknown}
 * with the raw JSON; unknown fields are ignored. Stateless and thread-safe.
 */
final class UpdateParser {
  private UpdateParser() {}

  static SessionUpdate parse(JsonNode update) {
    String kind = Json.text(update, "sessionUpdate", "");
    try {
      switch (kind) {
        case "user_message_chunk":
          return new SessionUpdate.UserMessageChunk(content(update.get("content")));
        case "agent_message_chunk":
          return new SessionUpdate.AgentMessageChunk(content(update.get("content")));
        case "agent_thought_chunk":
          return new SessionUpdate.AgentThoughtChunk(content(update.get("content")));
        case "tool_call":
          return new SessionUpdate.ToolCall(
              required(update, "toolCallId"),
              Json.text(update, "title", ""),
              ToolKind.fromWire(Json.text(update, "kind", null)),
              ToolCallStatus.fromWire(Json.text(update, "status", null)),
              toolContents(update.get("content")).orElse(List.of()),
              locations(update.get("locations")).orElse(List.of()),
              Json.raw(update, "rawInput"));
        case "tool_call_update":
          return new SessionUpdate.ToolCallUpdate(
              required(update, "toolCallId"),
              Json.text(update, "title"),
              ToolCallStatus.fromWire(Json.text(update, "status", null)),
              toolContents(update.get("content")),
              locations(update.get("locations")),
              Json.raw(update, "rawOutput"));
        case "plan":
          return new SessionUpdate.Plan(planEntries(update.get("entries")));
        case "available_commands_update":
          return new SessionUpdate.AvailableCommands(commandNames(update.get("availableCommands")));
        case "current_mode_update":
          return new SessionUpdate.CurrentMode(required(update, "currentModeId"));
        case "session_info_update":
          return new SessionUpdate.SessionInfo(Json.text(update, "title"));
        case "usage_update":
          return usage(update);
        default:
          return unknown(kind, update);
      }
    } catch (RuntimeException e) {
      // A newer or sloppier agent: keep what it sent rather than fail the session.
      return unknown(kind, update);
    }
  }

  private static SessionUpdate unknown(String kind, JsonNode update) {
    return new SessionUpdate.Unknown(kind.isEmpty() ? "unknown" : kind, String.valueOf(update));
  }

  private static String required(JsonNode node, String field) {
    return Json.text(node, field)
        .orElseThrow(() -> new IllegalArgumentException("missing " + field));
  }

  static ContentBlock content(JsonNode block) {
    if (block == null || !block.isObject()) {
      throw new IllegalArgumentException("missing content");
    }
    String type = Json.text(block, "type", "");
    switch (type) {
      case "text":
        return new ContentBlock.Text(required(block, "text"));
      case "resource_link":
        return new ContentBlock.ResourceLink(
            required(block, "uri"), Json.text(block, "name", required(block, "uri")));
      case "resource":
        JsonNode resource = block.path("resource");
        return new ContentBlock.Resource(
            required(resource, "uri"),
            Json.text(resource, "text"),
            Json.text(resource, "mimeType"));
      case "image":
        return new ContentBlock.Image(required(block, "mimeType"), required(block, "data"));
      default:
        return new ContentBlock.Other(type.isEmpty() ? "unknown" : type, block.toString());
    }
  }

  private static Optional<List<ToolCallContent>> toolContents(JsonNode array) {
    if (array == null || !array.isArray()) {
      return Optional.empty();
    }
    List<ToolCallContent> out = new ArrayList<>(array.size());
    for (JsonNode item : array) {
      String type = Json.text(item, "type", "");
      try {
        switch (type) {
          case "content":
            out.add(new ToolCallContent.Content(content(item.get("content"))));
            break;
          case "diff":
            out.add(
                new ToolCallContent.Diff(
                    required(item, "path"), Json.text(item, "oldText"), required(item, "newText")));
            break;
          case "terminal":
            out.add(new ToolCallContent.Terminal(required(item, "terminalId")));
            break;
          default:
            out.add(new ToolCallContent.Other(type.isEmpty() ? "unknown" : type, item.toString()));
        }
      } catch (RuntimeException e) {
        out.add(new ToolCallContent.Other(type.isEmpty() ? "unknown" : type, item.toString()));
      }
    }
    return Optional.of(out);
  }

  static Optional<List<String>> locations(JsonNode array) {
    if (array == null || !array.isArray()) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>(array.size());
    for (JsonNode item : array) {
      Json.text(item, "path").ifPresent(out::add);
    }
    return Optional.of(out);
  }

  private static List<PlanEntry> planEntries(JsonNode array) {
    List<PlanEntry> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      for (JsonNode e : array) {
        out.add(
            new PlanEntry(
                required(e, "content"),
                Json.text(e, "priority", "medium"),
                Json.text(e, "status", "pending")));
      }
    }
    return out;
  }

  private static List<String> commandNames(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      for (JsonNode c : array) {
        Json.text(c, "name").ifPresent(out::add);
      }
    }
    return out;
  }

  private static SessionUpdate usage(JsonNode update) {
    JsonNode cost = update.get("cost");
    Optional<Double> amount = Optional.empty();
    Optional<String> currency = Optional.empty();
    if (cost != null && cost.isObject() && cost.path("amount").isNumber()) {
      amount = Optional.of(cost.get("amount").asDouble());
      currency = Json.text(cost, "currency");
    }
    return new SessionUpdate.UsageUpdate(
        update.path("used").asLong(), update.path("size").asLong(), amount, currency);
  }
}
