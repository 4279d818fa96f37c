package dev.overnight.core.config.internal;

import dev.overnight.api.config.ReviewSettings;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the config's {@code review} section: whether a task's result is reviewed, by which agent (a
 * built-in or configured one), with how many partial turns and how much time; every problem with
 * its JSON path.
 */
final class ReviewReader {
  private final Problems problems;
  private final Set<String> configuredAgents;

  /** Reads agents against the built-in ones and {@code configuredAgents}. */
  ReviewReader(Problems problems, Set<String> configuredAgents) {
    this.problems = problems;
    this.configuredAgents = configuredAgents;
  }

  /** The review settings of {@code root}; disabled when it has none. */
  ReviewSettings read(JsonObject root) {
    return root.object("review").map(this::review).orElse(ReviewSettings.disabled());
  }

  private ReviewSettings review(JsonObject r) {
    boolean enabled = r.bool("enabled", false);
    Optional<String> agent = r.string("agent");
    Set<String> known = AgentIds.known(configuredAgents);
    agent.ifPresent(a -> AgentIds.check(problems, r.pathOf("agent"), a, known));
    int partial =
        r.integer(
                "partial_turns",
                0,
                ReviewSettings.MAX_PARTIAL_TURNS,
                "between 0 and " + ReviewSettings.MAX_PARTIAL_TURNS)
            .map(Long::intValue)
            .orElse(ReviewSettings.DEFAULT_PARTIAL_TURNS);
    int time =
        r.integer("time_sec", 10, 3600, "between 10 and 3600 (an hour)")
            .map(Long::intValue)
            .orElse(ReviewSettings.DEFAULT_TIME_SEC);
    r.finish();
    return new ReviewSettings(enabled, agent, partial, time);
  }
}
