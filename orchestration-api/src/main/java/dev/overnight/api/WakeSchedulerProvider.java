package dev.overnight.api;

/**
 * ServiceLoader SPI for a platform's {@link WakeScheduler}.
 *
 * <p>Implementations must be cheap to construct and must not touch native code or start processes
 * before {@link #isSupported()} says the platform is right: loading a macOS provider on Linux must
 * never throw. Among supported providers the lowest {@link #order()} wins.
 *
 * @since 0.1.0
 */
public interface WakeSchedulerProvider {

  /** A stable name, e.g. {@code "linux-rtcwake"} or {@code "macos-iopm"}. */
  String name();

  /** Whether this provider can work on the current operating system. Never throws. */
  boolean isSupported();

  /** Precedence among supported providers; lower wins. */
  default int order() {
    return 0;
  }

  /** Creates the wake scheduler. Called only when {@link #isSupported()} is true. */
  WakeScheduler create();
}
