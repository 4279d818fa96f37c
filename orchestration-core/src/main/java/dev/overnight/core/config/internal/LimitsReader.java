package dev.overnight.core.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.config.Limits;
import dev.overnight.api.config.SpendingLimit;
import java.util.Optional;

/**
 * Reads the config's {@code limits} section: the night's and each task's spending limits, when a
 * task counts as stuck, the cancel grace, start failures before an agent is parked, and the share
 * of an agent's usage window left for the morning; every problem with its JSON path.
 */
final class LimitsReader {
  private final Problems problems;

  LimitsReader(Problems problems) {
    this.problems = problems;
  }

  /** The limits of {@code root}; the defaults when it has none. */
  Limits read(JsonObject root) {
    return root.object("limits").map(this::limits).orElse(Limits.defaults());
  }

  private Limits limits(JsonObject l) {
    SpendingLimit night =
        l.object("per_night").map(LimitsReader::spending).orElse(SpendingLimit.unbounded());
    SpendingLimit task =
        l.object("per_task").map(LimitsReader::spending).orElse(SpendingLimit.unbounded());
    int stuck =
        l.integer("stuck_after_sec", 30, 7200, "between 30 and 7200 (2 hours)")
            .map(Long::intValue)
            .orElse(Limits.DEFAULT_STUCK_AFTER_SEC);
    int grace =
        l.integer("cancel_grace_sec", 1, 600, "between 1 and 600 (10 minutes)")
            .map(Long::intValue)
            .orElse(Limits.DEFAULT_CANCEL_GRACE_SEC);
    int startFailures =
        l.integer("start_failures_before_park", 1, 100, "between 1 and 100")
            .map(Long::intValue)
            .orElse(Limits.DEFAULT_START_FAILURES_BEFORE_PARK);
    double leave = l.raw("leave_for_morning").map(v -> share(l, v)).orElse(0.0);
    l.finish();
    return new Limits(night, task, stuck, grace, startFailures, leave);
  }

  /** {@code leave_for_morning}: {@code "20%"}, or a fraction such as 0.2; at most 90%. */
  private double share(JsonObject l, JsonNode v) {
    String text = v.asText().strip();
    try {
      double share =
          text.endsWith("%")
              ? Double.parseDouble(text.substring(0, text.length() - 1).strip()) / 100
              : v.isNumber() ? v.asDouble() : Double.NaN;
      if (share >= 0 && share <= 0.9) {
        return share;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    problems.add(
        l.pathOf("leave_for_morning"),
        "\""
            + text
            + "\" is not a share to leave: use a percentage from \"0%\" to \"90%\", such as"
            + " \"20%\"");
    return 0.0;
  }

  /** A spending limit: tokens, dollars and agent seconds, each optional. */
  static SpendingLimit spending(JsonObject s) {
    Optional<Long> tokens = s.integer("tokens", 1, Long.MAX_VALUE, "a positive integer");
    Optional<Double> cost = s.number("cost_usd", 0.01, 1_000_000, "between 0.01 and 1000000");
    Optional<Long> seconds = s.integer("agent_seconds", 1, Long.MAX_VALUE, "a positive integer");
    s.finish();
    return new SpendingLimit(tokens, cost, seconds);
  }
}
