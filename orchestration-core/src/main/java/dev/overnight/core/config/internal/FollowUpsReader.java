package dev.overnight.core.config.internal;

import dev.overnight.api.config.PrAutomation;
import java.time.Duration;

/**
 * Reads {@code pr_automation.follow_ups}: {@code per_pr} and {@code per_night} (0 to 100), {@code
 * in_day} and {@code day_interval_sec} (60 to 86400); every problem with its JSON path, an unknown
 * key with a "did you mean".
 */
final class FollowUpsReader {
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
    long dayInterval =
        f.integer("day_interval_sec", 60, 86_400, "between 60 and 86400 seconds")
            .orElse(PrAutomation.FollowUps.DEFAULT_DAY_INTERVAL.toSeconds());
    f.finish();
    return new PrAutomation.FollowUps(
        (int) perPr, (int) perNight, inDay, Duration.ofSeconds(dayInterval));
  }
}
