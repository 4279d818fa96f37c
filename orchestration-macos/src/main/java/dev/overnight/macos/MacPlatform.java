package dev.overnight.macos;

import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.core.platform.OsFamily;
import dev.overnight.macos.internal.JnaMacSystem;
import dev.overnight.macos.internal.MacCheckerProvider;
import dev.overnight.macos.internal.MacKeepAwake;
import dev.overnight.macos.internal.MacKeepAwakeProvider;
import dev.overnight.macos.internal.MacNative;
import dev.overnight.macos.internal.MacSystem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Overnight's macOS constraint checkers and keep-awake, for explicit registration (they are also
 * discovered through {@link java.util.ServiceLoader}).
 *
 * <ul>
 *   <li>{@code plugged_in}: IOKit power sources; a Mac with no battery counts as on AC power;
 *   <li>{@code wifi_only}: SystemConfiguration's primary interface, Wi-Fi when its type is {@code
 *       IEEE80211} ({@code allow_wired} also accepts Ethernet);
 *   <li>{@code cpu_max_percentage}: {@code host_statistics} CPU ticks over a short window;
 *   <li>{@code suspend_if_active}: {@code HIDIdleTime} against {@code idle_minutes};
 *   <li>{@code respect_dnd}: the Focus database (needs Full Disk Access, else {@code UNKNOWN});
 *   <li>keep-awake: {@code IOPMAssertionCreateWithName("PreventUserIdleSystemSleep")}, falling back
 *       to {@code caffeinate -i -w <pid>}.
 * </ul>
 *
 * <p>Safe to load on any system: nothing native is touched until a checker runs on macOS. Immutable
 * and thread-safe.
 *
 * @since 0.1.0
 */
public final class MacPlatform {
  private final Supplier<MacSystem> system;
  private final Duration cpuWindow;

  private MacPlatform(Duration cpuWindow) {
    this.system = JnaMacSystem::system;
    this.cpuWindow = cpuWindow;
  }

  /** The platform with default settings. */
  public static MacPlatform system() {
    return new MacPlatform(MacCpuCheckerDefaults.WINDOW);
  }

  /** The platform sampling CPU use over {@code window} instead of 500 ms. */
  public static MacPlatform withCpuWindow(Duration window) {
    if (window.isNegative()) {
      throw new IllegalArgumentException("window must not be negative: " + window);
    }
    return new MacPlatform(window);
  }

  /** Whether this is macOS. */
  public static boolean isMacOs() {
    return OsFamily.current() == OsFamily.MACOS;
  }

  /** Why the native calls cannot run here, or empty on a Mac where they load. Never throws. */
  public static Optional<String> unavailability() {
    return MacNative.unavailability();
  }

  /** The five built-in checker providers. */
  public List<ConstraintCheckerProvider> checkerProviders() {
    Supplier<Optional<String>> why = MacNative::unavailability;
    return List.of(
        new MacCheckerProvider.PluggedIn(system, why),
        new MacCheckerProvider.WifiOnly(system, why),
        new MacCheckerProvider.Cpu(system, why, cpuWindow),
        new MacCheckerProvider.DoNotDisturb(system, why),
        new MacCheckerProvider.Idle(system, why));
  }

  /** The keep-awake provider. */
  public KeepAwakeProvider keepAwakeProvider() {
    return new MacKeepAwakeProvider(
        () -> new MacKeepAwake(system.get(), List.of("caffeinate"), ProcessHandle.current().pid()));
  }

  private static final class MacCpuCheckerDefaults {
    static final Duration WINDOW = dev.overnight.macos.internal.MacCpuChecker.DEFAULT_WINDOW;
  }
}
