package dev.overnight.core.config;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.MissedRunPolicy;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Ready-made configurations: what {@code overnight config init} writes. */
public final class ConfigTemplates {
  private ConfigTemplates() {}

  /**
   * A sensible first configuration for a workspace: every 30 minutes from 01:00 to 05:00 with up to
   * five minutes of jitter, one catch-up after a missed night, only on AC power and Wi-Fi (or
   * wired), while the user is idle, 30-minute cycles, two tasks at once.
   *
   * @param workspace the workspace as it should appear in the file (e.g. {@code "$HOME/code/app"})
   *     and its absolute path
   */
  public static OrchestrationConfig starter(ConfigValue workspace) {
    Schedule schedule =
        Schedule.cron("*/30 1-5 * * *")
            .withWindow(LocalTime.of(1, 0), LocalTime.of(5, 0))
            .withJitterMs(300_000)
            .withOnMissed(MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY);
    Constraints none = Constraints.none();
    Constraints constraints =
        new Constraints(
            true,
            true,
            true,
            Optional.empty(),
            false,
            true,
            15,
            none.onUnknown(),
            none.checkTimeout(),
            none.recheckInterval(),
            Map.of());
    return OrchestrationConfig.builder(workspace)
        .id("nightly")
        .schedule(schedule)
        .constraints(constraints)
        .goals(List.of("Increase test coverage of the most-changed code"))
        .build();
  }
}
