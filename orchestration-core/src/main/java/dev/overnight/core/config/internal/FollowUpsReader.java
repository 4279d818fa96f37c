package dev.overnight.core.config.internal;

import dev.overnight.api.config.PrAutomation;

/**
 * Reads {@code pr_automation.follow_ups}: {@code per_pr} and {@code per_night} (0 to 100) and
 * {@code in_day}; every problem with its JSON path, an unknown key with a "did you mean".
 */
final class FollowUpsReader {
  private final Problems problems;

  FollowUpsReader(Problems problems) {
    this.problems = problems;
  }

  /** The follow-up bounds of a {@code pr_automation} object; the defaults when it has none. */
  PrAutomation.FollowUps read(JsonObject prAutomation) {
    return prAutomation
        .object("follow_ups")
        .map(this::bounds)
        .orElse(PrAutomation.FollowUps.defaults());
  }

  private PrAutomation.FollowUps bounds(JsonObject f) {
    long perPr =
        f.integer("per_pr", 0, 100, "between 0 and 100 (0 turns follow-ups off)")
            .orElse((long) PrAutomation.FollowUps.DEFAULT_PER_PR);
    long perNight =
        f.integer("per_night", 0, 100, "between 0 and 100 (0 turns follow-ups off)")
            .orElse((long) PrAutomation.FollowUps.DEFAULT_PER_NIGHT);
    boolean inDay = f.bool("in_day", false);
    if (inDay) {
      // Accepted silently, it would promise follow-ups in the day that never come.
      problems.add(
          f.pathOf("in_day"),
          "follow-ups outside the schedule's window are not available yet: they run in the window"
              + " (leave in_day false)");
    }
    f.finish();
    return new PrAutomation.FollowUps((int) perPr, (int) perNight, inDay);
  }
}
