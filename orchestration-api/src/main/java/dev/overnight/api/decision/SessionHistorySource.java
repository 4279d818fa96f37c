package dev.overnight.api.decision;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Reads past agent sessions for the decision engine: Overnight's own transcripts, Claude Code's
 * local history, Codex's.
 *
 * <p>Reads tolerantly: a missing folder, an unreadable file or a format change degrades to fewer
 * (or no) records, never to an exception. May block on file I/O; thread-safe.
 */
public interface SessionHistorySource {

  /** The source's name as the config's {@code decision.history_sources} lists it. */
  String name();

  /**
   * Sessions that ran in {@code workspace} (or below it) since {@code since}, most recent first, at
   * most {@code limit}.
   */
  List<SessionRecord> read(Path workspace, Instant since, int limit);
}
