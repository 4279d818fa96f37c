package dev.overnight.api.agent;

import java.util.Objects;
import java.util.Optional;

/**
 * What a tool call produced: content, a file diff, or a live terminal.
 *
 * @since 0.1.0
 */
public sealed interface ToolCallContent {

  /** Ordinary content. */
  record Content(ContentBlock content) implements ToolCallContent {
    /** Validates the content. */
    public Content {
      Objects.requireNonNull(content, "content");
    }
  }

  /** A change to one file: its text before (absent for a new file) and after. */
  record Diff(String path, Optional<String> oldText, String newText) implements ToolCallContent {
    /** Validates the components. */
    public Diff {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(oldText, "oldText");
      Objects.requireNonNull(newText, "newText");
    }
  }

  /** A terminal created through the client, by id. */
  record Terminal(String terminalId) implements ToolCallContent {
    /** Validates the id. */
    public Terminal {
      Objects.requireNonNull(terminalId, "terminalId");
    }
  }

  /** A content kind this version does not know, as raw JSON. */
  record Other(String type, String json) implements ToolCallContent {
    /** Validates the components. */
    public Other {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(json, "json");
    }
  }
}
