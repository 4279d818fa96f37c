package dev.overnight.core.json.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.PlanEntry;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.ToolCallContent;
import dev.overnight.api.agent.Usage;
import java.util.List;

/**
 * The canonical JSON of an agent's session: an update in its envelope (which session, which
 * sequence, when), the update's own fields by kind, and the outcome of a turn.
 */
public final class SessionShapes {
  private SessionShapes() {}

  /** A session event: the envelope's fields, then {@code kind} and the update's fields. */
  public static ObjectNode sessionEvent(SessionEvent e) {
    ObjectNode node = Nodes.object();
    node.put("session_id", e.sessionId());
    node.put("agent_id", e.agentId());
    e.taskId().ifPresent(t -> node.put("task_id", t.value()));
    node.put("sequence", e.sequence());
    Nodes.instant(node, "at", e.at());
    update(node, e.update());
    return node;
  }

  /** Puts {@code kind} and the update's fields into {@code node}. */
  public static void update(ObjectNode node, SessionUpdate update) {
    node.put("kind", update.kind());
    if (update instanceof SessionUpdate.UserMessageChunk u) {
      node.set("content", content(u.content()));
    } else if (update instanceof SessionUpdate.AgentMessageChunk u) {
      node.set("content", content(u.content()));
    } else if (update instanceof SessionUpdate.AgentThoughtChunk u) {
      node.set("content", content(u.content()));
    } else if (update instanceof SessionUpdate.ToolCall u) {
      node.put("tool_call_id", u.toolCallId());
      node.put("title", u.title());
      node.put("tool_kind", u.toolKind().wireName());
      u.status().ifPresent(s -> node.put("status", s.wireName()));
      node.set("content", toolContents(u.content()));
      node.set("locations", Nodes.texts(u.locations()));
      Nodes.text(node, "raw_input", u.rawInput());
    } else if (update instanceof SessionUpdate.ToolCallUpdate u) {
      node.put("tool_call_id", u.toolCallId());
      Nodes.text(node, "title", u.title());
      u.status().ifPresent(s -> node.put("status", s.wireName()));
      u.content().ifPresent(c -> node.set("content", toolContents(c)));
      u.locations().ifPresent(l -> node.set("locations", Nodes.texts(l)));
      Nodes.text(node, "raw_output", u.rawOutput());
    } else if (update instanceof SessionUpdate.Plan u) {
      ArrayNode entries = node.putArray("entries");
      for (PlanEntry p : u.entries()) {
        entries
            .addObject()
            .put("content", p.content())
            .put("priority", p.priority())
            .put("status", p.status());
      }
    } else if (update instanceof SessionUpdate.AvailableCommands u) {
      node.set("names", Nodes.texts(u.names()));
    } else if (update instanceof SessionUpdate.CurrentMode u) {
      node.put("mode_id", u.modeId());
    } else if (update instanceof SessionUpdate.SessionInfo u) {
      Nodes.text(node, "title", u.title());
    } else if (update instanceof SessionUpdate.UsageUpdate u) {
      node.put("used", u.used());
      node.put("size", u.size());
      Nodes.number(node, "cost_amount", u.costAmount());
      Nodes.text(node, "currency", u.currency());
    } else if (update instanceof SessionUpdate.Unknown u) {
      node.put("json", u.json());
    }
  }

  /** A content block: {@code type} and that type's fields. */
  public static ObjectNode content(ContentBlock block) {
    ObjectNode node = Nodes.object();
    if (block instanceof ContentBlock.Text t) {
      node.put("type", "text").put("text", t.text());
    } else if (block instanceof ContentBlock.ResourceLink r) {
      node.put("type", "resource_link").put("uri", r.uri()).put("name", r.name());
    } else if (block instanceof ContentBlock.Resource r) {
      node.put("type", "resource").put("uri", r.uri());
      Nodes.text(node, "text", r.text());
      Nodes.text(node, "mime_type", r.mimeType());
    } else if (block instanceof ContentBlock.Image i) {
      node.put("type", "image").put("mime_type", i.mimeType()).put("data", i.data());
    } else if (block instanceof ContentBlock.Other o) {
      node.put("type", o.type()).put("json", o.json());
    }
    return node;
  }

  private static ArrayNode toolContents(List<ToolCallContent> contents) {
    ArrayNode array = Nodes.array();
    for (ToolCallContent c : contents) {
      ObjectNode node = array.addObject();
      if (c instanceof ToolCallContent.Content content) {
        node.put("type", "content").set("content", content(content.content()));
      } else if (c instanceof ToolCallContent.Diff d) {
        node.put("type", "diff").put("path", d.path());
        Nodes.text(node, "old_text", d.oldText());
        node.put("new_text", d.newText());
      } else if (c instanceof ToolCallContent.Terminal t) {
        node.put("type", "terminal").put("terminal_id", t.terminalId());
      } else if (c instanceof ToolCallContent.Other o) {
        node.put("type", o.type()).put("json", o.json());
      }
    }
    return array;
  }

  /** How a turn ended, with what it used. */
  public static ObjectNode agentOutcome(AgentOutcome outcome) {
    ObjectNode node = Nodes.object();
    node.put("stop_reason", outcome.stopReason().wireName());
    Usage usage = outcome.usage();
    ObjectNode u = node.putObject("usage");
    u.put("input_tokens", usage.inputTokens());
    u.put("output_tokens", usage.outputTokens());
    u.put("cached_read_tokens", usage.cachedReadTokens());
    u.put("cached_write_tokens", usage.cachedWriteTokens());
    Nodes.number(u, "cost_usd", usage.costUsd());
    return node;
  }
}
