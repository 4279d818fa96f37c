package dev.overnight.api.decision;

import dev.overnight.api.Availability;
import dev.overnight.api.config.OrchestrationConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the decision engine may look at. Built by the coordinator; immutable.
 *
 * @param config the configuration (goals, focus, agent preferences, decision tuning)
 * @param fileActivity touch counts per file over the lookback, git and sessions combined
 * @param sessions past sessions
 * @param agents every configured agent's availability, by id
 * @param filesWithTests files that already have tests (by the workspace's conventions)
 * @param finishedOpHashes op hashes of tasks already in the queue's history (done, under way,
 *     waiting or cancelled), so a decision moves on instead of repeating them
 * @param now the current time
 * @since 0.1.0
 */
public record DecisionContext(
    OrchestrationConfig config,
    List<FileActivity> fileActivity,
    List<SessionRecord> sessions,
    Map<String, Availability> agents,
    Set<String> filesWithTests,
    Set<String> finishedOpHashes,
    Instant now) {

  /** Validates and copies the components. */
  public DecisionContext {
    Objects.requireNonNull(config, "config");
    fileActivity = List.copyOf(fileActivity);
    sessions = List.copyOf(sessions);
    agents = Map.copyOf(agents);
    filesWithTests = Set.copyOf(filesWithTests);
    finishedOpHashes = Set.copyOf(finishedOpHashes);
    Objects.requireNonNull(now, "now");
  }
}
