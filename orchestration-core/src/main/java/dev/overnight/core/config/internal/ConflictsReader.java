package dev.overnight.core.config.internal;

import dev.overnight.api.config.ConflictSettings;
import dev.overnight.api.config.ConflictSettings.Overlap;
import dev.overnight.api.config.ConflictSettings.Strategy;
import java.util.Optional;

/**
 * Reads the config's {@code conflicts} section: how a branch takes in its moved base ({@code
 * strategy}), what overlapping tasks do ({@code overlap}) and how much history predicts the files a
 * task touches ({@code history_commits}). Every problem is recorded with its JSON path.
 */
final class ConflictsReader {
  private final Problems problems;

  ConflictsReader(Problems problems) {
    this.problems = problems;
  }

  /** The section, or the defaults when the config has none. */
  ConflictSettings read(JsonObject root) {
    return root.object("conflicts").map(this::section).orElse(ConflictSettings.defaults());
  }

  private ConflictSettings section(JsonObject c) {
    ConflictSettings defaults = ConflictSettings.defaults();
    Strategy strategy =
        c.string("strategy")
            .flatMap(
                text -> {
                  Optional<Strategy> s = Strategy.parse(text);
                  if (s.isEmpty()) {
                    problems.add(
                        c.pathOf("strategy"),
                        "\"" + text + "\" is not a conflict strategy: use \"rebase\" or \"merge\"");
                  }
                  return s;
                })
            .orElse(defaults.strategy());
    Overlap overlap =
        c.string("overlap")
            .flatMap(
                text -> {
                  Optional<Overlap> o = Overlap.parse(text);
                  if (o.isEmpty()) {
                    problems.add(
                        c.pathOf("overlap"),
                        "\"" + text + "\" is not an overlap rule: use \"wait\" or \"stack\"");
                  }
                  return o;
                })
            .orElse(defaults.overlap());
    int history =
        c.integer(
                "history_commits",
                0,
                ConflictSettings.MAX_HISTORY_COMMITS,
                "between 0 and " + ConflictSettings.MAX_HISTORY_COMMITS)
            .map(Long::intValue)
            .orElse(defaults.historyCommits());
    c.finish();
    return new ConflictSettings(strategy, overlap, history);
  }
}
