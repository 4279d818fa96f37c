package dev.overnight.api.decision;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One past agent session, as far as a history source could read it.
 *
 * @param source where it came from: {@code overnight}, {@code claude-code}, {@code codex}
 * @param sessionId the session's id in that source
 * @param startedAt when it started, if known
 * @param workspace the directory it ran in, if known
 * @param prompts what the user asked, in order
 * @param filesTouched files the session read or changed, relative to the workspace where possible
 * @since 0.1.0
 */
public record SessionRecord(
    String source,
    String sessionId,
    Optional<Instant> startedAt,
    Optional<String> workspace,
    List<String> prompts,
    List<String> filesTouched) {

  /** Validates and copies the components. */
  public SessionRecord {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(workspace, "workspace");
    prompts = List.copyOf(prompts);
    filesTouched = List.copyOf(filesTouched);
  }
}
