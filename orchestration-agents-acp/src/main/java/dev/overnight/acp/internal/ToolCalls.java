package dev.overnight.acp.internal;

import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.ToolKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tool calls an agent announced in its updates, so that a permission request naming only a tool
 * call's id is still decided on its kind, title and locations. Bounded: the least recently used
 * calls are forgotten first. Thread-safe; never blocks for long.
 */
final class ToolCalls {
  static final int REMEMBERED = 1024;

  /** What an update said about one tool call. */
  record ToolInfo(String title, ToolKind kind, List<String> locations, Optional<String> rawInput) {}

  // Guarded by itself.
  private final Map<String, ToolInfo> calls =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ToolInfo> eldest) {
          return size() > REMEMBERED;
        }
      };

  /** A {@code tool_call} update: remembers the call as announced. */
  void announced(SessionUpdate.ToolCall call) {
    synchronized (calls) {
      calls.put(
          call.toolCallId(),
          new ToolInfo(call.title(), call.toolKind(), call.locations(), call.rawInput()));
    }
  }

  /** A {@code tool_call_update}: a new title or new locations replace the known ones. */
  void updated(SessionUpdate.ToolCallUpdate update) {
    synchronized (calls) {
      ToolInfo old = calls.get(update.toolCallId());
      if (old != null) {
        calls.put(
            update.toolCallId(),
            new ToolInfo(
                update.title().orElse(old.title()),
                old.kind(),
                update.locations().orElse(old.locations()),
                old.rawInput()));
      }
    }
  }

  /** What is known about a tool call, if it was announced and not forgotten. */
  Optional<ToolInfo> get(String toolCallId) {
    synchronized (calls) {
      return Optional.ofNullable(calls.get(toolCallId));
    }
  }
}
