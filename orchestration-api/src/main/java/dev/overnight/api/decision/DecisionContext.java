package dev.overnight.api.decision;

import dev.overnight.api.Availability;
import dev.overnight.api.config.OrchestrationConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * @param now the current time, or the instant {@code plan --as-of} evaluates
 * @param asOf the instant the repository and histories are seen at, when it is not now ({@code plan
 *     --as-of}): later commits and sessions are ignored
 * @param candidates what the {@link CandidateSource}s found, for engines that {@linkplain
 *     DecisionEngine#usesCandidates() use them}; empty otherwise
 * @param exclusions changed files no candidate may be about, and why
 * @param activityNote how the activity window was chosen when it is not the lookback, e.g. {@code
 *     "no commit in the last 30 days (last commit 106 days ago): using the 200 most recent"}
 * @since 0.1.0
 */
public record DecisionContext(
    OrchestrationConfig config,
    List<FileActivity> fileActivity,
    List<SessionRecord> sessions,
    Map<String, Availability> agents,
    Set<String> filesWithTests,
    Set<String> finishedOpHashes,
    Instant now,
    Optional<Instant> asOf,
    List<Candidate> candidates,
    List<Exclusion> exclusions,
    Optional<String> activityNote) {

  /** Validates and copies the components. */
  public DecisionContext {
    Objects.requireNonNull(config, "config");
    fileActivity = List.copyOf(fileActivity);
    sessions = List.copyOf(sessions);
    agents = Map.copyOf(agents);
    filesWithTests = Set.copyOf(filesWithTests);
    finishedOpHashes = Set.copyOf(finishedOpHashes);
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(asOf, "asOf");
    candidates = List.copyOf(candidates);
    exclusions = List.copyOf(exclusions);
    Objects.requireNonNull(activityNote, "activityNote");
  }

  /** A context without candidates, exclusions or an as-of instant. */
  public DecisionContext(
      OrchestrationConfig config,
      List<FileActivity> fileActivity,
      List<SessionRecord> sessions,
      Map<String, Availability> agents,
      Set<String> filesWithTests,
      Set<String> finishedOpHashes,
      Instant now) {
    this(
        config,
        fileActivity,
        sessions,
        agents,
        filesWithTests,
        finishedOpHashes,
        now,
        Optional.empty(),
        List.of(),
        List.of(),
        Optional.empty());
  }
}
