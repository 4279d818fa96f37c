package dev.overnight.core.config;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.Limits;
import dev.overnight.api.config.MissedRunPolicy;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintStatus;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Ready-made configurations: what {@code overnight config init} writes.
 *
 * @since 0.1.0
 */
public final class ConfigTemplates {
  /** The starter's cap on what agents may spend in one night, in US dollars. */
  public static final double STARTER_NIGHT_COST_USD = 10.0;

  private ConfigTemplates() {}

  /**
   * A sensible first configuration for a workspace: named after its folder (two repositories never
   * share a state folder by accident), every 30 minutes from 01:00 to 05:00 with up to five minutes
   * of jitter, one catch-up after a missed night, only on AC power and Wi-Fi (or wired), while the
   * user is idle, 30-minute cycles, two tasks at once, and at most {@value #STARTER_NIGHT_COST_USD}
   * US dollars of agent cost a night.
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
    Limits defaults = Limits.defaults();
    return OrchestrationConfig.builder(workspace)
        .id(idFor(workspace.path()))
        .schedule(schedule)
        .constraints(constraints)
        .limits(
            new Limits(
                new SpendingLimit(
                    Optional.empty(), Optional.of(STARTER_NIGHT_COST_USD), Optional.empty()),
                defaults.perTask(),
                defaults.stuckAfterSec(),
                defaults.cancelGraceSec(),
                defaults.startFailuresBeforePark()))
        .goals(List.of("Increase test coverage of the most-changed code"))
        .build();
  }

  /**
   * A config id for a workspace: its folder's name, as an id allows (letters, digits, {@code .},
   * {@code _}, {@code -}; at most 64, starting with a letter or digit), or {@code overnight}.
   */
  public static String idFor(Path workspace) {
    Path name = workspace.toAbsolutePath().normalize().getFileName();
    String raw = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    String id = raw.replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
    id = id.length() > 64 ? id.substring(0, 64) : id;
    return id.isEmpty() ? "overnight" : id;
  }

  /**
   * {@code config} without the constraints this machine cannot judge: a checker that answers {@code
   * UNKNOWN} here (no battery to read, no desktop session on a headless box) would hold every night
   * back. The enabled checkers' answers are in {@code readings}, by name.
   *
   * @return the config to write, and why each constraint was dropped
   */
  public static Fitted fitTo(OrchestrationConfig config, Map<String, ConstraintResult> readings) {
    Constraints c = config.constraints();
    Map<String, String> dropped = new LinkedHashMap<>();
    boolean plugged = keep(c.pluggedIn(), "plugged_in", readings, dropped);
    boolean wifi = keep(c.wifiOnly(), "wifi_only", readings, dropped);
    boolean idle = keep(c.suspendIfActive(), "suspend_if_active", readings, dropped);
    boolean dnd = keep(c.respectDnd(), "respect_dnd", readings, dropped);
    Constraints fitted =
        new Constraints(
            plugged,
            wifi,
            c.allowWired(),
            c.cpuMaxPercentage(),
            dnd,
            idle,
            c.idleMinutes(),
            c.onUnknown(),
            c.checkTimeout(),
            c.recheckInterval(),
            c.checkers());
    return new Fitted(config.toBuilder().constraints(fitted).build(), dropped);
  }

  private static boolean keep(
      boolean enabled,
      String name,
      Map<String, ConstraintResult> readings,
      Map<String, String> dropped) {
    if (!enabled) {
      return false;
    }
    ConstraintResult r = readings.get(name);
    if (r != null && r.status() == ConstraintStatus.UNKNOWN) {
      dropped.put(name, r.reason());
      return false;
    }
    return true;
  }

  /**
   * A config fitted to a machine.
   *
   * @param config the config
   * @param dropped each constraint left out, with this machine's answer that made it useless
   */
  public record Fitted(OrchestrationConfig config, Map<String, String> dropped) {
    /** Copies the map. */
    public Fitted {
      dropped = Map.copyOf(dropped);
    }
  }
}
