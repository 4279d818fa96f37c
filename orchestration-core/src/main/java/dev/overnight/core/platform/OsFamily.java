package dev.overnight.core.platform;

import java.util.Locale;

/**
 * The operating system families Overnight distinguishes.
 *
 * @since 0.1.0
 */
public enum OsFamily {
  /** macOS (Darwin). */
  MACOS,
  /** Linux. */
  LINUX,
  /** Windows. */
  WINDOWS,
  /** Anything else. */
  OTHER;

  /** The family of the running JVM, from the {@code os.name} system property. Never throws. */
  public static OsFamily current() {
    return of(System.getProperty("os.name", ""));
  }

  /** The family for an {@code os.name} value. */
  public static OsFamily of(String osName) {
    String n = osName.toLowerCase(Locale.ROOT);
    if (n.startsWith("mac") || n.contains("darwin") || n.contains("os x")) {
      return MACOS;
    }
    if (n.startsWith("linux")) {
      return LINUX;
    }
    if (n.startsWith("windows")) {
      return WINDOWS;
    }
    return OTHER;
  }

  /** A short description of the running system, e.g. {@code Linux 6.1.0 (amd64)}. */
  public static String describeCurrent() {
    return System.getProperty("os.name", "?")
        + " "
        + System.getProperty("os.version", "?")
        + " ("
        + System.getProperty("os.arch", "?")
        + ")";
  }
}
