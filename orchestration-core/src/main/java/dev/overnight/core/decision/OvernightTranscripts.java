package dev.overnight.core.decision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.decision.SessionRecord;
import dev.overnight.core.decision.internal.HistoryPaths;
import dev.overnight.core.decision.internal.JsonLines;
import dev.overnight.core.decision.internal.SessionScan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Overnight's own session transcripts: JSON Lines files under {@code <state_dir>/transcripts/} (and
 * up to two folders below), each line one Agent Client Protocol JSON-RPC message exchanged with an
 * agent, bare or wrapped in an envelope object (even as a JSON string inside one).
 *
 * <p>The messages are found wherever they sit in a line: prompts from {@code session/prompt}
 * requests ({@code params.prompt[].text}); the working directory from {@code session/new} or {@code
 * session/load} ({@code params.cwd}); files from {@code fs/read_text_file} and {@code
 * fs/write_text_file} requests ({@code params.path}) and from {@code tool_call} / {@code
 * tool_call_update} updates ({@code locations[].path}, {@code diff} content's {@code path}). An
 * envelope's {@code timestamp}, {@code ts}, {@code time} or {@code at} dates the line.
 *
 * <p>Tasks run in worktrees below the state folder, so paths are taken relative to the session's
 * working directory when that is not inside the workspace. Whatever does not fit is skipped, never
 * thrown. Thread-safe; {@link #read} blocks on file I/O.
 *
 * @since 0.1.0
 */
public final class OvernightTranscripts implements SessionHistorySource {
  /** The name used in {@code decision.history_sources}. */
  public static final String NAME = "overnight";

  private static final Set<String> TIME_KEYS =
      Set.of("timestamp", "ts", "time", "at", "recorded_at", "recordedAt");
  private static final int MAX_DEPTH = 32;

  private final Path transcripts;
  private final Path stateDirectory;

  /**
   * Reads the transcripts in {@code transcriptsDirectory}; sessions that ran in the workspace or in
   * a worktree below the transcripts' parent folder (the state folder) are kept.
   */
  public OvernightTranscripts(Path transcriptsDirectory) {
    this.transcripts = Objects.requireNonNull(transcriptsDirectory, "transcriptsDirectory");
    Path abs = transcriptsDirectory.toAbsolutePath().normalize();
    this.stateDirectory = abs.getParent() != null ? abs.getParent() : abs;
  }

  /** Reads the transcripts of a state folder: {@code <stateDirectory>/transcripts}. */
  public static OvernightTranscripts inStateDirectory(Path stateDirectory) {
    return new OvernightTranscripts(stateDirectory.resolve("transcripts"));
  }

  /** The folder this source reads. */
  public Path directory() {
    return transcripts;
  }

  @Override
  public Optional<Path> location() {
    return Optional.of(directory());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<SessionRecord> read(Path workspace, Instant since, int limit) {
    Path ws = workspace.toAbsolutePath().normalize();
    List<Path> files = new ArrayList<>();
    collect(transcripts, 0, files);
    return SessionScan.newestFirst(files, since, limit, f -> parse(f, ws));
  }

  private static void collect(Path dir, int depth, List<Path> files) {
    for (Path p : HistoryPaths.list(dir)) {
      if (p.getFileName().toString().endsWith(".jsonl")) {
        files.add(p);
      } else if (depth < 2 && Files.isDirectory(p)) {
        collect(p, depth + 1, files);
      }
    }
  }

  private Optional<SessionScan.Found> parse(Path file, Path ws) {
    SessionScan.Session s = new SessionScan.Session(file);
    List<String> rawFiles = new ArrayList<>();
    boolean read =
        JsonLines.forEachObject(
            file,
            line -> {
              line.fields()
                  .forEachRemaining(
                      e -> {
                        if (TIME_KEYS.contains(e.getKey())) {
                          s.seen(HistoryPaths.instant(e.getValue()));
                        }
                      });
              visit(line, s, rawFiles, 0);
            });
    if (!read) {
      return Optional.empty();
    }
    Optional<Path> cwd = s.cwd();
    if (cwd.isPresent()
        && !HistoryPaths.within(cwd.get(), ws)
        && !HistoryPaths.within(cwd.get(), stateDirectory)) {
      return Optional.empty();
    }
    // A worktree mirrors the workspace: its paths are taken relative to the worktree's root.
    Path root = cwd.filter(c -> !HistoryPaths.within(c, ws)).orElse(ws);
    for (String raw : rawFiles) {
      s.file(HistoryPaths.relativize(raw, cwd.orElse(ws), root));
    }
    return s.build(NAME);
  }

  private static void visit(JsonNode node, SessionScan.Session s, List<String> files, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    if (node.isTextual()) {
      String t = node.asText();
      // An envelope may carry the raw message as text.
      if (t.startsWith("{") && t.contains("\"jsonrpc\"")) {
        JsonNode inner = JsonLines.parse(t);
        if (inner != null) {
          visit(inner, s, files, depth + 1);
        }
      }
      return;
    }
    if (node.isObject()) {
      message(node, s, files);
    }
    for (JsonNode child : node) {
      visit(child, s, files, depth + 1);
    }
  }

  private static void message(JsonNode o, SessionScan.Session s, List<String> files) {
    JsonNode params = o.path("params");
    switch (o.path("method").asText("")) {
      case "session/new", "session/load" -> {
        HistoryPaths.text(params, "cwd").ifPresent(s::cwd);
        HistoryPaths.text(params, "sessionId").ifPresent(s::id);
      }
      case "session/prompt" -> {
        HistoryPaths.text(params, "sessionId").ifPresent(s::id);
        for (JsonNode block : params.path("prompt")) {
          if (block.path("type").asText("text").equals("text")) {
            s.prompt(block.path("text").asText(null));
          }
        }
      }
      case "fs/read_text_file", "fs/write_text_file" ->
          HistoryPaths.text(params, "path").ifPresent(files::add);
      default -> {}
    }
    JsonNode result = o.path("result");
    if (result.isObject() && o.has("id")) {
      HistoryPaths.text(result, "sessionId").ifPresent(s::id);
    }
    String update = o.path("sessionUpdate").asText("");
    if (update.equals("tool_call") || update.equals("tool_call_update")) {
      for (JsonNode loc : o.path("locations")) {
        HistoryPaths.text(loc, "path").ifPresent(files::add);
      }
      for (JsonNode c : o.path("content")) {
        if (c.path("type").asText("").equals("diff")) {
          HistoryPaths.text(c, "path").ifPresent(files::add);
        }
      }
    }
  }

  @Override
  public String toString() {
    return NAME + " transcripts in " + transcripts;
  }
}
