package dev.overnight.api.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Conditions the machine must meet before a cycle runs, and how they are checked.
 *
 * <p>The built-in names ({@code plugged_in}, {@code wifi_only}, {@code cpu_max_percentage}, {@code
 * respect_dnd}, {@code suspend_if_active}) are served by the platform modules; {@link #checkers()}
 * holds third-party checkers by name with their settings (JSON values: {@code Boolean}, {@code
 * Number}, {@code String}, {@code List}, {@code Map}, or {@code null}).
 *
 * @param pluggedIn run only on AC power (a machine with no battery counts as on AC)
 * @param wifiOnly run only when the primary network interface is Wi-Fi
 * @param allowWired with {@code wifiOnly}, also accept a wired primary interface
 * @param cpuMaxPercentage run only while total CPU use is at or below this percentage
 * @param respectDnd do not run while Do Not Disturb / Focus is on
 * @param suspendIfActive do not run while the user is active
 * @param idleMinutes with {@code suspendIfActive}, how long the user must have been idle
 * @param onUnknown how a checker that cannot tell is treated
 * @param checkTimeout how long each checker may take before it counts as unknown
 * @param recheckInterval how often unsatisfied constraints are checked again while the window is
 *     open
 * @param checkers third-party checkers by name, with their settings
 * @since 0.1.0
 */
public record Constraints(
    boolean pluggedIn,
    boolean wifiOnly,
    boolean allowWired,
    Optional<Double> cpuMaxPercentage,
    boolean respectDnd,
    boolean suspendIfActive,
    int idleMinutes,
    UnknownPolicy onUnknown,
    Duration checkTimeout,
    Duration recheckInterval,
    Map<String, Object> checkers) {

  /** Names of the built-in checkers, in the order they are reported. */
  public static final List<String> BUILT_IN =
      List.of("plugged_in", "wifi_only", "cpu_max_percentage", "respect_dnd", "suspend_if_active");

  /** Default for {@link #idleMinutes()}. */
  public static final int DEFAULT_IDLE_MINUTES = 10;

  /** Default for {@link #checkTimeout()}. */
  public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(2);

  /** Default for {@link #recheckInterval()}. */
  public static final Duration DEFAULT_RECHECK_INTERVAL = Duration.ofMinutes(1);

  /** Validates the components and makes the map immutable (keeping its order). */
  public Constraints {
    Objects.requireNonNull(cpuMaxPercentage, "cpuMaxPercentage");
    Objects.requireNonNull(onUnknown, "onUnknown");
    Objects.requireNonNull(checkTimeout, "checkTimeout");
    Objects.requireNonNull(recheckInterval, "recheckInterval");
    checkers = Collections.unmodifiableMap(new LinkedHashMap<>(checkers));
  }

  /** No constraints: every cycle may run. */
  public static Constraints none() {
    return new Constraints(
        false,
        false,
        false,
        Optional.empty(),
        false,
        false,
        DEFAULT_IDLE_MINUTES,
        UnknownPolicy.FAIL,
        DEFAULT_CHECK_TIMEOUT,
        DEFAULT_RECHECK_INTERVAL,
        Map.of());
  }

  /** The names of every checker this configuration enables: built-ins first, then third-party. */
  public List<String> enabledCheckers() {
    List<String> names = new ArrayList<>();
    if (pluggedIn) {
      names.add("plugged_in");
    }
    if (wifiOnly) {
      names.add("wifi_only");
    }
    if (cpuMaxPercentage.isPresent()) {
      names.add("cpu_max_percentage");
    }
    if (respectDnd) {
      names.add("respect_dnd");
    }
    if (suspendIfActive) {
      names.add("suspend_if_active");
    }
    checkers.forEach(
        (name, settings) -> {
          if (settings != null && !Boolean.FALSE.equals(settings)) {
            names.add(name);
          }
        });
    return List.copyOf(names);
  }
}
