package dev.overnight.api.agent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One update streamed by an agent during a session: a chunk of its message or thought, a tool call
 * and its progress, its plan, a mode change, usage. A protocol-neutral mirror of ACP's {@code
 * session/update} kinds.
 *
 * <p>Newer agents send kinds this version does not know; those arrive as {@link Unknown} with the
 * raw JSON, so an older Overnight never breaks on a newer agent. Switch over the sealed hierarchy
 * with a default for {@code Unknown}.
 *
 * @since 0.1.0
 */
public sealed interface SessionUpdate {

  /** The protocol's name of this kind, e.g. {@code agent_message_chunk}. */
  String kind();

  /** A chunk of the user's message (replayed history). */
  record UserMessageChunk(ContentBlock content) implements SessionUpdate {
    /** Validates the content. */
    public UserMessageChunk {
      Objects.requireNonNull(content, "content");
    }

    @Override
    public String kind() {
      return "user_message_chunk";
    }
  }

  /** A chunk of the agent's answer. */
  record AgentMessageChunk(ContentBlock content) implements SessionUpdate {
    /** Validates the content. */
    public AgentMessageChunk {
      Objects.requireNonNull(content, "content");
    }

    @Override
    public String kind() {
      return "agent_message_chunk";
    }
  }

  /** A chunk of the agent's reasoning. */
  record AgentThoughtChunk(ContentBlock content) implements SessionUpdate {
    /** Validates the content. */
    public AgentThoughtChunk {
      Objects.requireNonNull(content, "content");
    }

    @Override
    public String kind() {
      return "agent_thought_chunk";
    }
  }

  /**
   * A new tool call.
   *
   * @param toolCallId its id within the session
   * @param title what it does, for people
   * @param toolKind what kind of action it is
   * @param status its progress
   * @param content what it produced so far
   * @param locations files it touches
   * @param rawInput its input as raw JSON, when sent
   */
  record ToolCall(
      String toolCallId,
      String title,
      ToolKind toolKind,
      Optional<ToolCallStatus> status,
      List<ToolCallContent> content,
      List<String> locations,
      Optional<String> rawInput)
      implements SessionUpdate {
    /** Validates and copies the components. */
    public ToolCall {
      Objects.requireNonNull(toolCallId, "toolCallId");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(toolKind, "toolKind");
      Objects.requireNonNull(status, "status");
      content = List.copyOf(content);
      locations = List.copyOf(locations);
      Objects.requireNonNull(rawInput, "rawInput");
    }

    @Override
    public String kind() {
      return "tool_call";
    }
  }

  /**
   * Progress of an existing tool call: only the fields that changed are present.
   *
   * @param toolCallId the tool call
   * @param title new title, if changed
   * @param status new status, if changed
   * @param content new content (replacing the old), if changed
   * @param locations new locations, if changed
   * @param rawOutput its output as raw JSON, when sent
   */
  record ToolCallUpdate(
      String toolCallId,
      Optional<String> title,
      Optional<ToolCallStatus> status,
      Optional<List<ToolCallContent>> content,
      Optional<List<String>> locations,
      Optional<String> rawOutput)
      implements SessionUpdate {
    /** Validates and copies the components. */
    public ToolCallUpdate {
      Objects.requireNonNull(toolCallId, "toolCallId");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(status, "status");
      content = content.map(List::copyOf);
      locations = locations.map(List::copyOf);
      Objects.requireNonNull(rawOutput, "rawOutput");
    }

    @Override
    public String kind() {
      return "tool_call_update";
    }
  }

  /** The agent's plan, complete (each plan replaces the previous one). */
  record Plan(List<PlanEntry> entries) implements SessionUpdate {
    /** Copies the entries. */
    public Plan {
      entries = List.copyOf(entries);
    }

    @Override
    public String kind() {
      return "plan";
    }
  }

  /** The slash commands the agent offers now. */
  record AvailableCommands(List<String> names) implements SessionUpdate {
    /** Copies the names. */
    public AvailableCommands {
      names = List.copyOf(names);
    }

    @Override
    public String kind() {
      return "available_commands_update";
    }
  }

  /** The session's mode changed. */
  record CurrentMode(String modeId) implements SessionUpdate {
    /** Validates the mode. */
    public CurrentMode {
      Objects.requireNonNull(modeId, "modeId");
    }

    @Override
    public String kind() {
      return "current_mode_update";
    }
  }

  /** Session metadata changed (e.g. a title). */
  record SessionInfo(Optional<String> title) implements SessionUpdate {
    /** Validates the title. */
    public SessionInfo {
      Objects.requireNonNull(title, "title");
    }

    @Override
    public String kind() {
      return "session_info_update";
    }
  }

  /**
   * Context-window usage, and cost where the agent reports it.
   *
   * @param used tokens in context
   * @param size context window size
   * @param costAmount cumulative cost, if reported
   * @param currency currency of the cost, e.g. {@code USD}
   */
  record UsageUpdate(long used, long size, Optional<Double> costAmount, Optional<String> currency)
      implements SessionUpdate {
    /** Validates the components. */
    public UsageUpdate {
      Objects.requireNonNull(costAmount, "costAmount");
      Objects.requireNonNull(currency, "currency");
    }

    @Override
    public String kind() {
      return "usage_update";
    }
  }

  /** An update kind this version does not know, kept as raw JSON. */
  record Unknown(String kind, String json) implements SessionUpdate {
    /** Validates the components. */
    public Unknown {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(json, "json");
    }
  }
}
