package dev.overnight.core.decision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.decision.SessionRecord;
import dev.overnight.core.decision.internal.HistoryPaths;
import dev.overnight.core.decision.internal.JsonLines;
import dev.overnight.core.decision.internal.SessionScan;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Claude Code's local history: one JSON Lines file per session under {@code
 * ~/.claude/projects/<slug>/}, where the slug is the working directory with every character that is
 * not an ASCII letter or digit replaced by {@code -}.
 *
 * <p>Read from each line: {@code sessionId}, {@code cwd}, {@code timestamp}; user prompts from
 * {@code type:"user"} lines ({@code message.content} as a string or as {@code text} blocks; meta
 * lines, side chains, tool results and {@code <command-…>} markup are not prompts); files from
 * {@code tool_use} blocks of {@code type:"assistant"} lines whose tool reads or edits a file
 * ({@code Read}, {@code Write}, {@code Edit}, {@code MultiEdit}, {@code NotebookEdit}, also behind
 * an MCP prefix such as {@code mcp__acp__Edit}) through {@code input.file_path} or {@code
 * input.notebook_path}. Sessions whose {@code cwd} lies outside the workspace are left out.
 *
 * <p>The format is Claude Code's private one and changes between versions: whatever does not fit is
 * skipped, never thrown. Thread-safe; {@link #read} blocks on file I/O.
 *
 * @since 0.1.0
 */
public final class ClaudeCodeHistory implements SessionHistorySource {
  /** The name used in {@code decision.history_sources}. */
  public static final String NAME = "claude-code";

  private static final Set<String> FILE_TOOLS =
      Set.of("Read", "Write", "Edit", "MultiEdit", "NotebookEdit", "NotebookRead");

  /** Claude Code shortens longer slugs and appends a hash. */
  private static final int MAX_SLUG = 200;

  private final Path claudeDirectory;

  /** Reads the history under {@code claudeDirectory} (the folder that holds {@code projects/}). */
  public ClaudeCodeHistory(Path claudeDirectory) {
    this.claudeDirectory = Objects.requireNonNull(claudeDirectory, "claudeDirectory");
  }

  /**
   * The history of a user: {@code $CLAUDE_CONFIG_DIR} when set in {@code environment}, else {@code
   * <home>/.claude}.
   */
  public static ClaudeCodeHistory forUser(Path home, Map<String, String> environment) {
    String configured = environment.get("CLAUDE_CONFIG_DIR");
    return new ClaudeCodeHistory(
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : home.resolve(".claude"));
  }

  /** The folder this source reads. */
  public Path directory() {
    return claudeDirectory;
  }

  /**
   * The name of a working directory's folder under {@code projects/}: every UTF-16 unit that is not
   * an ASCII letter or digit becomes {@code -}, as Claude Code does.
   */
  public static String projectSlug(Path workingDirectory) {
    String s = workingDirectory.toAbsolutePath().normalize().toString();
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      b.append(keep ? c : '-');
    }
    return b.toString();
  }

  @Override
  public Optional<Path> location() {
    return Optional.of(directory().resolve("projects"));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<SessionRecord> read(Path workspace, Instant since, int limit) {
    Path ws = workspace.toAbsolutePath().normalize();
    String slug = projectSlug(ws);
    String prefix = slug.length() > MAX_SLUG ? slug.substring(0, MAX_SLUG) : slug;
    List<Path> files = new ArrayList<>();
    for (Path dir : HistoryPaths.list(claudeDirectory.resolve("projects"))) {
      String name = dir.getFileName().toString();
      // Sessions started in a subfolder of the workspace live under a longer slug.
      if (name.equals(slug) || name.startsWith(prefix + "-")) {
        for (Path f : HistoryPaths.list(dir)) {
          if (f.getFileName().toString().endsWith(".jsonl")) {
            files.add(f);
          }
        }
      }
    }
    return SessionScan.newestFirst(
        files,
        since,
        limit,
        f -> parse(f, ws, f.getParent().getFileName().toString().equals(slug)));
  }

  private static Optional<SessionScan.Found> parse(Path file, Path ws, boolean exactFolder) {
    SessionScan.Session s = new SessionScan.Session(file);
    boolean[] outside = {false};
    boolean read =
        JsonLines.forEachObject(
            file,
            line -> {
              HistoryPaths.text(line, "sessionId").ifPresent(s::id);
              Optional<Path> lineCwd =
                  HistoryPaths.text(line, "cwd").flatMap(HistoryPaths::absolute);
              lineCwd.ifPresent(
                  c -> {
                    if (s.cwd().isEmpty() && !HistoryPaths.within(c, ws)) {
                      outside[0] = true;
                    }
                    s.cwd(c.toString());
                  });
              s.seen(HistoryPaths.instant(line.get("timestamp")));
              String type = HistoryPaths.text(line, "type").orElse("");
              JsonNode content = line.path("message").path("content");
              if (type.equals("user")) {
                prompts(line, content, s);
              } else if (type.equals("assistant")) {
                Path cwd = lineCwd.or(s::cwd).orElse(ws);
                for (JsonNode block : content) {
                  if (block.path("type").asText().equals("tool_use")
                      && FILE_TOOLS.contains(toolName(block.path("name").asText()))) {
                    JsonNode input = block.path("input");
                    for (String key : List.of("file_path", "notebook_path")) {
                      s.file(HistoryPaths.relativize(input.path(key).asText(null), cwd, ws));
                    }
                  }
                }
              }
            });
    if (!read || outside[0] || (s.cwd().isEmpty() && !exactFolder)) {
      return Optional.empty();
    }
    return s.build(NAME);
  }

  private static void prompts(JsonNode line, JsonNode content, SessionScan.Session s) {
    if (line.path("isMeta").asBoolean(false) || line.path("isSidechain").asBoolean(false)) {
      return;
    }
    if (content.isTextual()) {
      userText(content.asText(), s);
    } else if (content.isArray()) {
      for (JsonNode block : content) {
        if (block.path("type").asText().equals("text")) {
          userText(block.path("text").asText(""), s);
        }
      }
    }
  }

  private static void userText(String text, SessionScan.Session s) {
    String t = text.strip();
    // Slash commands, their output and interruption notices are markup, not requests.
    if (!t.startsWith("<") && !t.startsWith("[Request interrupted")) {
      s.prompt(t);
    }
  }

  private static String toolName(String name) {
    int sep = name.lastIndexOf("__");
    return sep >= 0 ? name.substring(sep + 2) : name;
  }

  @Override
  public String toString() {
    return NAME + " history in " + claudeDirectory;
  }
}
