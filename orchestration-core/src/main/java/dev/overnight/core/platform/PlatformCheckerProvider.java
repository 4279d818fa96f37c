package dev.overnight.core.platform;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintSettings;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The shape every platform's checker providers share: the settings are validated on every system,
 * so a config error shows wherever the config is read; the checker itself is built over the
 * platform facade only where that facade can be used, and elsewhere answers {@code UNKNOWN} with
 * why. The facade is created lazily, so constructing a provider touches no native code.
 *
 * <p>Thread-safe when the suppliers are.
 *
 * @param <F> the platform facade the checkers read through
 * @since 0.1.0
 */
public abstract class PlatformCheckerProvider<F> implements ConstraintCheckerProvider {
  private final Supplier<F> facade;
  private final Supplier<Optional<String>> unavailability;
  private final String unsupported;

  /**
   * A provider over a facade.
   *
   * @param facade creates the facade the checkers read through
   * @param unavailability why the facade cannot be used here, or empty when it can; a failure to
   *     tell (a library that does not load) counts as unavailable
   * @param unsupported what the {@code UNKNOWN} answer says before that reason, e.g. {@code "the
   *     macOS checker cannot run here: "}
   */
  protected PlatformCheckerProvider(
      Supplier<F> facade, Supplier<Optional<String>> unavailability, String unsupported) {
    this.facade = facade;
    this.unavailability = unavailability;
    this.unsupported = unsupported;
  }

  @Override
  public final boolean isSupported() {
    return unavailability().isEmpty();
  }

  @Override
  public final ConstraintChecker create(ConstraintSettings settings) {
    Supplier<ConstraintChecker> checker = validate(settings);
    Optional<String> why = unavailability();
    if (why.isPresent()) {
      return new UnsupportedChecker(name(), unsupported + why.get());
    }
    return checker.get();
  }

  /** Validates the settings, then returns how to build the checker over {@link #facade()}. */
  protected abstract Supplier<ConstraintChecker> validate(ConstraintSettings settings);

  /** The facade the checkers read. */
  protected final F facade() {
    return facade.get();
  }

  private Optional<String> unavailability() {
    try {
      return unavailability.get();
    } catch (RuntimeException | LinkageError e) {
      return Optional.of(e.toString());
    }
  }
}
