package dev.overnight.macos.internal;

import dev.overnight.core.platform.OsFamily;
import java.util.Optional;

/**
 * Whether the macOS native code can run here: the operating system is checked before any native
 * class is touched, and a failing library load is caught.
 */
public final class MacNative {
  private static volatile Optional<String> unavailability;

  private MacNative() {}

  /** Why native calls cannot run here, or empty when they can. Never throws; computed once. */
  public static Optional<String> unavailability() {
    Optional<String> u = unavailability;
    if (u == null) {
      u = probe();
      unavailability = u;
    }
    return u;
  }

  /** Whether native calls can run here. */
  public static boolean available() {
    return unavailability().isEmpty();
  }

  private static Optional<String> probe() {
    if (OsFamily.current() != OsFamily.MACOS) {
      return Optional.of("not macOS: " + OsFamily.describeCurrent());
    }
    try {
      // Touch one holder: it loads JNA's own native part and IOKit.
      return MacLibraries.Iopm.LIB == null ? Optional.of("IOKit did not load") : Optional.empty();
    } catch (LinkageError | RuntimeException e) {
      return Optional.of("the native libraries did not load: " + e);
    }
  }
}
