package dev.overnight.api.decision;

import dev.overnight.api.config.OrchestrationConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A repository as it was at one instant, as {@link CandidateSource}s see it: its recent commits,
 * the files worth proposing (changed recently, not excluded), and read access to contents, text
 * search, line ages and diffs at that instant's revision. Later commits are invisible.
 *
 * <p>Implementations read lazily and may cache; every method may block on git or file reads and
 * none throws for a missing file or a failing git: the answer is then empty. Thread-safe.
 *
 * @since 0.1.0
 */
public interface RepositorySnapshot {

  /** The workspace folder (the checkout the revision belongs to). */
  Path workspace();

  /** The configuration (goals, focus, decision settings such as checker commands). */
  OrchestrationConfig config();

  /** The instant the repository is seen at: now, or {@code plan --as-of}'s. */
  Instant asOf();

  /** The commit the snapshot shows: the last one at {@link #asOf()}; empty without commits. */
  Optional<String> revision();

  /**
   * The non-merge commits of the activity window, newest first: those within the lookback, or the
   * most recent ones when the lookback holds none (see {@link #windowNote()}).
   */
  List<Commit> commits();

  /** How the activity window was chosen, when it is not simply the lookback. */
  Optional<String> windowNote();

  /**
   * Source files changed in the window that may be proposed (in focus, present at the revision, not
   * {@linkplain #exclusion excluded}), most changed first, ties by path.
   */
  List<FileActivity> hotFiles();

  /** Why a file must not be proposed, if it must not (see {@link Exclusion}). */
  Optional<String> exclusion(String path);

  /** Whether a path is a test file, by the usual naming and folder conventions. */
  boolean isTest(String path);

  /** Every file path at the revision, relative to the workspace. */
  List<String> files();

  /** The text of a file at the revision; empty if absent, binary or unreadable. */
  Optional<String> read(String path);

  /**
   * Occurrences of any of {@code words} (fixed strings, whole words) in files at the revision whose
   * path matches one of {@code pathspecs} (git pathspecs; none means every file).
   */
  List<GrepHit> grep(List<String> words, List<String> pathspecs);

  /** When the given line of a file was last changed ({@code git blame}), if known. */
  Optional<Instant> lineChangedAt(String path, int line);

  /** The patch of a commit, cut to {@code maxChars}; empty if it cannot be read. */
  Optional<String> diff(String commitId, int maxChars);

  /**
   * Runs a configured command (a checker, a coverage run) in the workspace, without a shell, for at
   * most {@code timeout}.
   */
  CommandOutput run(List<String> command, Duration timeout);

  /**
   * One commit.
   *
   * @param id its full hash
   * @param time its committer time
   * @param subject the first line of its message
   * @param changes the files it changed, with line counts
   */
  record Commit(String id, Instant time, String subject, List<FileChange> changes) {
    /** Validates and copies the components. */
    public Commit {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(subject, "subject");
      changes = List.copyOf(changes);
    }

    /** The first 10 hex digits of the hash. */
    public String shortId() {
      return id.length() > 10 ? id.substring(0, 10) : id;
    }
  }

  /**
   * A file changed by a commit.
   *
   * @param path its path after the commit, relative to the workspace
   * @param added lines added ({@code -1} for a binary file)
   * @param deleted lines deleted ({@code -1} for a binary file)
   */
  record FileChange(String path, int added, int deleted) {
    /** Validates the components. */
    public FileChange {
      Objects.requireNonNull(path, "path");
    }
  }

  /**
   * A match of {@link #grep}.
   *
   * @param path the file
   * @param line its 1-based line
   * @param text the line, stripped
   */
  record GrepHit(String path, int line, String text) {
    /** Validates the components. */
    public GrepHit {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * What a command did.
   *
   * @param exitCode its exit code ({@code -1} when it did not run or finish)
   * @param output its standard output and error
   * @param problem why it did not run or finish, if so
   */
  record CommandOutput(int exitCode, String output, Optional<String> problem) {
    /** Validates the components. */
    public CommandOutput {
      Objects.requireNonNull(output, "output");
      Objects.requireNonNull(problem, "problem");
    }
  }
}
