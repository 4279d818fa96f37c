package dev.overnight.api.constraint;

/**
 * ServiceLoader SPI that contributes a {@link ConstraintChecker} under a config name.
 *
 * <p>Register an implementation in {@code
 * META-INF/services/dev.overnight.api.constraint.ConstraintCheckerProvider} and, for module-path
 * users, with {@code provides} in {@code module-info.java}. Explicit registration on the builder
 * always wins over discovery. When several supported providers serve one name, the lowest {@link
 * #order()} wins.
 *
 * <p>Implementations must have a public no-argument constructor, be cheap to construct, and must
 * not touch native code before {@link #isSupported()} has said the platform is right: loading a
 * macOS provider on Linux must never throw.
 *
 * @since 0.1.0
 */
public interface ConstraintCheckerProvider {

  /**
   * The config name served: a built-in ({@code plugged_in}, {@code wifi_only}, {@code
   * cpu_max_percentage}, {@code respect_dnd}, {@code suspend_if_active}) or a plugin's own.
   */
  String name();

  /** Precedence among supported providers of one name; lower wins. */
  default int order() {
    return 0;
  }

  /** Whether this provider works on the current operating system. Never throws. */
  default boolean isSupported() {
    return true;
  }

  /**
   * Creates the checker.
   *
   * @throws dev.overnight.api.config.ConfigException if the settings are invalid, naming the
   *     problem with its JSON path
   */
  ConstraintChecker create(ConstraintSettings settings);
}
