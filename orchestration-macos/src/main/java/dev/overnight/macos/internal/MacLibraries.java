package dev.overnight.macos.internal;

import com.sun.jna.Native;

/**
 * Holders that load the native libraries on first use, one class each, so that loading any other
 * class of this module never runs {@code Native.load}: on Linux, loading these holders throws a
 * {@link LinkageError}, and nothing else does.
 */
final class MacLibraries {
  private MacLibraries() {}

  /** IOKit's power management functions. */
  static final class Iopm {
    static final IOKitPowerManagement LIB = Native.load("IOKit", IOKitPowerManagement.class);

    private Iopm() {}
  }

  /** The CoreFoundation date functions jna-platform does not map. */
  static final class Cf {
    static final CoreFoundationDates LIB = Native.load("CoreFoundation", CoreFoundationDates.class);

    private Cf() {}
  }

  /** SystemConfiguration. */
  static final class Sc {
    static final SystemConfigurationLibrary LIB =
        Native.load("SystemConfiguration", SystemConfigurationLibrary.class);

    private Sc() {}
  }

  /** CoreGraphics' event source functions. */
  static final class Cg {
    static final CoreGraphicsEvents LIB = Native.load("CoreGraphics", CoreGraphicsEvents.class);

    private Cg() {}
  }
}
