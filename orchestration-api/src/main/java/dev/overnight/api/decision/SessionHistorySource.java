package dev.overnight.api.decision;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads past agent sessions for the decision engine: Overnight's own transcripts, Claude Code's
 * local history, Codex's, or a plugin's (created by a {@link SessionHistorySourceProvider}).
 *
 * <p>Reads tolerantly: a missing folder, an unreadable file or a format change degrades to fewer
 * (or no) records, never to an exception. May block on file I/O; thread-safe.
 *
 * @since 0.1.0
 */
public interface SessionHistorySource {

  /** The source's name as the config's {@code decision.history_sources} lists it. */
  String name();

  /**
   * Sessions that ran in {@code workspace} (or below it) since {@code since}, most recent first, at
   * most {@code limit}.
   */
  List<SessionRecord> read(Path workspace, Instant since, int limit);

  /**
   * The folder the source reads, when it reads one: explanations say "no folder X" when it is
   * missing, instead of a silent zero.
   */
  default Optional<Path> location() {
    return Optional.empty();
  }
}
