package dev.overnight.api;

/**
 * Keeps the machine from idle-sleeping while Overnight works.
 *
 * <p>The scheduler acquires it when a cycle starts and releases it when the cycle ends, on {@code
 * stop()}, on an exception and from a shutdown hook. Platform implementations (IOKit assertions on
 * macOS, {@code systemd-inhibit} on Linux) come from {@link KeepAwakeProvider}s; {@link #noop()} is
 * the default where none applies.
 *
 * <p>Thread-safe. {@link #acquire} may block briefly (it may start a helper process) and throws
 * {@link OrchestrationException} only for programming errors: a platform that cannot keep the
 * machine awake returns a handle that says so through {@link Handle#held()} and logs a warning.
 *
 * @since 0.1.0
 */
public interface KeepAwake {

  /**
   * Asks the system to stay awake until the returned handle is closed.
   *
   * @param reason shown to the user by the system where it can (e.g. {@code pmset -g assertions})
   */
  Handle acquire(String reason);

  /** A short description for diagnostics, e.g. {@code "IOPMAssertion"} or {@code "no-op"}. */
  String describe();

  /** A keep-awake that does nothing: the default where no platform provider applies. */
  static KeepAwake noop() {
    return NoopKeepAwake.INSTANCE;
  }

  /** One acquisition. Closing it releases the hold; closing twice is harmless. Thread-safe. */
  interface Handle extends AutoCloseable {
    /** Whether the system really holds the machine awake for this handle. */
    boolean held();

    /** Releases the hold. Never throws. */
    @Override
    void close();
  }
}
