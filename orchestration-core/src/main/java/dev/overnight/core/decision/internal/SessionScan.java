package dev.overnight.core.decision.internal;

import dev.overnight.api.decision.SessionRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What the history readers share: an accumulator for one session's facts, and the walk over
 * candidate files that keeps the newest sessions since a point in time.
 */
public final class SessionScan {
  /** At most this many files are opened per read, newest first. */
  public static final int MAX_FILES = 2000;

  /** Prompts longer than this are cut: they only feed keyword matching and explanations. */
  public static final int MAX_PROMPT_CHARS = 4000;

  /** At most this many prompts are kept per session. */
  public static final int MAX_PROMPTS = 200;

  private SessionScan() {}

  /** A parsed session and when it was last active. */
  public record Found(SessionRecord record, Instant lastActivity) {}

  /**
   * Parses {@code files} newest first (by modification time), skipping files last modified before
   * {@code since}, and returns at most {@code limit} sessions active since {@code since}, most
   * recent first. {@code parse} must not throw; a file it cannot use yields empty.
   */
  public static List<SessionRecord> newestFirst(
      List<Path> files, Instant since, int limit, Function<Path, Optional<Found>> parse) {
    if (limit <= 0) {
      return List.of();
    }
    record Candidate(Path file, Instant modified) {}
    List<Candidate> candidates = new ArrayList<>();
    for (Path f : files) {
      Instant m = HistoryPaths.modified(f).orElse(Instant.MAX);
      if (!m.isBefore(since)) {
        candidates.add(new Candidate(f, m));
      }
    }
    candidates.sort(
        Comparator.comparing(Candidate::modified)
            .reversed()
            .thenComparing(c -> c.file().toString()));
    List<Found> found = new ArrayList<>();
    int opened = 0;
    for (Candidate c : candidates) {
      if (found.size() >= limit || opened++ >= MAX_FILES) {
        break;
      }
      Optional<Found> f;
      try {
        f = parse.apply(c.file());
      } catch (RuntimeException e) {
        f = Optional.empty();
      }
      f.filter(x -> !x.lastActivity().isBefore(since)).ifPresent(found::add);
    }
    found.sort(
        Comparator.comparing(Found::lastActivity)
            .reversed()
            .thenComparing(x -> x.record().sessionId()));
    return found.stream().limit(limit).map(Found::record).toList();
  }

  /** The facts gathered about one session while its lines are read. Not thread-safe. */
  public static final class Session {
    private final Path file;
    private String id;
    private Path cwd;
    private Instant first;
    private Instant last;
    private final List<String> prompts = new ArrayList<>();
    private final Set<String> files = new LinkedHashSet<>();

    /** Starts a session read from {@code file}. */
    public Session(Path file) {
      this.file = file;
    }

    /** Records the session id, if none yet. */
    public void id(String value) {
      if (id == null && value != null && !value.isBlank()) {
        id = value;
      }
    }

    /** Records the working directory, if none yet and {@code raw} is an absolute path. */
    public void cwd(String raw) {
      if (cwd == null) {
        HistoryPaths.absolute(raw).ifPresent(p -> cwd = p);
      }
    }

    /** The working directory, if known. */
    public Optional<Path> cwd() {
      return Optional.ofNullable(cwd);
    }

    /** Widens the activity interval to include {@code t}. */
    public void seen(Optional<Instant> t) {
      t.ifPresent(
          i -> {
            first = first == null || i.isBefore(first) ? i : first;
            last = last == null || i.isAfter(last) ? i : last;
          });
    }

    /** Adds a user prompt (blank ones are ignored, long ones cut). */
    public void prompt(String text) {
      if (text == null || text.isBlank() || prompts.size() >= MAX_PROMPTS) {
        return;
      }
      String t = text.strip();
      prompts.add(t.length() <= MAX_PROMPT_CHARS ? t : t.substring(0, MAX_PROMPT_CHARS));
    }

    /** Whether any prompt was recorded. */
    public boolean hasPrompts() {
      return !prompts.isEmpty();
    }

    /** Adds a workspace-relative file path. */
    public void file(Optional<String> relative) {
      relative.ifPresent(files::add);
    }

    /**
     * The session as a record, last active at its newest timestamp (or the file's modification time
     * when the lines carry none); empty when nothing at all was recognised in the file.
     */
    public Optional<Found> build(String source) {
      if (id == null && cwd == null && prompts.isEmpty() && files.isEmpty()) {
        return Optional.empty();
      }
      String sessionId = id;
      if (sessionId == null) {
        String name = file.getFileName().toString();
        sessionId = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
      }
      Instant lastActivity =
          last != null ? last : HistoryPaths.modified(file).orElse(Instant.EPOCH);
      return Optional.of(
          new Found(
              new SessionRecord(
                  source,
                  sessionId,
                  Optional.ofNullable(first),
                  Optional.ofNullable(cwd).map(Path::toString),
                  prompts,
                  List.copyOf(files)),
              lastActivity));
    }
  }
}
