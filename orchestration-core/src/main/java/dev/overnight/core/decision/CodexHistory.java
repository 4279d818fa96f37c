package dev.overnight.core.decision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.decision.SessionRecord;
import dev.overnight.core.decision.internal.HistoryPaths;
import dev.overnight.core.decision.internal.JsonLines;
import dev.overnight.core.decision.internal.SessionScan;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Codex's local history: "rollout" files under {@code
 * ~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl}, one JSON object per line shaped {@code
 * {"timestamp", "type", "payload"}}.
 *
 * <p>Read: the session id and working directory from {@code session_meta} (and {@code cwd} changes
 * from {@code turn_context}); prompts from {@code event_msg} {@code user_message} events (or, in
 * files without them, from user {@code response_item} messages that are not injected context such
 * as {@code <environment_context>}); files from {@code patch_apply_end} events' {@code changes} and
 * from the {@code *** Add/Update/Delete File:} headers of {@code apply_patch} calls, whichever way
 * the call was recorded ({@code function_call} arguments, {@code custom_tool_call} input, a shell
 * command). Sessions whose working directory lies outside the workspace (or is not recorded, as in
 * the earliest rollouts) are left out.
 *
 * <p>The format is Codex's private one and changes between versions: whatever does not fit is
 * skipped, never thrown. Thread-safe; {@link #read} blocks on file I/O.
 *
 * @since 0.1.0
 */
public final class CodexHistory implements SessionHistorySource {
  /** The name used in {@code decision.history_sources}. */
  public static final String NAME = "codex";

  private static final Pattern PATCH_FILE =
      Pattern.compile(
          "^\\*\\*\\* (?:(?:Add|Update|Delete) File|Move to): (.+)$", Pattern.MULTILINE);

  private final Path codexHome;

  /** Reads the history under {@code codexHome} (the folder that holds {@code sessions/}). */
  public CodexHistory(Path codexHome) {
    this.codexHome = Objects.requireNonNull(codexHome, "codexHome");
  }

  /**
   * The history of a user: {@code $CODEX_HOME} when set in {@code environment}, else {@code
   * <home>/.codex}.
   */
  public static CodexHistory forUser(Path home, Map<String, String> environment) {
    String configured = environment.get("CODEX_HOME");
    return new CodexHistory(
        configured != null && !configured.isBlank() ? Path.of(configured) : home.resolve(".codex"));
  }

  /** The folder this source reads. */
  public Path directory() {
    return codexHome;
  }

  @Override
  public Optional<Path> location() {
    return Optional.of(directory().resolve("sessions"));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<SessionRecord> read(Path workspace, Instant since, int limit) {
    Path ws = workspace.toAbsolutePath().normalize();
    // Day folders are named in local time; a day's margin covers any zone.
    LocalDate firstDay = since.atOffset(ZoneOffset.UTC).toLocalDate().minusDays(1);
    List<Path> files = new ArrayList<>();
    Path sessions = codexHome.resolve("sessions");
    collect(sessions, files);
    for (Path year : HistoryPaths.list(sessions)) {
      for (Path month : HistoryPaths.list(year)) {
        for (Path day : HistoryPaths.list(month)) {
          if (!before(year, month, day, firstDay)) {
            collect(day, files);
          }
        }
      }
    }
    return SessionScan.newestFirst(files, since, limit, f -> parse(f, ws));
  }

  private static void collect(Path dir, List<Path> files) {
    for (Path f : HistoryPaths.list(dir)) {
      String name = f.getFileName().toString();
      if (name.startsWith("rollout-") && name.endsWith(".jsonl")) {
        files.add(f);
      }
    }
  }

  private static boolean before(Path year, Path month, Path day, LocalDate firstDay) {
    try {
      LocalDate d =
          LocalDate.of(
              Integer.parseInt(year.getFileName().toString()),
              Integer.parseInt(month.getFileName().toString()),
              Integer.parseInt(day.getFileName().toString()));
      return d.isBefore(firstDay);
    } catch (NumberFormatException | DateTimeException e) {
      return false;
    }
  }

  private static Optional<SessionScan.Found> parse(Path file, Path ws) {
    SessionScan.Session s = new SessionScan.Session(file);
    List<String> injected = new ArrayList<>();
    Path[] cwd = {null};
    boolean read =
        JsonLines.forEachObject(
            file,
            line -> {
              s.seen(HistoryPaths.instant(line.get("timestamp")));
              String type = line.path("type").asText("");
              JsonNode payload = line.path("payload");
              switch (type) {
                case "session_meta" -> {
                  HistoryPaths.text(payload, "id").ifPresent(s::id);
                  workingDirectory(payload, s, cwd);
                  s.seen(HistoryPaths.instant(payload.get("timestamp")));
                }
                case "turn_context" -> workingDirectory(payload, s, cwd);
                case "event_msg" -> event(payload, s, cwd[0], ws);
                case "response_item" -> item(payload, s, cwd[0], ws, injected);
                default -> {}
              }
            });
    if (!read || s.cwd().isEmpty() || !HistoryPaths.within(s.cwd().get(), ws)) {
      return Optional.empty();
    }
    if (!s.hasPrompts()) {
      injected.forEach(s::prompt);
    }
    return s.build(NAME);
  }

  private static void workingDirectory(JsonNode payload, SessionScan.Session s, Path[] cwd) {
    HistoryPaths.text(payload, "cwd")
        .flatMap(HistoryPaths::absolute)
        .ifPresent(
            c -> {
              s.cwd(c.toString());
              cwd[0] = c;
            });
  }

  private static void event(JsonNode payload, SessionScan.Session s, Path cwd, Path ws) {
    switch (payload.path("type").asText("")) {
      case "user_message" -> s.prompt(payload.path("message").asText(null));
      case "patch_apply_end", "patch_apply_begin" -> {
        Iterator<String> paths = payload.path("changes").fieldNames();
        while (paths.hasNext()) {
          s.file(HistoryPaths.relativize(paths.next(), base(cwd, ws), ws));
        }
      }
      default -> {}
    }
  }

  private static void item(
      JsonNode payload, SessionScan.Session s, Path cwd, Path ws, List<String> userMessages) {
    switch (payload.path("type").asText("")) {
      case "message" -> {
        if (payload.path("role").asText("").equals("user")) {
          for (JsonNode c : payload.path("content")) {
            String text = c.path("text").asText("").strip();
            // Codex injects instructions and environment context as user messages.
            if (!text.isEmpty() && !text.startsWith("<") && !text.startsWith("# AGENTS.md")) {
              userMessages.add(text);
            }
          }
        }
      }
      case "function_call" -> {
        JsonNode args = JsonLines.parse(payload.path("arguments").asText(""));
        patchFiles(args != null ? args : payload.path("arguments"), s, cwd, ws);
      }
      case "custom_tool_call" -> patchFiles(payload.path("input"), s, cwd, ws);
      case "local_shell_call" -> patchFiles(payload.path("action"), s, cwd, ws);
      default -> {}
    }
  }

  private static void patchFiles(JsonNode node, SessionScan.Session s, Path cwd, Path ws) {
    if (node == null) {
      return;
    }
    if (node.isTextual()) {
      Matcher m = PATCH_FILE.matcher(node.asText());
      while (m.find()) {
        s.file(HistoryPaths.relativize(m.group(1).strip(), base(cwd, ws), ws));
      }
    } else if (node.isContainerNode()) {
      for (JsonNode child : node) {
        patchFiles(child, s, cwd, ws);
      }
    }
  }

  private static Path base(Path cwd, Path ws) {
    return cwd != null ? cwd : ws;
  }

  @Override
  public String toString() {
    return NAME + " history in " + codexHome;
  }
}
